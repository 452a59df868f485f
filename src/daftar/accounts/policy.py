"""Who must use a second factor (docs/login.md)."""

from __future__ import annotations

from daftar.org.models import User


def two_factor_required(user: User) -> bool:
    """Admins, and officers who sign or manage the organisation, may not log in with a
    password alone; everyone else may opt in."""
    return bool(
        user.is_staff
        or user.is_superuser
        or user.has_perm("files.sign_document")
        or user.has_perm("org.manage_organisation")
    )
