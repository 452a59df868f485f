"""Clearing a test person for a grade (saved, and on the object the test holds)."""

from __future__ import annotations

from daftar.org.models import User


def clear_for(user: User, level: int) -> User:
    user.clearance = level
    User.objects.filter(pk=user.pk).update(clearance=level)
    return user
