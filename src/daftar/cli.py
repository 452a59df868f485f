"""The ``daftar`` command: every management command, e.g. ``daftar migrate``, ``daftar demo``,
``daftar serve``, ``daftar import-org FILE.csv``, ``daftar bench --size S``."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daftar.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")  # `daftar import-org` runs import_org
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
