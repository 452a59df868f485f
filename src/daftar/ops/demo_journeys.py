"""The journeys demo files have made so far: each pattern is a list of steps (note, agree,
send, return, pull back, read, park, close) that ``daftar.ops.demo`` replays through the real
services, with the stock phrases of Secretariat noting."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from daftar.ops.demo_files import DemoFile
from daftar.org.models import Post

REGISTRY_POST = "RI-UDC"
BUDGET_POST = "SO-BA"  # asked about funds unless a file names another post


@dataclass(frozen=True)
class Step:
    kind: str  # note, agree, send, return, pull_back, read, park, close
    text: str = ""
    to: int | str | None = None  # a level in the file's chain, or a post code
    due_days: int | None = None


SO_FORWARD = (
    "The proposal has been examined. It is in line with the rules and with the earlier "
    "decisions on the subject placed on the file.\n\n{up} may kindly see for orders, please.",
    "The case is complete in all respects and the proposal appears to be in order.\n\n"
    "Submitted to {up} for approval, please.",
    "The comments of WAPDA and the Planning Commission are placed on the file. We may agree "
    "with the proposal.\n\n{up} may kindly see.",
    "The draft placed below has been revised in the light of the earlier correspondence.\n\n"
    "Submitted for approval, please.",
)
OFFICER_FORWARD = (
    "{up} may kindly see. We may agree with the proposal.",
    "Seen. The proposal is recommended for the approval of {up}.",
    "Discussed with the Section. {up} may kindly see for orders.",
)
DECISIONS = (
    "Approved.",
    "Approved. Please proceed as proposed.",
    "Discussed. Proceed as proposed and keep me informed of the progress.",
    "Approved, subject to the concurrence of the Finance Division.",
)
SO_RETURN = (
    "The case does not include the comments of the provincial Irrigation Department and the "
    "Planning Commission. Please obtain them and resubmit.",
    "Please examine the proposal in the light of the Finance Division's instructions on new "
    "projects and resubmit with a clear recommendation.",
    "The figures above do not agree with WAPDA's latest report. Please reconcile them and "
    "resubmit.",
)
MARK_DOWN_NOTES = (
    "Please prepare a draft reply to WAPDA on the lines of the discussion above and put up.",
    "Please call for the detailed progress report from WAPDA and put up a summary for the "
    "review meeting.",
)
ADDENDUM = (
    "The paragraph above may be read with the corrected figures placed at flag 'B'. The error "
    "is regretted.",
    "A copy of WAPDA's latest letter, received today, has been placed on the file for reference.",
)
ADDENDUM_WAIT = (
    "The file was sent up before the latest report was received. The report is awaited; the "
    "note will be revised when it comes.",
)
SO_ACROSS = "{to} may kindly offer comments on the proposal at the earliest, please."
ACROSS_COMMENTS = (
    "Funds are available under the relevant head of account in the current year's "
    "allocation. There is no objection to the proposal.",
    "The proposal has been seen. The figures above agree with our records and we have no "
    "objection.",
)
SO_WAIT = (
    "The comments of the provincial governments are awaited and a reminder has been issued. "
    "The file may be kept pending till they are received.",
    "WAPDA has been asked for its comments. The file may be kept pending.",
)
SO_DECIDES = (
    "Sanctioned. Please issue the office order.",
    "Approved. Please process the case for payment.",
)
CLOSING = (
    "The letter conveying the approval was issued through the Central Registry and the "
    "office copy is placed on the file. No further action is required; the file may be "
    "closed.",
    "Necessary action has been taken. The file may be recorded.",
)
PUT_UP_REMARKS = ("Submitted for orders, please.", "Submitted, please.", "For approval.", "")
MARK_DOWN_REMARKS = ("For necessary action.", "Please proceed as approved.", "")


@dataclass
class Journey:
    """What a pattern needs to know: the file, its chain of posts and a seeded random."""

    spec: DemoFile
    chain: list[Post]  # level 0 is the opener, then whom each reports to
    rng: random.Random
    steps: list[Step] = field(default_factory=list)

    def short(self, level: int | str) -> str:
        post = self.post(level)
        name = post.designation
        for long, abbreviation in (
            ("Additional Secretary", "AS"),
            ("Joint Secretary", "JS"),
            ("Deputy Secretary", "DS"),
            ("Section Officer", "SO"),
        ):
            name = name.replace(long, abbreviation)
        return name

    def post(self, level: int | str) -> Post:
        if isinstance(level, int):
            return self.chain[min(level, len(self.chain) - 1)]
        return Post.objects.get(code=level)

    def pick(self, options: tuple[str, ...], **kw: str) -> str:
        return self.rng.choice(options).format(**kw)

    def add(
        self, kind: str, text: str = "", to: int | str | None = None, due: int | None = None
    ) -> None:
        self.steps.append(Step(kind, text, to, due))

    def first_note(self) -> None:
        self.add("note", self.spec.note)

    def up(self, level: int) -> None:
        self.add("send", self.pick(PUT_UP_REMARKS), to=level)

    def climb(self, top: int, *, decide: bool) -> None:
        """From the assistant up to ``top``; every officer on the way notes or agrees."""
        self.first_note()
        self.up(1)
        for level in range(1, top):
            if level > 1 and self.rng.random() < 0.35:
                self.add("agree")
            else:
                pool = SO_FORWARD if level == 1 else OFFICER_FORWARD
                self.add("note", self.pick(pool, up=self.short(level + 1)))
            self.up(level + 1)
        if decide:
            self.add("note", self.pick(DECISIONS))
            self.add("send", self.pick(MARK_DOWN_REMARKS), to=1)


def _top(j: Journey, default: int) -> int:
    return min(j.spec.top or default, len(j.chain) - 1)


def _draft(j: Journey) -> None:
    j.first_note()


def _put_up(j: Journey) -> None:
    j.first_note()
    j.up(1)


def _put_up_read(j: Journey) -> None:
    _put_up(j)
    j.add("read")


def _with_officer(j: Journey) -> None:
    j.climb(2, decide=False)


def _climb(j: Journey) -> None:
    j.climb(_top(j, 3), decide=True)


def _climb_read(j: Journey) -> None:
    _climb(j)
    j.add("read")


def _climb_to_top(j: Journey) -> None:
    j.climb(len(j.chain) - 1, decide=False)


def _returned(j: Journey) -> None:
    _put_up(j)
    j.add("note", j.pick(SO_RETURN))
    j.add("return", "Please see my note and resubmit.")


def _marked_down(j: Journey) -> None:
    j.climb(2, decide=False)
    j.add("note", j.pick(MARK_DOWN_NOTES))
    j.add("send", "Please put up, as desired.", to=0)


def _pulled_back(j: Journey) -> None:
    _put_up(j)
    j.add("pull_back")
    j.add("note", j.pick(ADDENDUM))
    j.up(1)


def _pulled_back_kept(j: Journey) -> None:
    _put_up(j)
    j.add("pull_back")
    j.add("note", j.pick(ADDENDUM_WAIT))


def _across(j: Journey) -> None:
    to = j.spec.to or BUDGET_POST
    _put_up(j)
    j.add("note", SO_ACROSS.format(to=j.short(to)))
    j.add("send", "For comments, please.", to=to, due=5)
    j.add("note", j.pick(ACROSS_COMMENTS))
    j.add("return", "Comments offered above.")


def _across_waiting(j: Journey) -> None:
    j.first_note()
    if not j.spec.opener:
        j.up(1)
        j.add("note", SO_ACROSS.format(to=j.short(j.spec.to)))
    j.add("send", "Comments are required within three days, please.", to=j.spec.to, due=3)


def _overdue_up(j: Journey) -> None:
    _put_up(j)
    j.add("note", j.pick(SO_FORWARD, up=j.short(2)))
    j.add("send", "Submitted. The reply is due shortly.", to=2, due=2)
    j.add("read")


def _parked(j: Journey) -> None:
    _put_up(j)
    j.add("note", j.pick(SO_WAIT))
    j.add("send", "Keep pending till the comments are received.", to=0)
    j.add("park")


def _closed(j: Journey) -> None:
    j.climb(2, decide=True)
    j.add("send", "", to=0)
    j.add("note", j.pick(CLOSING))
    j.add("close")


def _dispatch(j: Journey) -> None:
    j.climb(2, decide=True)
    j.add("send", "Fair copy signed. For issue, please.", to=REGISTRY_POST)
    number = j.rng.randint(1200, 4800)
    j.add("return", f"Issued vide dispatch No. {number}/R&I.")


def _so_decides(j: Journey) -> None:
    _put_up(j)
    j.add("note", j.pick(SO_DECIDES))
    j.add("send", "For necessary action.", to=0)


def _physical(j: Journey) -> None:
    j.add("send", "The physical file is sent for perusal.", to=1)
    j.add("send", "Submitted, please.", to=2)
    j.add("send", "Seen. Returned.", to=1)


PATTERNS: dict[str, Callable[[Journey], None]] = {
    "draft": _draft,
    "put_up": _put_up,
    "put_up_read": _put_up_read,
    "with_officer": _with_officer,
    "climb": _climb,
    "climb_read": _climb_read,
    "climb_to_top": _climb_to_top,
    "returned": _returned,
    "marked_down": _marked_down,
    "pulled_back": _pulled_back,
    "pulled_back_kept": _pulled_back_kept,
    "across": _across,
    "across_waiting": _across_waiting,
    "overdue_up": _overdue_up,
    "parked": _parked,
    "closed": _closed,
    "dispatch": _dispatch,
    "so_decides": _so_decides,
    "physical": _physical,
}
