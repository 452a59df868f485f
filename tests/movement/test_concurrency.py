"""Concurrency on PostgreSQL: many threads, each on its own connection, act at once.

Each test lines its threads up on a barrier so that their transactions really overlap, then
checks that no rule broke: one holder per file, one winner per race, no half-written rows,
gap-free numbering, one audit event per success. On SQLite writers are serialised by the
IMMEDIATE lock, so these races cannot happen there; the tests run in the PostgreSQL pass.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connections

from daftar.audit.models import AuditEvent
from daftar.files import services as files
from daftar.files.models import File
from daftar.lib.errors import Conflict, DaftarError, NotFound
from daftar.movement import services as movement
from daftar.movement.models import Movement
from daftar.org.models import Sequence, User
from tests.cast import Cast, make_cast

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, started together; each result is the call's return
    value or the exception it raised (an unexpected exception fails the test later)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    # Refusals are DaftarErrors (a clear message, HTTP 4xx); anything else is a bug.
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, DaftarError)]
    assert not unexpected, unexpected
    return results


def assert_custody_consistent(file_ids: list[int]) -> None:
    """The file's holder is the receiver of its current movement, which was not pulled back,
    and the movements form one unbroken chain from the opening to the current one."""
    for file in File.objects.filter(pk__in=file_ids).select_related("current_movement"):
        current = file.current_movement
        assert current is not None
        assert file.holder_id == current.to_post_id
        assert current.pulled_back_at is None
        assert file.inbox_unread == (current.read_at is None)
        assert file.inbox_since == current.sent_at
        chain = []
        hop: Movement | None = current
        while hop is not None:
            chain.append(hop.pk)
            hop = hop.previous
        kept = Movement.objects.filter(file=file, pulled_back_at__isnull=True)
        assert sorted(chain) == sorted(kept.values_list("pk", flat=True))
        pulled = Movement.objects.filter(file=file, pulled_back_at__isnull=False)
        assert not pulled.filter(read_at__isnull=False).exists(), "opened and pulled back"


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def test_concurrent_sends_of_one_file_have_one_winner(cast: Cast) -> None:
    targets = [cast.so_post, cast.ds_post, cast.secretary_post, cast.registry_post]
    for round_ in range(5):
        file = files.file_open(
            actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"Race {round_}"
        )
        results = run_together(
            [
                partial(
                    movement.file_send, actor=cast.assistant, file_id=file.pk, to_post_id=post.pk
                )
                for post in targets
            ]
        )
        winners = [r for r in results if isinstance(r, Movement)]
        assert len(winners) == 1
        assert sum(isinstance(r, Conflict) for r in results) == len(targets) - 1
        file.refresh_from_db()
        assert file.holder_id == winners[0].to_post_id
        assert Movement.objects.filter(file=file).count() == 2  # the opening and the winner
        sends = AuditEvent.objects.filter(object_id=str(file.pk), action__startswith="file.")
        assert sends.exclude(action="file.open").count() == 1
        assert sends.count() == 2
        assert_custody_consistent([file.pk])


def test_pull_back_races_the_receiver_opening(cast: Cast) -> None:
    outcomes: Counter[str] = Counter()
    for round_ in range(12):
        file = files.file_open(
            actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"Pull {round_}"
        )
        sent = movement.file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
        # Half the rounds the receiver merely opens the file, half it writes on it.
        receiver: Callable[[], Any] = (
            partial(files.note_add, actor=cast.section_officer, file_id=file.pk, body="Seen.")
            if round_ % 2
            else partial(movement.file_mark_read, actor=cast.section_officer, file_id=file.pk)
        )
        pull, received = run_together(
            [partial(movement.file_pull_back, actor=cast.assistant, file_id=file.pk), receiver]
        )
        sent.refresh_from_db()
        file.refresh_from_db()
        if isinstance(pull, Movement):
            outcomes["pulled back"] += 1
            assert sent.pulled_back_at is not None and sent.read_at is None
            assert file.holder_id == cast.assistant_post.pk
            assert received is False or isinstance(received, (Conflict, NotFound))
        else:
            outcomes["opened"] += 1
            assert isinstance(pull, Conflict)
            assert sent.read_at is not None and sent.pulled_back_at is None
            assert file.holder_id == cast.so_post.pk
        assert_custody_consistent([file.pk])
    assert sum(outcomes.values()) == 12


def test_concurrent_file_open_numbers_are_gap_free(cast: Cast) -> None:
    threads, per_thread = 8, 10
    people = [cast.assistant, cast.section_officer]  # both in Development-I
    posts = {cast.assistant.pk: cast.assistant_post.pk, cast.section_officer.pk: cast.so_post.pk}

    def opener(person: User, index: int) -> list[File]:
        return [
            files.file_open(actor=person, post_id=posts[person.pk], subject=f"Batch {index}-{n}")
            for n in range(per_thread)
        ]

    results = run_together([partial(opener, people[i % 2], i) for i in range(threads)])
    opened = [f for batch in results for f in batch]
    serials = sorted(f.serial for f in opened)
    assert serials == list(range(1, threads * per_thread + 1))
    assert len({f.number for f in opened}) == threads * per_thread
    stored = File.objects.filter(unit=cast.section)
    assert sorted(stored.values_list("serial", flat=True)) == serials
    (sequence,) = Sequence.objects.filter(key__startswith=f"file:{cast.section.pk}:")
    assert sequence.last_value == threads * per_thread
    assert AuditEvent.objects.filter(action="file.open").count() == threads * per_thread


def test_random_mix_keeps_every_invariant(cast: Cast) -> None:
    """Five threads send, return, pull back, open and write on four files at random."""
    people = [cast.assistant, cast.section_officer, cast.deputy_secretary, cast.secretary]
    posts = [cast.assistant_post, cast.so_post, cast.ds_post, cast.secretary_post]
    file_ids = [
        files.file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=f"Mix {i}").pk
        for i in range(4)
    ]
    events_before = AuditEvent.objects.count()

    def worker(seed: int) -> Counter[str]:
        rng = random.Random(seed)
        done: Counter[str] = Counter()
        for _ in range(40):
            who = rng.randrange(len(people))
            file_id = rng.choice(file_ids)
            action = rng.choice(["send", "send", "return", "pull_back", "read", "note"])
            actor, to_post = people[who], posts[rng.randrange(len(posts))].pk
            calls: dict[str, Callable[..., Any]] = {
                "send": partial(movement.file_send, to_post_id=to_post),
                "return": movement.file_return,
                "pull_back": movement.file_pull_back,
                "read": movement.file_mark_read,
                "note": partial(files.note_add, body="Noted."),
            }
            try:
                result = calls[action](actor=actor, file_id=file_id)
            except (Conflict, NotFound):
                done["refused"] += 1
                continue
            except DaftarError:  # sending to the post that already holds it
                done["invalid"] += 1
                continue
            if action == "read" and result is False:
                done["read (no change)"] += 1
            else:
                done[action] += 1
        return done

    results = run_together([partial(worker, seed) for seed in range(5)])
    totals: Counter[str] = sum(results, Counter())
    successes = sum(
        n for k, n in totals.items() if k not in {"refused", "invalid", "read (no change)"}
    )
    assert totals["send"] > 0 and totals["refused"] > 0, totals
    assert AuditEvent.objects.count() - events_before == successes
    assert_custody_consistent(file_ids)
    for file_id in file_ids:
        numbers = list(
            File.objects.get(pk=file_id)
            .notes.order_by("pk")
            .values_list("first_para", "para_count")
        )
        expected = 1
        for first, count in numbers:
            assert first == expected
            expected += count
