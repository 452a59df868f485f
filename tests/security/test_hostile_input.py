"""Hostile requests: ids that are huge, odd or another ministry's, oversized and malformed
forms and API bodies, uploads that lie, paths that climb out. Each is answered with a clean
4xx (never a 500) and nothing changes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from daftar.documents.services import document_store
from daftar.lib import clock
from daftar.movement.models import Movement
from daftar.org.models import User
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt, Sender
from tests.accounts.helpers import sign_in
from tests.documents.samples import text_pdf
from tests.security.hostile import row_counts
from tests.security.routes import Route, all_routes
from tests.security.rules import RULES, Obj
from tests.security.test_access_matrix import PAYLOADS, send
from tests.security.world import MISSING_ID, World

OBJECT_ROUTES = [route for route in all_routes() if isinstance(RULES.get(route.key), Obj)]
ODD_IDS = {"beyond-bigint": 10**20, "bigint-plus-one": 2**63, "zero": 0}


def client_for(user: User) -> Client:
    """Signed in before the request under test (a login writes its own rows: the session,
    the lockout log, the audit event)."""
    return sign_in(Client(), user)


@contextmanager
def unchanged() -> Iterator[None]:
    before = row_counts()
    yield
    assert row_counts() == before


@pytest.mark.parametrize("odd", ODD_IDS)
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda route: route.key)
def test_an_odd_id_answers_404(world: World, db: None, route: Route, odd: str) -> None:
    rule = RULES[route.key]
    assert isinstance(rule, Obj)
    desk = world.desks["own"].ids()
    values: dict[str, object] = {"number": 1, "document_id": desk["document"]}
    values["share_id"] = world.desks["own"].share_id(rule.kind)
    values[rule.kwarg] = ODD_IDS[odd]
    key = rule.payload
    client = client_for(world.able(rule.perm))  # the permission passes; the id is judged
    with unchanged():
        response = send(
            client,
            rule.method,
            route.url(values),
            PAYLOADS[key](world) if key else {},
        )
    assert response.status_code == 404


SECONDARY = {  # routes whose second id must belong to the first object
    "receipt-page-image": "document_id",
    "receipt-document-original": "document_id",
}


@pytest.mark.parametrize("name", SECONDARY)
def test_another_ministrys_document_under_ones_own_receipt_is_404(
    world: World, db: None, name: str
) -> None:
    own, other = world.desks["own"], world.desks["other_ministry"]
    url = reverse(
        name,
        kwargs={"pk": own.receipt.pk, "document_id": other.document.pk}
        | ({"number": 1} if name.endswith("image") else {}),
    )
    assert client_for(world.member).get(url).status_code == 404


# --- Ids of others' objects in form fields ---------------------------------------------------


def foreign_forms(world: World) -> dict[str, tuple[str, dict[str, object]]]:
    """Forms on one's own papers naming an object that is another's, or that does not exist.

    (Sending one's own file or receipt to a post in another ministry is not among them: that is
    inter-ministry movement, which the Cabinet made e-office-only in 2025.)"""
    own, other, colleague = (world.desks[k] for k in ("own", "other_ministry", "colleague"))
    return {
        "put a receipt on another ministry's file": (
            reverse("receipt-put-on-file", args=[own.receipt.pk]),
            {"file": other.file.pk},
        ),
        "put a receipt on a colleague's file": (
            reverse("receipt-put-on-file", args=[own.receipt.pk]),
            {"file": colleague.file.pk},
        ),
        "copy a page to another ministry's file": (
            reverse("file-page-copy", args=[own.file.pk, 1]),
            {"file": other.file.pk},
        ),
        "copy a page to a colleague's file": (
            reverse("file-page-copy", args=[own.file.pk, 1]),
            {"file": colleague.file.pk},
        ),
        "send a file to a post that does not exist": (
            reverse("file-send", args=[own.file.pk]),
            {"to_post": MISSING_ID},
        ),
        "send a receipt to a post that does not exist": (
            reverse("receipt-send", args=[own.receipt.pk]),
            {"to_post": MISSING_ID},
        ),
        "send a file to a post id beyond any column": (
            reverse("file-send", args=[own.file.pk]),
            {"to_post": 10**20},
        ),
    }


FOREIGN = [
    "put a receipt on another ministry's file",
    "put a receipt on a colleague's file",
    "copy a page to another ministry's file",
    "copy a page to a colleague's file",
    "send a file to a post that does not exist",
    "send a receipt to a post that does not exist",
    "send a file to a post id beyond any column",
]


@pytest.mark.parametrize("case", FOREIGN)
def test_a_form_naming_anothers_object_is_refused(world: World, db: None, case: str) -> None:
    url, data = foreign_forms(world)[case]
    client = client_for(world.member)
    with unchanged():
        response = client.post(url, data)
    assert response.status_code in (400, 404, 409, 200), response.status_code
    if response.status_code == 200:  # the form again, with its error
        assert b"is-invalid" in response.content or b"alert-danger" in response.content


def test_the_api_refuses_to_send_to_a_post_that_does_not_exist(world: World, db: None) -> None:
    url = reverse("api-file-send", args=[world.desks["own"].file.pk])
    client = client_for(world.member)
    with unchanged():
        response = send(client, "POST", url, {"to_post": MISSING_ID})
    assert response.status_code in (400, 404, 409)


# --- Oversized and malformed -----------------------------------------------------------------

BIG = 3 * 1024 * 1024  # beyond Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)


def new_file(world: World, subject: str) -> dict[str, object]:
    post = world.desks["own"].post.pk
    return {"post": post, "subject": subject, "classification": "0", "priority": "0"}


def oversized_forms(world: World) -> dict[str, tuple[str, dict[str, object]]]:
    own = world.desks["own"]
    note = reverse("note-add", args=[own.file.pk])
    send_file = reverse("file-send", args=[own.file.pk])
    many: dict[str, object] = {f"f{n}": "1" for n in range(1500)}
    return {
        "a note body beyond the request limit": (note, {"body": "x" * BIG}),
        "too many fields": (note, many | {"body": "Seen."}),
        "a subject beyond its length": (reverse("file-new"), new_file(world, "x" * 5000)),
        "a classification that does not exist": (
            reverse("file-new"),
            new_file(world, "Repair of tube wells") | {"classification": "9"},
        ),
        "remarks beyond their length": (send_file, {"to_post": own.post.pk, "remarks": "x" * 9000}),
        "a date that is not one": (
            send_file,
            {"to_post": world.cast.so_post.pk, "due_on": "2026-02-30"},
        ),
        "a post id that is text": (send_file, {"to_post": "abc"}),
        "a negative post id": (send_file, {"to_post": "-5"}),
        "a note kind that does not exist": (note, {"body": "Seen.", "kind": "<script>"}),
        "a priority that does not exist": (
            send_file,
            {"to_post": world.cast.so_post.pk, "priority": "99"},
        ),
    }


OVERSIZED = [
    "a note body beyond the request limit",
    "too many fields",
    "a subject beyond its length",
    "a classification that does not exist",
    "remarks beyond their length",
    "a date that is not one",
    "a post id that is text",
    "a negative post id",
    "a note kind that does not exist",
    "a priority that does not exist",
]


@pytest.mark.parametrize("case", OVERSIZED)
def test_an_oversized_or_malformed_form_is_refused(world: World, db: None, case: str) -> None:
    url, data = oversized_forms(world)[case]
    client = client_for(world.member)
    with unchanged():
        response = client.post(url, data)
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 400:  # the form or the page again, saying what was wrong
        follow = response if response.status_code == 200 else client.get(url)
        assert follow.status_code < 500


API_BODIES: dict[str, tuple[str, bytes]] = {
    "JSON cut short": ("application/json", b'{"to_post": '),
    "a JSON list": ("application/json", b"[1, 2, 3]"),
    "a JSON string": ("application/json", b'"send it"'),
    "a post id that is an object": ("application/json", b'{"to_post": {"id": 1}}'),
    "a post id beyond any column": ("application/json", b'{"to_post": 100000000000000000000}'),
    "a date that is not one": ("application/json", b'{"to_post": 1, "due_on": "2026-13-45"}'),
    "plain text": ("text/plain", b"to_post=1"),
    "XML": ("application/xml", b"<to_post>1</to_post>"),
    "not UTF-8": ("application/json", b'{"to_post": "\xff\xfe"}'),
}


@pytest.mark.parametrize("case", API_BODIES)
def test_a_malformed_api_body_is_refused(world: World, db: None, case: str) -> None:
    content_type, body = API_BODIES[case]
    url = reverse("api-file-send", args=[world.desks["own"].file.pk])
    client = client_for(world.member)
    with unchanged():
        response = client.post(url, body, content_type=content_type)
    assert response.status_code in (400, 415), response.status_code
    assert "detail" in response.json() or response.json()  # a message, not an empty answer


@pytest.mark.parametrize(
    "query",
    [{"post": "abc"}, {"post": str(10**20)}, {"box": "<script>"}, {"post": "-1"}, {"page": "x"}],
    ids=str,
)
def test_odd_query_parameters_are_answered_cleanly(
    world: World, db: None, query: dict[str, str]
) -> None:
    for url in (reverse("home"), reverse("api-post-inbox", args=[world.desks["own"].post.pk])):
        response = client_for(world.member).get(url, query)
        assert response.status_code in (200, 302, 400, 404), (url, query, response.status_code)


# --- Uploads -----------------------------------------------------------------------------------


def diarise(world: World, *files: SimpleUploadedFile) -> dict[str, object]:
    return {
        "post": world.cast.registry_post.pk,
        "mode": "post",
        "subject": "Release of funds",
        "received_on": clock.now().date().isoformat(),
        "language": "en",
        "priority": "0",
        "classification": "0",
        "new_name": "Tariq Mahmood",
        "new_organisation": "Planning Commission",
        "documents": list(files),
    }


UPLOADS = {
    "text that claims to be a PDF": (
        "letter.pdf",
        b"Dear Sir, this is not a PDF.",
        "application/pdf",
    ),
    "an HTML page named as an image": (
        "scan.png",
        b"<html><script>alert(1)</script></html>",
        "image/png",
    ),
    "an empty file": ("letter.pdf", b"", "application/pdf"),
    "a file beyond the upload limit": ("big.pdf", b"%PDF-1.4\n" + b"0" * 20_000, "application/pdf"),
}


@pytest.mark.parametrize("case", UPLOADS)
def test_an_upload_that_lies_or_is_too_big_is_refused(
    world: World, db: None, settings: Settings, case: str
) -> None:
    settings.UPLOAD_MAX_BYTES = 16 * 1024
    name, content, content_type = UPLOADS[case]
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    client = client_for(world.cast.registry_clerk)
    with unchanged():
        response = client.post(reverse("receipt-new"), diarise(world, upload))
    assert response.status_code in (200, 400), response.status_code
    assert b"alert-danger" in response.content or b"invalid-feedback" in response.content


# --- Paths -----------------------------------------------------------------------------------

CLIMBS = [
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2f",
    "../../etc/passwd",
    "%2fetc%2fpasswd",
    "1%00",
    "1%00.png",
    "..%5c..%5cwindows",
]


@pytest.mark.parametrize("climb", CLIMBS)
def test_a_path_that_climbs_out_is_404(world: World, db: None, climb: str) -> None:
    own = world.desks["own"]
    client = client_for(world.member)
    for address in (
        f"/files/{own.file.pk}/pages/{climb}/image/",
        f"/files/{own.file.pk}/pages/{climb}/original/",
        f"/receipts/{own.receipt.pk}/documents/{climb}/original/",
        f"/receipts/{own.receipt.pk}/documents/{own.document.pk}/pages/{climb}/",
        f"/mail/{climb}/message.eml",
        f"/static/{climb}",
    ):
        response = client.get(address)
        assert response.status_code == 404, (address, response.status_code)
        assert b"root:" not in response.content


def test_the_same_diarise_form_with_an_honest_upload_is_accepted(
    world: World, db: None, settings: Settings
) -> None:
    """The control for the refusals above: only the upload made them fail."""
    settings.UPLOAD_MAX_BYTES = 16 * 1024
    upload = SimpleUploadedFile("letter.pdf", text_pdf(["Release order"]), "application/pdf")
    before = Receipt.objects.count()
    response = client_for(world.cast.registry_clerk).post(
        reverse("receipt-new"), diarise(world, upload)
    )
    assert response.status_code == 302, re.findall(
        r"(?:alert-danger|invalid-feedback)[^<]*<[^<]*<?[^<]*", response.content.decode()
    )
    assert Receipt.objects.count() == before + 1


@pytest.mark.parametrize("form", ["note", "file"])
def test_the_same_forms_with_sane_values_are_accepted(world: World, db: None, form: str) -> None:
    """The controls for the refused notes and files: only the hostile value made them fail."""
    own = world.desks["own"]
    url, data = {
        "note": (reverse("note-add", args=[own.file.pk]), {"body": "Seen.", "kind": "text"}),
        "file": (reverse("file-new"), new_file(world, "Repair of tube wells")),
    }[form]
    before = row_counts()
    response = client_for(world.member).post(url, data)
    assert response.status_code == 302
    assert row_counts() != before


def test_the_same_send_form_with_sane_values_is_accepted(world: World, db: None) -> None:
    """The control for the refused sends: the form itself works."""
    own = world.desks["own"]
    before = Movement.objects.count()
    response = client_for(world.member).post(
        reverse("file-send", args=[own.file.pk]), {"to_post": world.cast.so_post.pk}
    )
    assert response.status_code == 302
    assert Movement.objects.count() == before + 1


HOSTILE_NAMES = {
    "climbing": "../../etc/passwd.pdf",
    "absolute": "/etc/passwd.pdf",
    "windows": "..\\..\\boot.ini.pdf",
    "header injection": 'letter.pdf"\r\nSet-Cookie: sessionid=stolen; x="',
    "nul": "letter\x00.exe.pdf",
}


@pytest.mark.parametrize("case", HOSTILE_NAMES)
def test_a_hostile_upload_name_is_served_with_a_safe_content_disposition(
    world: World, db: None, case: str
) -> None:
    """Names come from browsers and from e-mail attachments: whatever they say, the download
    names a plain file, with no path and no header of its own."""
    cast = world.cast
    document = document_store(
        actor=cast.registry_clerk, name=HOSTILE_NAMES[case], content=text_pdf(["Release order"])
    )
    sender = Sender.objects.order_by("pk").first()
    assert sender is not None
    receipt = receipt_register(
        actor=cast.registry_clerk,
        post_id=cast.registry_post.pk,
        sender_id=sender.pk,
        subject="Release order",
        received_on=clock.now().date(),
        mode=Mode.EMAIL,
        document_ids=[document.pk],
        send_to_post_id=cast.assistant_post.pk,
    )
    url = reverse("receipt-document-original", args=[receipt.pk, document.pk])
    response = client_for(world.member).get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "\x00" not in disposition
    assert "Set-Cookie" not in response.headers or "stolen" not in response["Set-Cookie"]
    name = disposition.split("filename", 1)[1].replace('\\"', "")  # a quote, escaped
    assert "/" not in name and "\\" not in name and ".." not in name, disposition
