"""The benchmark's data generator keeps the domain's invariants, and the harness measures
every operation (figures are not asserted: timing belongs to the benchmark, not the tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bench.check import check_dataset
from bench.generate import SIZES, Builder, Dataset, Row, generate
from bench.measure import calibration, measure
from django.db import connection
from django.db.models import Count
from pytest_django.fixtures import Settings

from daftar.audit import keys
from daftar.audit.verify import verify
from daftar.files.models import File, FileStatus, Note
from daftar.movement.models import Action, Movement
from daftar.org.models import Charge, OrgUnit, Post, UnitKind, User

XS = SIZES["XS"]
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def xs(db: None) -> Dataset:
    # FK triggers stay on (fast=False), so check_constraints() below really checks them.
    return generate(XS, seed=7, now=NOW, fast=False, chunk_files=20)


def test_counts_are_as_requested(xs: Dataset) -> None:
    assert User.objects.count() == XS.people
    assert Charge.objects.count() == XS.people
    assert Post.objects.count() == XS.people
    sections = OrgUnit.objects.filter(kind__in=[UnitKind.SECTION, UnitKind.REGISTRY])
    assert sections.count() == XS.sections
    assert File.objects.count() == XS.files + XS.archive_files
    assert Note.objects.count() == XS.notes + XS.archive_notes
    main_files = File.objects.filter(pk__lt=xs_first_archive_file(xs))
    assert Movement.objects.filter(file__in=main_files).count() == XS.movements
    assert xs.counts["files.Note"] == XS.notes + XS.archive_notes
    assert Note.objects.values("file").annotate(n=Count("id")).filter(n=200).exists()
    t = xs.targets
    assert File.objects.filter(holder_id=t.registry_post, status=FileStatus.OPEN).count() == (
        XS.registry_pending
    )
    assert File.objects.filter(holder_id=t.bench_post, status=FileStatus.OPEN).count() == (
        XS.bench_desk_pending
    )
    assert File.objects.get(pk=t.big_file).notes.count() == 200
    assert Movement.objects.filter(file_id=t.track_file).count() == 50
    assert not User.objects.filter(is_superuser=True).exists()


def xs_first_archive_file(xs: Dataset) -> int:
    return int(File.objects.order_by("id").values_list("id", flat=True)[XS.files])


def test_the_search_archive_is_as_requested(xs: Dataset) -> None:
    from daftar.documents.models import DocumentPage
    from daftar.receipts.models import Receipt, ReceiptDocument

    archive = File.objects.filter(pk__gte=xs_first_archive_file(xs))
    assert archive.count() == XS.archive_files
    assert not archive.exclude(status=FileStatus.CLOSED).exists()
    assert Note.objects.filter(file__in=archive, is_final=True).count() == XS.archive_notes
    assert Receipt.objects.count() == XS.receipts
    assert ReceiptDocument.objects.count() == XS.receipts
    assert DocumentPage.objects.count() == XS.pages
    assert not DocumentPage.objects.filter(text="").exists()
    # every receipt's custody ends at its holder, as for files
    for r in Receipt.objects.select_related("current_movement"):
        assert r.current_movement is not None and r.current_movement.to_post_id == r.holder_id
    # the measured words are in the papers: the common one often, the rare one at all
    terms = xs.targets.search_terms
    assert set(terms) >= {"common", "medium", "rare", "pair", "number"}
    texts = [*Note.objects.values_list("body", flat=True)]
    texts += DocumentPage.objects.values_list("text", flat=True)
    common = sum(1 for t in texts if terms["common"] in t)
    assert common > 20
    assert any("F.No." in t for t in texts)
    assert any("rn" in t for t in DocumentPage.objects.values_list("text", flat=True))


def test_same_seed_same_rows() -> None:
    base = dict.fromkeys(
        (
            "unit", "post", "user", "charge", "sequence", "file", "movement", "note", "audit",
            "sender", "receipt", "rmove", "document", "rdoc", "page",
        ),
        1,
    )  # fmt: skip

    def rows(seed: int) -> list[list[Row]]:
        builder = Builder(XS, seed=seed, anchor=NOW, base=base)
        out = [b[2] for b in builder.org_batches()]
        for _done, batches in builder.file_batches(20):
            out.extend(b[2] for b in batches)
        archive = builder.receipt_archive()
        out.append(archive.sender_batch()[2])
        for _done, batches in archive.batches(5):
            out.extend(b[2] for b in batches)
        out.append(builder.sequence_batch()[2])
        return out

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def test_generated_audit_trail_verifies(xs: Dataset) -> None:
    report = verify(key=keys.public_key())
    assert report.ok, report.broken
    assert report.events == xs.counts["audit.AuditEvent"] > 0


def test_sql_invariants_hold(xs: Dataset) -> None:
    assert check_dataset() == {}
    connection.check_constraints()  # every foreign key points at a row


def test_holder_is_the_end_of_the_custody_chain(xs: Dataset) -> None:
    by_id = {m.pk: m for m in Movement.objects.all()}
    for f in File.objects.all():
        current = by_id[f.current_movement_id]  # type: ignore[index]
        assert current.to_post_id == f.holder_id
        assert current.pulled_back_at is None
        # walking ``previous`` back from the current movement reaches the opening, each hop
        # leaving from the post the previous one brought the file to
        chain = [current]
        while chain[-1].previous_id is not None:
            before = by_id[chain[-1].previous_id]
            assert chain[-1].from_post_id == before.to_post_id
            assert before.sent_at < chain[-1].sent_at
            chain.append(before)
        assert chain[-1].action == Action.OPEN and chain[-1].from_post_id is None
        held = [m for m in by_id.values() if m.file_id == f.pk and m.pulled_back_at is None]
        assert len(chain) == len(held)


def test_paragraphs_are_numbered_in_one_series(xs: Dataset) -> None:
    expected: dict[int, int] = {}
    for note in Note.objects.order_by("file_id", "id"):
        assert note.first_para == expected.get(note.file_id, 1)
        assert note.para_count == len(note.paragraphs())
        expected[note.file_id] = note.first_para + note.para_count


def test_the_checker_notices_a_broken_chain(xs: Dataset) -> None:
    f = File.objects.exclude(pk=xs.targets.big_file).first()
    assert f is not None
    other = Post.objects.exclude(pk=f.holder_id).first()
    File.objects.filter(pk=f.pk).update(holder=other)
    problems = check_dataset()
    assert problems == {"holder differs from current_movement.to_post": 1}


def test_a_short_measure_run_gives_numbers_for_every_operation(
    xs: Dataset, settings: Settings
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns otherwise
    results = measure(xs, reads=3, sends=3, warmup=2)
    assert [r.op for r in results] == ["O2", "O2-max", "O3", "O9", "O4"]
    for r in results:
        assert r.errors == 0, r.op
        assert r.stats.n == 3 and r.stats.p50 > 0 and r.stats.max >= r.stats.p95
        assert r.floor.n >= 3 and r.floor.p50 > 0
        assert r.queries > 0
    t = xs.targets
    # the sends were returned: the desk keeps its shape for the next run
    assert File.objects.filter(holder_id=t.bench_post, status=FileStatus.OPEN).count() == (
        XS.bench_desk_pending
    )
    assert check_dataset() == {}
    info = calibration()
    assert info["database"] == connection.vendor and info["cpu_count"]


def test_intake_measures_diarisation_and_ocr_against_their_floors(xs: Dataset) -> None:
    from bench.intake import measure_intake

    from daftar.receipts.models import Receipt

    registration, ocr = measure_intake(xs, receipts=3, ocr_pages=1, seed=7)
    assert registration.count == 3 and registration.rate > 0 and registration.floor_rate > 0
    # warm-up registrations included, every one diarised and sent to the bench desk
    sent = Receipt.objects.filter(holder_id=xs.targets.bench_post, status="open")
    assert sent.count() == 3 + 3
    assert ocr.count == 1 and ocr.rate > 0 and ocr.floor_rate > 0
    assert ocr.detail["words_read"] > 100  # a full page of English prose was read


def test_the_index_has_one_entry_per_source(xs: Dataset) -> None:
    from bench.runner import build_index

    from daftar.documents.models import DocumentPage
    from daftar.receipts.models import Receipt
    from daftar.search.models import Entry

    info = build_index("XS")
    notes = Note.objects.filter(is_final=True).exclude(body="").count()
    pages = DocumentPage.objects.exclude(text="").count()
    assert info["by_kind"]["note"] == notes > XS.archive_notes
    assert info["by_kind"]["page"] == pages == XS.pages
    assert info["by_kind"]["receipt"] == Receipt.objects.count() == XS.receipts
    assert info["by_kind"]["file"] == File.objects.count()
    assert (
        info["entries"]
        == Entry.objects.count()
        == File.objects.count() + notes + (XS.receipts + pages)
    )
    assert info["words"] > 0 and info["seconds"] > 0


def test_a_short_search_run_measures_every_query_next_to_its_floor(
    xs: Dataset, settings: Settings
) -> None:
    from bench.runner import build_index
    from bench.searching import measure_search, queries

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    build_index("XS")
    results = measure_search(xs, n=2, warmup=1)
    # every query, for both searchers, through search() and through the /search/ page
    assert len(results) == len(queries(xs)) * 2 * 2
    for r in results:
        assert r.errors == 0, r.title
        assert r.stats.n == 2 and r.floor.n == 2 and r.detail["ranked_floor"]["n"] == 2
        assert r.queries > 0
    common = [r for r in results if r.title.startswith("very common") and "hits" in r.detail]
    assert common and all(r.detail["matches"] > 0 and r.detail["hits"] > 0 for r in common)
