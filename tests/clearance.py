"""Clearing a test person for a grade, on this branch and after the access work lands.

``User.clearance`` comes with the access work; until it is a field, services read it with
``getattr``, so setting the attribute on the object the test passes is enough.
"""

from __future__ import annotations

from daftar.org.models import User

HAS_CLEARANCE = any(field.name == "clearance" for field in User._meta.get_fields())


def clear_for(user: User, level: int) -> User:
    user.clearance = level  # type: ignore[attr-defined]  # a field once the access work lands
    if HAS_CLEARANCE:
        User.objects.filter(pk=user.pk).update(**{"clearance": level})
    return user
