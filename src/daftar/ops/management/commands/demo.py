"""``daftar demo``: load the demo ministry and print its logins. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from daftar.ops.demo import ADMIN_EMAIL, DEMO_PASSWORD, URL, demo_load
from daftar.ops.demo_programme import PROGRAMME_OFFICE_EMAIL, ProgrammeReport
from daftar.ops.demo_summary import DemoReport


class Command(BaseCommand):
    help = (
        "Load the demo: the Water Resources Division (Ministry of Water Resources) with about "
        "25 people and 60 files at every stage, six more organisations with a year of history "
        "at different e-office levels, then print the demo logins. Running it again changes "
        "nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-programme",
            action="store_true",
            help="load only the Water Resources and Finance Divisions, without the other "
            "organisations and their year of history",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_load(programme=not options["no_programme"])
        self.stdout.write(render_report(report))


def render_report(report: DemoReport) -> str:
    c = report.counts
    lines = [
        "Daftar demo: Water Resources Division (Ministry of Water Resources) and Finance "
        "Division (Ministry of Finance)",
        "",
    ]
    if report.org is not None:
        lines.append(f"Organisation: {report.org.summary()}")
    else:
        lines.append(f"Organisation: {report.org_note}")
    if report.files_created:
        lines.append(f"Files: {report.files_created} created.")
    else:
        lines.append("Files: already loaded; nothing changed.")
    if report.receipts_created:
        lines.append(
            f"Receipts: {report.receipts_created} letters diarised at the Central Registry and "
            "sent to the sections (their scans are read by `daftar worker`)."
        )
    if report.letters_created:
        lines.append(
            "Letters: drafts for approval at every stage; a letter signed, sealed and issued "
            "to the Finance Division on Daftar, and its reply waiting at the Central Registry."
        )
    lines.append(
        f"Now {c['files']} files: {c['open']} open ({c['unread']} unread, {c['overdue']} "
        f"overdue), {c['parked']} parked, {c['closed']} closed; {c['physical']} physical, "
        f"{c['classified']} classified."
    )
    lines += [
        "",
        f"Open {URL} (start it with `daftar serve`) and sign in as any of these people.",
        f"The password of every demo login is: {DEMO_PASSWORD}",
        "",
    ]
    name_w = max([len("Name"), *(len(p.name) for p in report.logins)])
    post_w = max([len("Post"), *(len(p.posts) for p in report.logins)])
    lines.append(f"  {'Name':<{name_w}}  {'Post':<{post_w}}  E-mail")
    lines.append(f"  {'-' * name_w}  {'-' * post_w}  {'-' * 6}")
    lines += [f"  {p.name:<{name_w}}  {p.posts:<{post_w}}  {p.email}" for p in report.logins]
    lines += [
        "",
        f"Admin screens: {URL}/admin/ as {ADMIN_EMAIL} (the same password).",
        "  At its first login the admin account must set up two-factor login: have an",
        "  authenticator app (FreeOTP, Aegis, Google or Microsoft Authenticator) ready to scan",
        "  the code shown, and keep the recovery codes. Signing officers are asked the same.",
    ]
    for login, unread in report.showcase:
        lines.append(
            f"Try {login.name} ({login.posts}, {login.email}): "
            f"{unread} unread file{'s' if unread != 1 else ''} waiting."
        )
    if report.programme is not None:
        lines += ["", *programme_lines(report.programme)]
    return "\n".join(lines)


def programme_lines(p: ProgrammeReport) -> list[str]:
    if p.histories:
        made = f"a year of history loaded for {', '.join(p.histories)}"
    else:
        made = "already loaded; nothing changed"
    lines = [
        f"Programme: six more organisations, {made}; e-office levels computed for "
        f"{p.months_computed} months ({p.seconds:.1f} s)."
    ]
    if p.org is None:
        lines.append(f"  {p.org_note}")
    if p.month is not None and p.levels:
        lines.append(f"Levels in {p.month:%B %Y}:")
        lines += [
            f"  {code} {name}: level {level} — {reason}" for code, name, level, reason in p.levels
        ]
    lines.append(
        f"Programme dashboard: {URL}/programme/ as {PROGRAMME_OFFICE_EMAIL} "
        "(Programme Director (e-Office)), the same password."
    )
    lines.append("The other organisations' people sign in the same way, for instance:")
    lines += [f"  {name} — {org}, {email}" for org, name, email in p.logins]
    return lines
