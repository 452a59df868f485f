"""Many services appending at once, each thread on its own PostgreSQL connection: the chain
head row makes them take turns, so the chain never forks and verifies afterwards."""

from __future__ import annotations

from functools import partial

import pytest

from daftar.audit import keys
from daftar.audit.models import AuditEvent
from daftar.audit.verify import verify
from daftar.files import services as files
from daftar.files.models import File
from daftar.org.models import User
from tests.cast import Cast
from tests.movement.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_services_keep_one_chain(cast: Cast) -> None:
    threads, per_thread = 8, 6
    desks = [(cast.assistant, cast.assistant_post.pk), (cast.section_officer, cast.so_post.pk)]
    before = AuditEvent.objects.count()

    def work(person: User, post_id: int, index: int) -> list[File]:
        opened = []
        for n in range(per_thread):
            file = files.file_open(actor=person, post_id=post_id, subject=f"Load {index}-{n}")
            files.note_add(actor=person, file_id=file.pk, body=f"Note {index}-{n}")
            opened.append(file)
        return opened

    results = run_together([partial(work, *desks[i % 2], i) for i in range(threads)])
    assert all(isinstance(r, list) for r in results), results
    events = list(AuditEvent.objects.order_by("seq").values_list("seq", "id"))
    assert len(events) == before + threads * per_thread * 2
    assert [seq for seq, _id in events] == list(range(1, len(events) + 1))
    assert [pk for _seq, pk in events] == sorted(pk for _seq, pk in events)  # ids follow seq
    report = verify(key=keys.public_key())
    assert report.ok, report.broken
    assert report.events == len(events)
