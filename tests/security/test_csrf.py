"""A form posted from another site carries no CSRF token: every route that changes something
refuses it with 403, on screen and in the API signed in by session, and nothing changes."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import sign_in
from tests.security.hostile import row_counts
from tests.security.routes import Route, all_routes
from tests.security.rules import RULES, Obj
from tests.security.test_access_matrix import PAYLOADS
from tests.security.world import World

CHANGING = [
    route for route in all_routes() if getattr(RULES.get(route.key), "method", "GET") != "GET"
]


def test_the_changing_routes_are_found() -> None:
    """The list comes from the rule table; this keeps it from going quietly empty."""
    assert {"file-send", "note-add", "api-file-send", "api-note", "mail-complete"} <= {
        route.key for route in CHANGING
    }


def address(world: World, route: Route) -> str:
    rule = RULES[route.key]
    ids = world.desks["own"].ids()
    values: dict[str, object] = {"number": 1, "document_id": ids["document"]}
    values["share_id"] = world.desks["own"].share_id(getattr(rule, "kind", ""))
    if isinstance(rule, Obj):
        values[rule.kwarg] = ids[rule.kind]
    return route.url(values)


@pytest.mark.parametrize("route", CHANGING, ids=lambda route: route.key)
def test_a_post_without_a_csrf_token_is_refused(world: World, db: None, route: Route) -> None:
    rule = RULES[route.key]
    # Holds the papers: only the missing token stops it.
    client = sign_in(Client(enforce_csrf_checks=True), world.member)
    key = getattr(rule, "payload", None)
    data = PAYLOADS[key](world) if key else {}
    before = row_counts()
    response = (
        client.generic(
            rule.method,  # type: ignore[union-attr]
            address(world, route),
            json.dumps(data).encode(),
            content_type="application/json",
        )
        if route.pattern.startswith("api/")
        else client.post(address(world, route), data)
    )
    assert response.status_code == 403
    assert row_counts() == before


# Routes showing something on GET and changing on POST (their GET is in the matrix), with the
# role that may use them: only the missing token stops the post.
CREATE = {
    "file-new": {"subject": "Posted from elsewhere"},
    "receipt-new": {"subject": "Posted from elsewhere"},
    "api-files": {"subject": "Posted from elsewhere"},
}
ROLE_FOR = {"file-new": "dealing_staff", "receipt-new": "registry_clerk", "api-files": "officer"}


@pytest.mark.parametrize("name", CREATE)
def test_creating_without_a_token_is_refused(world: World, db: None, name: str) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), world.roles[ROLE_FOR[name]])
    before = row_counts()
    if name.startswith("api-"):
        body = json.dumps(CREATE[name]).encode()
        response = client.post(reverse(name), body, content_type="application/json")
    else:
        response = client.post(reverse(name), CREATE[name])
    assert response.status_code == 403
    assert row_counts() == before
