#!/usr/bin/env bash
# Install the Debian packages Daftar needs (as root), or name them and stop (as anyone else).
#   scripts/system-deps.sh demo   what serving the demo needs
#   scripts/system-deps.sh test   what the whole test suite needs
set -euo pipefail
profile=${1:-demo}
packages=(python3-venv)
# OCR of scanned documents (docs/documents.md). The Noto/DejaVu fonts below also draw the
# English and Urdu test scans.
packages+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-urd ghostscript)
# PDFs drawn by WeasyPrint (acknowledgement slips; docs/receipts.md): Pango, HarfBuzz, fonts.
packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core)
# python-ldap (LDAP login, docs/ldap.md) is compiled by pip from requirements.txt.
packages+=(gcc libldap2-dev libsasl2-dev python3-dev)
if [ "$profile" = test ]; then
  packages+=(chromium postgresql)
  # A real IMAP server on loopback for the mailroom tests (docs/mailroom.md); started by the
  # tests themselves with their own configuration, never as a system service.
  packages+=(dovecot-imapd)
  # A real LDAP directory on loopback for the LDAP login tests (docs/ldap.md); started by the
  # tests with their own configuration, never as a system service.
  packages+=(slapd ldap-utils)
  # poppler's pdfsig checks our PDF signatures independently of pyHanko; certutil (NSS) gives
  # it the instance CA as its trust root (docs/signing.md).
  packages+=(poppler-utils libnss3-tools)
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "Daftar needs these Debian packages: ${missing[*]}" >&2
  echo "Install them as root:  apt-get install ${missing[*]}" >&2
  exit 1
fi
