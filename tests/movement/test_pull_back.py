from __future__ import annotations

from daftar.files.models import File
from daftar.movement.models import Movement
from daftar.movement.services import file_pull_back, file_send
from tests.cast import Cast


def test_pull_back_returns_the_movement_as_it_now_stands(cast: Cast, file: File) -> None:
    sent = file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    pulled = file_pull_back(actor=cast.assistant, file_id=file.pk)
    stored = Movement.objects.get(pk=sent.pk)
    assert stored.pulled_back_at is not None
    assert pulled.pulled_back_at == stored.pulled_back_at
