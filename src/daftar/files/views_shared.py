"""What every screen needs: who is asking, whether htmx asked, a form's first error, and
the posts offered in a send-to picker (with who holds each).

Used by the file screens here and by the screens of the other apps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from daftar.org.models import Post, User
from daftar.org.selectors import holders_by_post


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def actor_of(request: HttpRequest) -> User:
    """The logged-in person (every view here is behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


@dataclass(frozen=True)
class PostOption:
    """A post in the send-to picker, with who holds it and how it relates to the sender."""

    post: Post
    holders: list[User]
    relation: str = ""


def post_options(posts: list[Post], *, relations: dict[int, str] | None = None) -> list[PostOption]:
    holders = holders_by_post([p.pk for p in posts]) if posts else {}
    relations = relations or {}
    return [PostOption(p, holders.get(p.pk, []), relations.get(p.pk, "")) for p in posts]


def first_error(form: forms.Form) -> str:
    """The first error message of a form, to show at the top of the page."""
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("Please check the form.")
