"""The draft screens through the test client: who may do what, and what the pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from daftar.audit.models import AuditEvent
from daftar.drafting.models import Draft, DraftStatus, DraftVersion, LetterTemplate
from daftar.files.correspondence import receipt_put_on_file
from daftar.files.models import File
from daftar.movement.services import file_send
from daftar.org import services as org
from daftar.org.models import User
from daftar.org.roles import roles_assign
from daftar.receipts.senders import sender_create
from tests.cast import PASSWORD, Cast
from tests.drafting.conftest import new_draft
from tests.receipts.conftest import register, upload
from tests.web.conftest import count_queries, text_of

Login = Callable[[User], Client]


def form_data(cast: Cast, **given: object) -> dict[str, object]:
    finance = cast.outsider_post.unit.parent
    assert finance is not None
    data: dict[str, object] = {
        "kind": "letter",
        "language": "en",
        "classification": "0",
        "subject": "Release of funds",
        "body": '<p>Funds may be released.</p><img src=x onerror="alert(1)">',
        "references": "",
        "enclosures": "",
        "addr_kind": ["internal", "external"],
        "addr_role": ["to", "copy"],
        "addr_organisation": [str(finance.pk), ""],
        "addr_post": [str(cast.outsider_post.pk), ""],
        "addr_name": ["", "The Chairman"],
        "addr_address": ["", "WAPDA House, Lahore"],
        "addr_email": ["", ""],
    }
    data.update(given)
    return data


def test_the_holder_starts_a_draft_from_the_file_page(cast: Cast, file: File, login: Login) -> None:
    client = login(cast.assistant)
    page = text_of(client.get(reverse("file-detail", args=[file.pk])))
    assert "Drafts for approval" in page and reverse("draft-new", args=[file.pk]) in page
    assert client.get(reverse("draft-new", args=[file.pk])).status_code == 200
    response = client.post(reverse("draft-new", args=[file.pk]), form_data(cast))
    draft = Draft.objects.get(file=file)
    assert response.status_code == 302 and response["Location"] == reverse(
        "draft-detail", args=[draft.pk]
    )
    version = draft.current_version
    assert version is not None and "onerror" not in version.body
    assert [a.post_id for a in version.addressees.all()] == [cast.outsider_post.pk, None]
    page = text_of(client.get(reverse("draft-detail", args=[draft.pk])))
    assert "Funds may be released." in page and "Finance Division" in page
    assert reverse("draft-edit", args=[draft.pk]) in page
    assert reverse("draft-approve", args=[draft.pk]) not in page  # an assistant does not approve


def test_a_bad_form_shows_the_reason_and_keeps_the_input(
    cast: Cast, file: File, login: Login
) -> None:
    client = login(cast.assistant)
    data = form_data(cast, addr_email=["", "not-an-address"], addr_address=["", ""])
    response = client.post(reverse("draft-new", args=[file.pk]), data)
    assert response.status_code == 400
    page = text_of(response)
    assert "is not an e-mail address" in page and "Release of funds" in page
    assert "onerror" not in page  # the text comes back cleaned
    assert not Draft.objects.exists()


def test_an_assistant_approving_gets_403_and_an_outsider_404(
    cast: Cast, draft: Draft, login: Login
) -> None:
    url = reverse("draft-approve", args=[draft.pk])
    assistant, outsider = login(cast.assistant), login(cast.outsider)
    before = AuditEvent.objects.count()
    assert assistant.post(url, {"version": 1}).status_code == 403
    assert outsider.post(url, {"version": 1}).status_code == 404
    assert outsider.get(reverse("draft-detail", args=[draft.pk])).status_code == 404
    assert outsider.get(reverse("draft-preview", args=[draft.pk])).status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_officer_holding_the_file_approves(cast: Cast, draft: Draft, login: Login) -> None:
    file_send(actor=cast.assistant, file_id=draft.file_id, to_post_id=cast.so_post.pk)
    client = login(cast.section_officer)
    page = text_of(client.get(reverse("draft-detail", args=[draft.pk])))
    assert reverse("draft-approve", args=[draft.pk]) in page
    response = client.post(reverse("draft-approve", args=[draft.pk]), {"version": 1})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    again = client.post(reverse("draft-approve", args=[draft.pk]), {"version": 1})
    assert again.status_code == 409 and "already approved" in text_of(again)
    notes = text_of(client.get(reverse("file-detail", args=[draft.file_id])))
    assert "DFA-1 (letter, version 1)" in notes


def test_edit_then_compare(cast: Cast, draft: Draft, login: Login) -> None:
    file_send(actor=cast.assistant, file_id=draft.file_id, to_post_id=cast.so_post.pk)
    client = login(cast.section_officer)
    form = text_of(client.get(reverse("draft-edit", args=[draft.pk])))
    assert "Release of funds for small dams" in form
    data = form_data(cast, subject="Release of grants for small dams")
    assert client.post(reverse("draft-edit", args=[draft.pk]), data).status_code == 302
    assert DraftVersion.objects.filter(draft=draft).count() == 2
    page = text_of(client.get(reverse("draft-compare", args=[draft.pk]), {"a": 1, "b": 2}))
    assert '<del class="diff-del">funds</del><ins class="diff-ins">grants</ins>' in page
    assert (
        client.get(reverse("draft-compare", args=[draft.pk]), {"a": 1, "b": 9}).status_code == 400
    )


def test_cancel_and_preview(cast: Cast, draft: Draft, login: Login) -> None:
    client = login(cast.assistant)
    preview = client.get(reverse("draft-preview", args=[draft.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert client.post(reverse("draft-cancel", args=[draft.pk]), {"reason": ""}).status_code == 400
    response = client.post(reverse("draft-cancel", args=[draft.pk]), {"reason": "Not needed"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CANCELLED


def test_the_drafts_panel_costs_the_same_however_many_drafts(
    cast: Cast, file: File, login: Login
) -> None:
    client = login(cast.assistant)
    url = reverse("file-detail", args=[file.pk])
    new_draft(cast, file)
    client.get(url)
    one, _ = count_queries(client, url)
    for n in range(4):
        new_draft(cast, file, subject=f"Reply {n}")
    many, sql = count_queries(client, url)
    assert many == one, sql
    assert text_of(client.get(url)).count("DFA-") == 5


def test_the_posts_picker_lists_an_organisations_posts(cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    finance = cast.outsider_post.unit.parent
    assert finance is not None
    page = text_of(client.get(reverse("draft-posts"), {"addr_organisation": finance.pk}))
    assert "Section Officer (Budget)" in page and "Secretary" not in page.replace("(Budget)", "")
    assert client.get(reverse("draft-posts"), {"addr_organisation": "x"}).status_code == 200


def test_the_organisation_admin_edits_templates_of_their_own_organisation(
    cast: Cast, login: Login
) -> None:
    admin_post = org.post_create(
        actor=None, unit=cast.division, code="ADM", designation="System Administrator"
    )
    admin = org.person_create(
        actor=None, email="admin@mowr.gov.pk", full_name="Org Admin", password=PASSWORD
    )
    org.charge_assign(actor=None, person=admin, post=admin_post, start=dt.date(2020, 1, 1))
    roles_assign(actor=None, person=admin, roles=["organisation_admin"])
    admin = User.objects.get(pk=admin.pk)
    client = login(admin)
    url = reverse("letter-templates")
    page = text_of(client.get(url, {"kind": "om", "language": "ur"}))
    assert "دفتری یادداشت" in page and "حکومتِ پاکستان" in page  # the built-in Urdu form
    data = {
        "letterhead": "حکومتِ پاکستان\nوزارتِ آبی وسائل",  # noqa: RUF001
        "heading": "دفتری یادداشت",
        "salutation": "",
        "closing": "",
        "footer": "اسلام آباد",
    }
    query = f"?organisation={cast.division.pk}&kind=om&language=ur"
    assert client.post(url + query, data).status_code == 302
    saved = LetterTemplate.objects.get(organisation=cast.division, kind="om", language="ur")
    assert saved.letterhead.endswith("وزارتِ آبی وسائل")
    # Another organisation's id in the query falls back to their own.
    finance = cast.outsider_post.unit.parent
    assert finance is not None
    client.post(f"{url}?organisation={finance.pk}&kind=om&language=ur", data)
    assert not LetterTemplate.objects.filter(organisation=finance).exists()
    preview = client.get(reverse("letter-template-preview"), {"kind": "om", "language": "ur"})
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    assert login(cast.assistant).get(url).status_code == 403


def test_a_draft_encloses_papers_of_its_file_and_only_those(
    cast: Cast, file: File, login: Login
) -> None:
    sender = sender_create(actor=cast.registry_clerk, organisation="Planning Commission")
    receipt = register(cast, sender, send_to_post_id=cast.assistant_post.pk)
    receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=file.pk)
    (paper,) = receipt.documents.all()
    elsewhere = upload(cast.outsider)  # someone else's upload, on no file of ours
    client = login(cast.assistant)
    page = text_of(client.get(reverse("draft-new", args=[file.pk])))
    assert f'value="{paper.document_id}"' in page and "F/A — letter.pdf" in page

    refused = client.post(
        reverse("draft-new", args=[file.pk]),
        form_data(cast, enclosure_document=[str(paper.document_id), str(elsewhere.pk)]),
    )
    assert refused.status_code == 400 and "not on this file" in text_of(refused)
    assert not Draft.objects.exists()

    client.post(
        reverse("draft-new", args=[file.pk]),
        form_data(cast, enclosure_document=[str(paper.document_id)]),
    )
    draft = Draft.objects.get(file=file)
    version = draft.current_version
    assert version is not None
    assert [e.document_id for e in version.enclosure_documents.all()] == [paper.document_id]
    edit = text_of(client.get(reverse("draft-edit", args=[draft.pk])))
    assert f'value="{paper.document_id}" id="encl-{paper.document_id}" checked' in edit
    assert "Documents enclosed" in text_of(client.get(reverse("draft-detail", args=[draft.pk])))
