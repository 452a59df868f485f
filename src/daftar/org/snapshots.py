"""What the audit log records of an organisation object: its fields by meaning, with related
objects named by their code or e-mail (ids mean nothing to an auditor reading the log years
later). Used by the admin screens and the org importer so both record the same shape."""

from __future__ import annotations

from typing import Any

from daftar.org.models import Charge, OrgUnit, Post, User


def unit_snapshot(unit: OrgUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent_id is not None and unit.parent else None,
        "time_zone": unit.time_zone,
        "file_number_template": unit.file_number_template,
        "default_file_head": unit.default_file_head,
    }


def post_snapshot(post: Post) -> dict[str, Any]:
    return {
        "code": post.code,
        "designation": post.designation,
        "unit": post.unit.code,
        "grade": post.grade,
        "reports_to": post.reports_to.code if post.reports_to_id and post.reports_to else None,
        "is_active": post.is_active,
    }


def person_snapshot(person: User) -> dict[str, Any]:
    """Never the password hash: only whether a password is set."""
    return {
        "email": person.email,
        "full_name": person.full_name,
        "clearance": person.clearance,
        "is_active": person.is_active,
        "is_staff": person.is_staff,
        "is_superuser": person.is_superuser,
        "has_password": person.has_usable_password(),
    }


def charge_snapshot(charge: Charge) -> dict[str, Any]:
    return {
        "person": charge.person.email,
        "post": charge.post.code,
        "kind": charge.kind,
        "start": charge.start,
        "end": charge.end,
    }


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
