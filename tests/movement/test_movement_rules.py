"""The movement rules, as a hypothesis state machine driven through the real services.

Random people (the whole cast, outsider included) send, return, pull back, open, write, edit
and delete notes, park, unpark, close and reopen two files. A small model predicts the outcome
of every attempt, exact error class included; after every step the database must agree with
the model and with the rules:

* exactly one post holds each file, and it is the ``to_post`` of the file's current movement;
* only the holder's attempts succeed; every other attempt raises and changes nothing;
* final notes never change; paragraph numbers run 1..N across the note sheet;
* a pull back succeeds only before the receiver opened the file (or acted on it);
* every successful action wrote exactly one audit event, failed ones none.

The services own durable transactions, so this runs on ``transactional_db`` (committing for
real) and gives each example a fresh cast under its own code prefix.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from daftar.audit.models import AuditEvent
from daftar.files import services as files
from daftar.files.models import File, FileStatus, Note, NoteKind, Priority, split_paragraphs
from daftar.files.selectors import files_visible
from daftar.lib.errors import Conflict, DaftarError, InvalidInput, NotFound
from daftar.movement import services as movement
from daftar.movement.models import Movement
from daftar.org.models import Post, User
from daftar.org.selectors import chain_above
from tests.cast import make_cast

T = TypeVar("T")
_example_numbers = itertools.count(1)

# Someone from the cast, often the person who holds the file (or who sent it), so that the
# file really travels instead of most attempts bouncing off.
PEOPLE = st.one_of(st.just("holder"), st.just("sender"), st.integers(min_value=0, max_value=5))
Who = int | str
POSTS = st.integers(min_value=0, max_value=5)
FILES = st.integers(min_value=0, max_value=1)
NOTES = st.integers(min_value=0, max_value=10_000)
BODIES = st.one_of(
    st.sampled_from(["One.", "One.\n\nTwo.", "A.\n\nB.\n\nC.", "  ", "", "\n\n \n"]),
    st.text(alphabet="ab \n", max_size=10),
)


@dataclass
class Hop:
    """The model of one movement."""

    pk: int
    from_post: int | None
    to_post: int
    read: bool
    previous: Hop | None
    pulled_back: bool = False


@dataclass
class FileModel:
    pk: int
    unit_id: int
    holder: int
    status: str
    current: Hop
    hops: list[Hop] = field(default_factory=list)

    def held_by(self) -> set[int]:
        """Every post that held the file (pulled-back sends excluded)."""
        return {hop.to_post for hop in self.hops if not hop.pulled_back}


class MovementRules(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        cast = make_cast(prefix=f"h{next(_example_numbers)}-")
        self.people: list[User] = [
            cast.assistant,
            cast.section_officer,
            cast.deputy_secretary,
            cast.secretary,
            cast.registry_clerk,
            cast.outsider,
        ]
        self.posts: list[Post] = [
            cast.assistant_post,
            cast.so_post,
            cast.ds_post,
            cast.secretary_post,
            cast.registry_post,
            cast.outsider_post,
        ]
        self.post_of = {p.pk: post for p, post in zip(self.people, self.posts, strict=True)}
        self.above = {post.pk: set(chain_above(post)) for post in self.posts}
        self.files: list[FileModel] = []
        for opener, subject in [(0, "Small dams"), (4, "Registry diary")]:
            opened = files.file_open(
                actor=self.people[opener], post_id=self.posts[opener].pk, subject=subject
            )
            assert opened.current_movement is not None
            hop = Hop(opened.current_movement.pk, None, self.posts[opener].pk, True, None)
            self.files.append(
                FileModel(opened.pk, opened.unit_id, opened.holder_id, opened.status, hop, [hop])
            )
        self.file_ids = [f.pk for f in self.files]
        self.finals: dict[int, tuple[Any, ...]] = {}
        self.may_finalise = False

    # --- Helpers --------------------------------------------------------------------------

    def person(self, who: Who, model: FileModel) -> int:
        """The index of the acting person: ``holder`` and ``sender`` are looked up."""
        if who == "holder":
            return next(i for i, post in enumerate(self.posts) if post.pk == model.holder)
        if who == "sender":
            sender = model.current.from_post if model.current.from_post else model.holder
            return next(i for i, post in enumerate(self.posts) if post.pk == sender)
        assert isinstance(who, int)
        return who

    def visible(self, model: FileModel) -> set[int]:
        """Posts that see the file by need to know (docs/access.md): the posts that held it,
        the posts above them, the posts of its unit (every file here is Unclassified)."""
        held = model.held_by()
        above = {pk for post in held for pk in self.above[post]}
        unit = {post.pk for post in self.posts if post.unit_id == model.unit_id}
        return held | above | unit

    def model_of(self, file_id: int) -> FileModel:
        return next(f for f in self.files if f.pk == file_id)

    def holder_check(self, who: int, model: FileModel) -> type[DaftarError] | None:
        """What every holder-only action answers before looking at anything else."""
        post = self.posts[who].pk
        if post not in self.visible(model):
            return NotFound
        if post != model.holder:
            return Conflict
        return None

    def snapshot(self) -> tuple[list[Any], list[Any], list[Any]]:
        return (
            list(
                File.objects.filter(pk__in=self.file_ids)
                .order_by("pk")
                .values_list("pk", "holder_id", "status", "current_movement_id", "closed_at")
            ),
            list(
                Movement.objects.filter(file_id__in=self.file_ids)
                .order_by("pk")
                .values_list("pk", "to_post_id", "read_at", "read_by_id", "pulled_back_at")
            ),
            list(
                Note.objects.filter(file_id__in=self.file_ids)
                .order_by("pk")
                .values_list("pk", "body", "kind", "first_para", "para_count", "is_final")
            ),
        )

    def attempt(self, who: int, expected: type[DaftarError] | None, call: Callable[[], T]) -> T:
        """Run ``call``: on success exactly one audit event by the actor; on failure the
        expected error and no change at all. Returns the service's result (None on failure)."""
        event(
            f"{getattr(call, '__qualname__', '?').split('.')[1]}: "
            f"{'ok' if expected is None else expected.__name__}"
        )
        before = self.snapshot()
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if expected is None:
            result = call()
            events = list(AuditEvent.objects.filter(pk__gt=last_event))
            assert len(events) == 1, [e.action for e in events]
            assert events[0].actor_id == self.people[who].pk
            return result
        with pytest.raises(expected):
            call()
        assert self.snapshot() == before
        assert not AuditEvent.objects.filter(pk__gt=last_event).exists()
        return None  # type: ignore[return-value]

    def moved(self, model: FileModel, movement_pk: int, to_post: int) -> None:
        model.current.read = True  # acting on the file opened it
        hop = Hop(movement_pk, model.holder, to_post, False, model.current)
        model.hops.append(hop)
        model.current = hop
        model.holder = to_post
        model.status = FileStatus.OPEN
        self.may_finalise = True

    # --- Rules ----------------------------------------------------------------------------

    @rule(
        acting=PEOPLE, which=FILES, to=POSTS, priority=st.none() | st.sampled_from(Priority.values)
    )
    def send(self, acting: Who, which: int, to: int, priority: int | None) -> None:
        model = self.files[which]
        who = self.person(acting, model)
        target = self.posts[to].pk
        expected = self.holder_check(who, model)
        if expected is None and model.status == FileStatus.CLOSED:
            expected = Conflict
        if expected is None and target == model.holder:
            expected = InvalidInput
        sent = self.attempt(
            who,
            expected,
            lambda: movement.file_send(
                actor=self.people[who], file_id=model.pk, to_post_id=target, priority=priority
            ),
        )
        if sent is not None:
            self.moved(model, sent.pk, target)

    @rule(which=FILES, to=POSTS)
    def holder_sends(self, which: int, to: int) -> None:
        """The common case, drawn on its own so that files travel far in few steps."""
        self.send("holder", which, to, None)

    @rule(acting=PEOPLE, which=FILES)
    def send_back(self, acting: Who, which: int) -> None:
        model = self.files[which]
        who = self.person(acting, model)
        expected = self.holder_check(who, model)
        if expected is NotFound:
            pass
        elif model.current.from_post is None:
            expected = Conflict  # opened here: there is no one to return it to
        elif expected is None and model.status == FileStatus.CLOSED:
            expected = Conflict
        returned = self.attempt(
            who, expected, lambda: movement.file_return(actor=self.people[who], file_id=model.pk)
        )
        if returned is not None:
            assert model.current.from_post is not None
            self.moved(model, returned.pk, model.current.from_post)

    @rule(acting=PEOPLE, which=FILES)
    def pull_back(self, acting: Who, which: int) -> None:
        model = self.files[which]
        who = self.person(acting, model)
        post = self.posts[who].pk
        expected: type[DaftarError] | None = None
        if post not in self.visible(model):
            expected = NotFound
        elif model.current.from_post != post or model.current.read:
            expected = Conflict
        pulled = self.attempt(
            who, expected, lambda: movement.file_pull_back(actor=self.people[who], file_id=model.pk)
        )
        if pulled is not None:
            current = model.current
            assert pulled.pk == current.pk and current.previous is not None
            current.pulled_back = True
            model.holder = post
            model.current = current.previous

    @rule(acting=PEOPLE, which=FILES)
    def open_file(self, acting: Who, which: int) -> None:
        model = self.files[which]
        who = self.person(acting, model)
        post = self.posts[who].pk
        if post not in self.visible(model):
            self.attempt(
                who,
                NotFound,
                lambda: movement.file_mark_read(actor=self.people[who], file_id=model.pk),
            )
            return
        first = post == model.holder and not model.current.read
        events = AuditEvent.objects.count()
        before = self.snapshot()
        assert movement.file_mark_read(actor=self.people[who], file_id=model.pk) is first
        if first:
            assert AuditEvent.objects.count() == events + 1
            model.current.read = True
        else:
            assert AuditEvent.objects.count() == events
            assert self.snapshot() == before

    @rule(acting=PEOPLE, which=FILES, body=BODIES, agree=st.booleans())
    def write_note(self, acting: Who, which: int, body: str, agree: bool) -> None:
        model = self.files[which]
        who = self.person(acting, model)
        expected = self.holder_check(who, model)
        if expected is None and model.status == FileStatus.CLOSED:
            expected = Conflict
        if expected is None and not agree and not split_paragraphs(body):
            expected = InvalidInput
        kind = NoteKind.AGREE if agree else NoteKind.TEXT
        note = self.attempt(
            who,
            expected,
            lambda: files.note_add(actor=self.people[who], file_id=model.pk, body=body, kind=kind),
        )
        if note is not None:
            model.current.read = True

    def draft_expectation(self, who: int, note: Note, body: str | None) -> type[DaftarError] | None:
        model = self.model_of(note.file_id)
        expected = self.holder_check(who, model)
        if expected is None and model.status == FileStatus.CLOSED:
            expected = Conflict
        if expected is None and note.author_id != self.people[who].pk:
            expected = NotFound
        if expected is None and (note.is_final or note.post_id != model.holder):
            expected = Conflict
        if expected is None and body is not None and not split_paragraphs(body):
            expected = InvalidInput
        return expected

    def pick_note(self, index: int) -> Note | None:
        notes = list(Note.objects.filter(file_id__in=self.file_ids).order_by("pk"))
        return notes[index % len(notes)] if notes else None

    @rule(acting=PEOPLE, index=NOTES, body=BODIES)
    def edit_note(self, acting: Who, index: int, body: str) -> None:
        note = self.pick_note(index)
        if note is None:
            return
        who = self.person(acting, self.model_of(note.file_id))
        expected = self.draft_expectation(who, note, body)
        edited = self.attempt(
            who,
            expected,
            lambda: files.note_edit(actor=self.people[who], note_id=note.pk, body=body),
        )
        if edited is not None:
            self.model_of(note.file_id).current.read = True

    @rule(acting=PEOPLE, index=NOTES)
    def delete_note(self, acting: Who, index: int) -> None:
        note = self.pick_note(index)
        if note is None:
            return
        who = self.person(acting, self.model_of(note.file_id))
        expected = self.draft_expectation(who, note, None)
        before = Note.objects.filter(pk=note.pk).exists()
        self.attempt(
            who, expected, lambda: files.note_delete(actor=self.people[who], note_id=note.pk)
        )
        if expected is None:
            assert before and not Note.objects.filter(pk=note.pk).exists()
            self.model_of(note.file_id).current.read = True

    @rule(
        acting=PEOPLE,
        which=FILES,
        change=st.sampled_from(["park", "unpark", "close", "reopen"]),
    )
    def change_status(self, acting: Who, which: int, change: str) -> None:
        model = self.files[which]
        who = self.person(acting, model)
        allowed_from, to = {
            "park": ({FileStatus.OPEN}, FileStatus.PARKED),
            "unpark": ({FileStatus.PARKED}, FileStatus.OPEN),
            "close": ({FileStatus.OPEN, FileStatus.PARKED}, FileStatus.CLOSED),
            "reopen": ({FileStatus.CLOSED}, FileStatus.OPEN),
        }[change]
        expected = self.holder_check(who, model)
        if expected is None and model.status not in allowed_from:
            expected = Conflict
        owning_unit_only = change in {"close", "reopen"}
        if expected is None and owning_unit_only and self.posts[who].unit_id != model.unit_id:
            expected = Conflict
        service: Callable[..., File] = getattr(files, f"file_{change}")
        changed = self.attempt(
            who, expected, lambda: service(actor=self.people[who], file_id=model.pk)
        )
        if changed is not None:
            model.status = to
            model.current.read = True

    # --- Invariants -----------------------------------------------------------------------

    @invariant()
    def one_holder_matching_the_model(self) -> None:
        for model in self.files:
            file = File.objects.select_related("current_movement").get(pk=model.pk)
            assert file.current_movement is not None
            assert file.holder_id == file.current_movement.to_post_id == model.holder
            assert file.current_movement_id == model.current.pk
            assert file.current_movement.pulled_back_at is None
            current = file.current_movement
            assert (
                file.inbox_unread,
                file.inbox_priority,
                file.inbox_due_on,
                file.inbox_since,
            ) == (
                current.read_at is None,
                current.priority,
                current.due_on,
                current.sent_at,
            ), "the inbox keys must mirror the current movement"
            assert file.status == model.status
            assert (file.closed_at is not None) == (file.status == FileStatus.CLOSED)

    @invariant()
    def movements_match_the_model(self) -> None:
        hops = {hop.pk: hop for model in self.files for hop in model.hops}
        rows = Movement.objects.filter(file_id__in=self.file_ids).values_list(
            "pk", "from_post_id", "to_post_id", "read_at", "pulled_back_at"
        )
        assert {row[0] for row in rows} == set(hops)
        for pk, from_post, to_post, read_at, pulled_back_at in rows:
            hop = hops[pk]
            assert (from_post, to_post) == (hop.from_post, hop.to_post)
            assert (read_at is not None) == hop.read
            assert (pulled_back_at is not None) == hop.pulled_back
            assert not (read_at is not None and pulled_back_at is not None)  # opened: kept

    @invariant()
    def note_sheet_numbered_and_final_notes_unchanged(self) -> None:
        finals: dict[int, tuple[Any, ...]] = {}
        for model in self.files:
            next_para = 1
            seen_draft = False
            for note in Note.objects.filter(file_id=model.pk).order_by("pk"):
                assert note.first_para == next_para, (note.pk, note.first_para, next_para)
                next_para += note.para_count
                assert note.para_count == len(split_paragraphs(note.body))
                if note.is_final:
                    assert not seen_draft, "a final note follows a draft"
                    finals[note.pk] = (
                        note.body,
                        note.kind,
                        note.first_para,
                        note.para_count,
                        note.author_id,
                        note.post_id,
                        note.finalised_at,
                    )
                else:
                    seen_draft = True
                    assert note.post_id == model.holder, "a draft lies at a post without the file"
        for pk, before in self.finals.items():
            assert finals.get(pk) == before, f"final note {pk} changed"
        if not self.may_finalise:
            assert set(finals) == set(self.finals), "notes became final without a send"
        self.finals = finals
        self.may_finalise = False

    def teardown(self) -> None:
        """Each person sees exactly the files the need-to-know rule gives their post (held,
        below them, or of their unit; pulled-back sends not counted). Every attempt already
        checks this through its NotFound or Conflict; this asks the access selector directly,
        once per example, to keep the steps quick."""
        for person, post in zip(self.people, self.posts, strict=True):
            seen = set(
                files_visible(person).filter(pk__in=self.file_ids).values_list("pk", flat=True)
            )
            assert seen == {m.pk for m in self.files if post.pk in self.visible(m)}


def test_movement_rules(transactional_db: None) -> None:
    run_state_machine_as_test(
        MovementRules,
        settings=settings(
            max_examples=10,
            stateful_step_count=35,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
