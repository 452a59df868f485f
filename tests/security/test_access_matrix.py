"""The access matrix: every route of the site, the admin and the API, tried by every kind of
person against papers at their own desk, a colleague's desk outside their reporting chain,
another ministry's desk, and ids that do not exist.

The expectation of each case comes from the scenario (who holds what) and the rule table in
``rules.py``, never from the access helpers under test."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client

from daftar.adoption.models import TrainingSession
from daftar.lib import clock
from daftar.org.models import User
from tests.accounts.helpers import sign_in
from tests.security.hostile import row_counts
from tests.security.routes import Route, all_routes
from tests.security.rules import ADMIN_MODELS, RULES, Admin, Figures, Obj, Perm, Public, Rule
from tests.security.world import MISSING_ID, ROLE_NAMES, World

ACTORS = ("anonymous", "member", *ROLE_NAMES, "org_admin")
# Where the papers of an object route lie, seen from the actors' desk (the assistant's post).
# A new category is a desk in world.build_world, a name here, and its expectation in
# ``expected``.
TARGETS = ("own_desk", "colleague", "other_ministry", "above_clearance", "missing")
DESK_OF = {
    "own_desk": "own",
    "colleague": "colleague",
    "other_ministry": "other_ministry",
    "above_clearance": "above_clearance",
}
# Graded papers; an e-mail draft or a post's inbox has no grade of its own.
GRADED = {"file", "receipt", "note", "document", "draft", "dfa", "dispatch", "delivery"}


@dataclass(frozen=True)
class Case:
    route: Route
    rule: Rule
    actor: str
    target: str | None = None

    @property
    def id(self) -> str:
        return "|".join(filter(None, (self.route.key, self.actor, self.target)))


def _cases_for(route: Route, rule: Rule) -> list[Case]:
    if isinstance(rule, Admin):
        return [Case(route, rule, actor) for actor in ("anonymous", "member", "org_admin")]
    if isinstance(rule, Obj):
        signed_in = [a for a in ACTORS if a != "anonymous"]
        return [Case(route, rule, "anonymous", "own_desk")] + [
            Case(route, rule, actor, target) for actor in signed_in for target in TARGETS
        ]
    return [Case(route, rule, actor) for actor in ACTORS]


def all_cases() -> list[Case]:
    return [
        case
        for route in all_routes()
        if route.key in RULES
        for case in _cases_for(route, RULES[route.key])
    ]


def test_every_route_has_a_rule_and_every_rule_a_route() -> None:
    routes = {route.key for route in all_routes()}
    missing = sorted(routes - RULES.keys())
    stale = sorted(RULES.keys() - routes)
    assert not missing, f"routes with no access rule in tests/security/rules.py: {missing}"
    assert not stale, f"access rules for routes that no longer exist: {stale}"


def actor_user(world: World, actor: str) -> User | None:
    if actor == "anonymous":
        return None
    if actor == "member":
        return world.member
    if actor == "org_admin":
        return world.admin
    return world.roles[actor]


def admin_object_id(key: str) -> object:
    """The id of a row that exists, for an admin page about one object of ``key``'s model."""
    for model in ADMIN_MODELS:
        app, name = model.split(".")
        if key.startswith((f"admin:{app}_{name}_", f"admin/{app}/{name}/")):
            first = apps.get_model(app, name).objects.order_by("pk").values_list("pk").first()
            return first[0] if first else MISSING_ID  # refused before the row is looked up
    return 1


def url_values(world: World, case: Case) -> dict[str, object]:
    values: dict[str, object] = {"number": 1, "content_type_id": 1, "id": world.member.pk}
    values["token"] = "no-such-token"  # a verification token (signing: a public page)
    admin_id = admin_object_id(case.route.key)
    values |= {"app_label": "org", "object_id": admin_id, "pk": admin_id}
    if isinstance(case.rule, Figures):
        values |= {"unit_id": world.cast.division.pk, "pk": training_session(world).pk}
    if isinstance(case.rule, Obj):
        assert case.target is not None
        if case.target == "missing":
            ids = dict.fromkeys(world.desks["own"].ids(), MISSING_ID)
        else:
            ids = world.desks[DESK_OF[case.target]].ids()
        desk = world.desks["own" if case.target == "missing" else DESK_OF[case.target]]
        values |= {"document_id": ids["document"], "share_id": desk.share_id(case.rule.kind)}
        values |= {case.rule.kwarg: ids[case.rule.kind]}
    return values


