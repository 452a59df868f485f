from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from daftar.org.models import User
from tests.accounts.helpers import sign_in

ClientFor = Callable[[User], APIClient]


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """An API client signed in (by session, as the browser is) as the given person."""

    def make(user: User) -> APIClient:
        client = APIClient()
        sign_in(client, user)
        return client

    return make
