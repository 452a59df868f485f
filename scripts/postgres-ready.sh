#!/usr/bin/env bash
# Make sure the PostgreSQL used by the test suite answers; start the local cluster if we may.
# Exit 0 when it answers, 1 when it does not (the caller decides whether that fails the run).
set -uo pipefail
host=${PGHOST_TEST:-127.0.0.1}
port=${PGPORT_TEST:-5432}
answers() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }
answers && exit 0
if [ "$(id -u)" -eq 0 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 20); do answers && exit 0; sleep 0.5; done
fi
exit 1
