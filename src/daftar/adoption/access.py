"""Who sees which organisation's figures: the one access rule of the adoption screens.

The programme office (``org.view_programme_figures``) and superusers see every organisation;
an organisation admin (``org.manage_organisation``) sees the organisations they hold posts in,
with the units below them. Anyone else sees none (the screens answer 404). Nobody here sees a
file: the figures are counts.
"""

from __future__ import annotations

from typing import Any

from daftar.org.models import User
from daftar.org.selectors import organisation_of, posts_held

PROGRAMME = "org.view_programme_figures"
ADMIN = "org.manage_organisation"


def organisations_visible(user: Any) -> set[int] | None:
    """The ids of the organisations whose figures ``user`` may see; None: all of them."""
    if not isinstance(user, User) or not user.is_active:
        return set()
    if user.is_superuser or user.has_perm(PROGRAMME):
        return None
    if not user.has_perm(ADMIN):
        return set()
    return {organisation_of(post.unit).pk for post in posts_held(user)}


def may_see_programme(user: Any) -> bool:
    """The national table of every organisation."""
    return organisations_visible(user) is None
