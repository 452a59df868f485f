"""Re-confirming the signer: password, authenticator code, wrong answers throttled."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from daftar.audit.models import AuditEvent
from daftar.lib.errors import InvalidInput
from daftar.signing.api import signer_confirm
from daftar.signing.confirm import ACTION, LIMIT
from tests.accounts.helpers import authenticator, code_for
from tests.cast import PASSWORD, Cast


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_password_confirms(cast: Cast) -> None:
    signer_confirm(person=cast.secretary, secret=PASSWORD)
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_current_code_confirms_once(cast: Cast) -> None:
    code = code_for(authenticator(cast.secretary))
    signer_confirm(person=cast.secretary, secret=code)
    with pytest.raises(InvalidInput):  # the same code cannot be used twice
        signer_confirm(person=cast.secretary, secret=code)


def test_wrong_secret_is_refused_audited_and_throttled(cast: Cast) -> None:
    authenticator(cast.secretary)
    for _ in range(LIMIT):
        with pytest.raises(InvalidInput, match="not your password"):
            signer_confirm(person=cast.secretary, secret="000000")
    failures = AuditEvent.objects.filter(action=ACTION, object_id=str(cast.secretary.pk))
    assert failures.count() == LIMIT
    with pytest.raises(InvalidInput, match="paused"):  # even the right password now waits
        signer_confirm(person=cast.secretary, secret=PASSWORD)
    signer_confirm(person=cast.deputy_secretary, secret=PASSWORD)  # others are not held up


def test_throttle_outlives_a_rolled_back_caller(cast: Cast) -> None:
    from django.db import transaction

    for _ in range(LIMIT):
        with pytest.raises(InvalidInput), transaction.atomic():
            signer_confirm(person=cast.secretary, secret="wrong password")
    assert not AuditEvent.objects.filter(action=ACTION).exists()  # rolled back with the caller
    with pytest.raises(InvalidInput, match="paused"):
        signer_confirm(person=cast.secretary, secret=PASSWORD)
