from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from daftar.org.models import User

ClientFor = Callable[[User], APIClient]


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """An API client signed in (by session, as the browser is) as the given person."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make