def training_session(world: World) -> TrainingSession:
    """A session of the admin's division, for the training page about one session."""
    session, _created = TrainingSession.objects.get_or_create(
        organisation=world.cast.division,
        held_on=dt.date(2026, 1, 5),
        topic="Daftar basics",
        trainer="NITB",
        place="Committee room",
        defaults={"recorded_by": world.admin, "recorded_at": clock.now()},
    )
    return session


def _object_expected(case: Case, rule: Obj) -> str | None:
    """not_found unless the papers lie at the actor's own desk within their clearance (and,
    for a draft note, are theirs)."""
    target = case.target
    if target == "above_clearance" and rule.kind not in GRADED:
        target = "own_desk"  # the same desk; what has no grade is not hidden by one
    if target != "own_desk" or case.actor == "org_admin":
        return "not_found"  # the admin holds its own post, never one that held these papers
    if rule.author_only and case.actor != "member":
        return "not_found"  # the draft is the member's; the others only share the desk
    return None


def expected(case: Case, user: User | None) -> str:
    """allow, login, admin_login, forbidden or not_found: from the scenario alone."""
    rule = case.rule
    if isinstance(rule, Public):
        return "allow"
    if isinstance(rule, Figures):
        return _figures_expected(rule, user)
    if isinstance(rule, Admin):
        return rule.staff if user is not None and user.is_staff else "admin_login"
    if user is None:
        return "login"
    # The function permission is checked first, whatever object is named (docs/roles.md).
    perm = rule.codename if isinstance(rule, Perm) else getattr(rule, "perm", None)
    if perm is not None and not user.has_perm(perm):
        return "forbidden"
    if isinstance(rule, Obj) and (hidden := _object_expected(case, rule)):
        return hidden
    return "allow"


def _figures_expected(rule: Figures, user: User | None) -> str:
    if user is None:
        return "login"
    programme = user.is_superuser or user.has_perm("org.view_programme_figures")
    sees = programme or user.has_perm("org.manage_organisation")  # holds a post in the division
    if not sees or (rule.perm is not None and not user.has_perm(rule.perm)):
        return "not_found"
    return "allow"


def outcome(response: HttpResponseBase, path: str, *, signed_in: bool) -> str:
    code = response.status_code
    where = response.get("Location", "")
    if code == 302 and where.startswith("/admin/login/"):
        return "admin_login"
    if code == 302 and where.startswith(resolve_url(settings.LOGIN_URL)):
        return "login"
    if code in (401, 403) and path.startswith("/api/") and not signed_in:
        return "login"  # the API asks for credentials instead of redirecting
    if code == 403:
        return "forbidden"
    if code == 404:
        return "not_found"
    return "allow" if code < 500 else f"server error {code}"


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: case.id)
def test_access(case: Case, world: World, db: None) -> None:
    user = actor_user(world, case.actor)
    client = Client()
    if user is not None:
        sign_in(client, user)  # with the second factor where their roles require one
    path = case.route.url(url_values(world, case))
    method = getattr(case.rule, "method", "GET")
    want = expected(case, user)
    before = row_counts() if method != "GET" else None
    response = send(client, method, path, payload(world, case.rule))
    if before is not None and want != "allow":  # a refused change leaves every row alone
        assert row_counts() == before, f"{method} {path} changed rows"
    if isinstance(case.rule, Public):  # anyone may ask; the answer may be a redirect
        assert response.status_code < 500, f"{method} {path}: {response.status_code}"
        return
    got = outcome(response, path, signed_in=user is not None)
    assert got == want, f"{method} {path}: {response.status_code}"


# Input that passes the API's validation, so the request reaches the access decision.
PAYLOADS: dict[str, Callable[[World], dict[str, object]]] = {
    "send": lambda world: {"to_post": world.cast.so_post.pk},
    "note": lambda world: {"body": "Seen."},
}


def payload(world: World, rule: Rule) -> dict[str, object]:
    key = getattr(rule, "payload", None)
    return PAYLOADS[key](world) if key else {}


def send(client: Client, method: str, path: str, data: dict[str, object]) -> HttpResponseBase:
    if method == "GET":
        return client.get(path)
    if method == "POST" and not path.startswith("/api/"):
        return client.post(path, data)
    return client.generic(method, path, json.dumps(data).encode(), content_type="application/json")
