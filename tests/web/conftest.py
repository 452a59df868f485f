from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext

from daftar.files.models import File
from daftar.files.services import file_open
from daftar.org.models import Post, User
from tests.accounts.helpers import sign_in


@pytest.fixture
def login(db: None) -> Callable[[User], Client]:
    """A test client logged in as ``user``."""

    def make(user: User) -> Client:
        client = Client()
        sign_in(client, user)
        return client

    return make


def open_file(actor: User, post: Post, subject: str = "Repair of tube wells") -> File:
    return file_open(actor=actor, post_id=post.pk, subject=subject)


def count_queries(client: Client, url: str) -> tuple[int, list[str]]:
    """How many SQL queries one GET makes (after a warm-up request with the same client)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def text_of(response: HttpResponseBase) -> str:
    assert isinstance(response, HttpResponse)
    return response.content.decode()
