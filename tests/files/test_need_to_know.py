"""Who sees a file: holders, the chain above them today, the owning unit, shares, within
clearance; administrators see nothing by being administrators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from daftar.files.grading import file_classify
from daftar.files.models import Classification, File, FileShare
from daftar.files.selectors import file_for_actor, files_visible
from daftar.files.services import file_open, note_add
from daftar.files.shares import file_share, file_share_revoke
from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.movement.services import file_send
from daftar.org import services as org
from daftar.org.models import Post, User
from tests.cast import PASSWORD, Cast
from tests.conftest import last_event


def sees(person: User, file: File) -> bool:
    try:
        file_for_actor(person, file.pk)
    except NotFound:
        return False
    return True


def may_share(person: User) -> User:
    """``person`` with ``files.share_file`` (declared by the roles work; made here if absent),
    read afresh so the permission cache is empty."""
    permission, _created = Permission.objects.get_or_create(
        codename="share_file",
        content_type=ContentType.objects.get_for_model(File),
        defaults={"name": "Can share a file read-only"},
    )
    person.user_permissions.add(permission)
    return User.objects.get(pk=person.pk)


def newcomer(cast: Cast, post: Post, slug: str, clearance: int) -> User:
    person = org.person_create(
        actor=None,
        email=f"{slug}@mowr.gov.pk",
        full_name=slug.title(),
        password=PASSWORD,
        clearance=clearance,
    )
    org.charge_assign(actor=None, person=person, post=post, start=dt.date(2020, 1, 1))
    return person


def test_superiors_today_see_what_their_desks_held(cast: Cast, file: File) -> None:
    assert sees(cast.deputy_secretary, file) and sees(cast.secretary, file)
    assert not sees(cast.outsider, file) and not sees(cast.registry_clerk, file)
    # The chain is today's: when the section stops reporting to the wing, the DS loses sight.
    Post.objects.filter(pk=cast.so_post.pk).update(reports_to=None)
    assert not sees(cast.deputy_secretary, file) and not sees(cast.secretary, file)
    assert sees(cast.section_officer, file)  # the owning section still does


def test_the_owning_unit_sees_its_files_and_no_other_unit_does(cast: Cast, file: File) -> None:
    other_assistant = org.post_create(
        actor=None,
        unit=cast.section,
        code="ASST2-D1",
        designation="Assistant-II (Development-I)",
        grade=15,
        reports_to=cast.so_post,
    )
    colleague = newcomer(cast, other_assistant, "colleague", Classification.RESTRICTED)
    assert sees(colleague, file)
    assert list(files_visible(cast.outsider)) == []


def test_clearance_hides_what_is_graded_above_it(cast: Cast) -> None:
    confidential = file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Indus Waters: brief",
        classification=Classification.CONFIDENTIAL,
    )
    # The assistant is of the owning section but cleared to Restricted only.
    assert not sees(cast.assistant, confidential)
    assert sees(cast.deputy_secretary, confidential) and sees(cast.secretary, confidential)
    with pytest.raises(InvalidInput, match="no clearance for Secret"):
        file_open(
            actor=cast.section_officer,
            post_id=cast.so_post.pk,
            subject="Too high",
            classification=Classification.SECRET,
        )
    assert not File.objects.filter(subject="Too high").exists()


def test_an_administrator_sees_no_file_by_being_one(cast: Cast, file: File) -> None:
    admin = User.objects.create_superuser(
        "it.cell@mowr.gov.pk", PASSWORD, full_name="IT Cell", clearance=Classification.TOP_SECRET
    )
    assert list(files_visible(admin)) == []
    with pytest.raises(NotFound):
        file_for_actor(admin, file.pk)


@pytest.fixture
def held_by_so(cast: Cast) -> File:
    return file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Dam safety review",
        classification=Classification.RESTRICTED,
    )


def test_a_share_lets_a_post_read_until_revoked_but_never_act(cast: Cast, held_by_so: File) -> None:
    until = clock.now().date() + dt.timedelta(days=7)
    share = file_share(
        actor=may_share(cast.section_officer),
        file_id=held_by_so.pk,
        post_id=cast.outsider_post.pk,
        until=until,
        reason="Budget to comment on costs",
    )
    event = last_event(held_by_so, "file.share")
    assert event.actor == cast.section_officer and event.post == cast.so_post
    assert event.after is not None and event.after["post"] == cast.outsider_post.code
    assert sees(cast.outsider, held_by_so)
    with pytest.raises(Conflict):
        note_add(actor=cast.outsider, file_id=held_by_so.pk, body="Not mine to write.")
    with pytest.raises(Conflict):
        file_send(actor=cast.outsider, file_id=held_by_so.pk, to_post_id=cast.outsider_post.pk)

    file_share_revoke(actor=cast.section_officer, file_id=held_by_so.pk, share_id=share.pk)
    assert last_event(held_by_so, "file.share_revoke").before == {
        "share": share.pk,
        "post": cast.outsider_post.code,
        "until": until.isoformat(),
    }
    assert not sees(cast.outsider, held_by_so)


def test_an_ended_share_gives_nothing(cast: Cast, held_by_so: File) -> None:
    file_share(
        actor=may_share(cast.section_officer),
        file_id=held_by_so.pk,
        post_id=cast.outsider_post.pk,
        until=clock.now().date(),
        reason="For today",
    )
    assert sees(cast.outsider, held_by_so)
    yesterday = clock.now().date() - dt.timedelta(days=1)
    FileShare.objects.update(until=yesterday)  # as the days pass
    assert not sees(cast.outsider, held_by_so)


def test_shares_are_refused_with_a_reason_and_change_nothing(cast: Cast, held_by_so: File) -> None:
    soon = clock.now().date() + dt.timedelta(days=3)

    def ask(actor: User, reason: str, until: dt.date = soon) -> FileShare:
        return file_share(
            actor=actor,
            file_id=held_by_so.pk,
            post_id=cast.outsider_post.pk,
            until=until,
            reason=reason,
        )

    cast.section_officer.groups.clear()  # the officer role would give files.share_file
    with pytest.raises(PermissionDenied):
        ask(User.objects.get(pk=cast.section_officer.pk), "Why not")  # no permission
    sharer = may_share(cast.section_officer)
    with pytest.raises(InvalidInput, match="Say why"):
        ask(sharer, "  ")
    with pytest.raises(InvalidInput, match="in the past"):
        ask(sharer, "Late", soon - dt.timedelta(days=9))
    with pytest.raises(InvalidInput, match="at most 365 days"):
        ask(sharer, "Long", soon + dt.timedelta(days=400))
    with pytest.raises(InvalidInput, match="Only the post that holds"):
        ask(may_share(cast.deputy_secretary), "From above")
    file_send(actor=cast.section_officer, file_id=held_by_so.pk, to_post_id=cast.ds_post.pk)
    file_classify(
        actor=cast.deputy_secretary,
        file_id=held_by_so.pk,
        classification=Classification.CONFIDENTIAL,
    )
    with pytest.raises(InvalidInput, match="no clearance for Confidential"):
        file_share(
            actor=may_share(cast.deputy_secretary),
            file_id=held_by_so.pk,
            post_id=cast.assistant_post.pk,
            until=soon,
            reason="The assistant is cleared to Restricted only",
        )
    assert not FileShare.objects.exists()
    assert not sees(cast.outsider, held_by_so)
