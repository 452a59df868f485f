"""The programme dashboard: who sees it, what it shows for a month, sorting, trends, the
month picker, and that it never shows a file."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from daftar.adoption.models import MonthlyFigures
from daftar.files.services import file_open
from daftar.org import services as org
from daftar.org.models import UnitKind
from daftar.org.roles import roles_assign
from tests.accounts.helpers import login_verified
from tests.adoption.figures import JUNE, MAY, Programme, figures, make_org_admin, unit
from tests.cast import PASSWORD, Cast

URL = reverse("programme")


def table_names(html: str) -> list[str]:
    """The organisations of the table, in the order shown."""
    body = html.split('id="programme-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'class="fw-semibold">([^<]+)</a>', body)


def get(client: Client, url: str, **params: str) -> tuple[int, str]:
    response = client.get(url, params)
    return response.status_code, response.content.decode()


@pytest.fixture
def office(programme: Programme) -> Client:
    return login_verified(Client(), programme.officer)


def test_the_programme_office_sees_every_reporting_organisation(office: Client) -> None:
    status, html = get(office, URL)
    assert status == 200
    assert sorted(table_names(html)) == [
        "Federal Flood Commission",
        "Finance Division",
        "Interior Division",
        "Ministry of Climate Change",
        "Water Resources Division",
    ]  # not the Government, nor the Ministry of Interior (reported through its division)
    assert "June 2025" in html
    assert 'href="/programme/"' in html  # the header link


def test_the_ministry_column_and_the_reason(office: Client, programme: Programme) -> None:
    _, html = get(office, URL)
    row = html.split(f'data-unit="{programme.interior.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Ministry of Interior" in row
    assert "level 4: E 90%" in row
    assert "Level 4" in row


def test_the_total_is_the_government_row(office: Client, programme: Programme) -> None:
    _, html = get(office, URL)
    totals = html.split('id="programme-totals"', 1)[1].split("</section>", 1)[0]
    assert "75.0%" in totals  # the Government's E, not an average of the rows
    assert "999" in totals


def test_without_a_government_row_the_total_sums_the_organisations(
    office: Client, programme: Programme
) -> None:
    MonthlyFigures.objects.filter(unit=programme.gov).delete()
    _, html = get(office, URL)
    totals = html.split('id="programme-totals"', 1)[1].split("</section>", 1)[0]
    # notes 80 + 50 + 60 + 90 (climate has no file work) of 400 pieces of work
    assert "70.0%" in totals
    assert "160" in totals  # pages saved: 120 + 40


def test_levels_are_counted(office: Client) -> None:
    _, html = get(office, URL)
    counts = html.split('id="programme-level-counts"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'fs-5 fw-semibold">(\d+)<', counts) == ["1", "0", "2", "1", "1"]


def test_trend_arrows_compare_e_with_the_month_before(office: Client, programme: Programme) -> None:
    _, html = get(office, URL)

    def cell(org_id: int) -> str:
        return html.split(f'data-unit="{org_id}"', 1)[1].split("</tr>", 1)[0]

    assert "80.0%" in cell(programme.wrd.pk) and "▲" in cell(programme.wrd.pk)
    assert "50.0%" in cell(programme.fin.pk) and "▼" in cell(programme.fin.pk)
    assert "▬" in cell(programme.flood.pk)
    for symbol in "▲▼▬":  # no month before, or no file work: no arrow
        assert symbol not in cell(programme.climate.pk)
        assert symbol not in cell(programme.interior.pk)
    assert "up on the month before" in cell(programme.wrd.pk)


def test_sorting_by_usage_puts_blanks_last_both_ways(office: Client) -> None:
    _, html = get(office, URL, sort="e")
    assert table_names(html) == [
        "Interior Division",
        "Water Resources Division",
        "Federal Flood Commission",
        "Finance Division",
        "Ministry of Climate Change",
    ]
    _, html = get(office, URL, sort="-e")
    assert table_names(html) == [
        "Finance Division",
        "Federal Flood Commission",
        "Water Resources Division",
        "Interior Division",
        "Ministry of Climate Change",
    ]
    assert 'aria-sort="ascending"' in html


def test_sorting_by_name_and_ties_by_name(office: Client) -> None:
    _, html = get(office, URL, sort="level")
    assert table_names(html) == [
        "Interior Division",
        "Water Resources Division",
        "Federal Flood Commission",  # level 2, the tie broken by name
        "Finance Division",
        "Ministry of Climate Change",
    ]
    _, by_name = get(office, URL, sort="nonsense")  # a stale link: the default order
    assert table_names(by_name) == sorted(table_names(by_name))
    # The header link asks for the reverse of the order in force.
    _, html = get(office, URL, sort="name")
    assert "sort=-name" in html and 'aria-sort="ascending"' in html


def test_the_month_picker_defaults_to_the_last_complete_month(office: Client) -> None:
    _, html = get(office, URL)
    picker = html.split('id="month-picker"', 1)[1].split("</form>", 1)[0]
    assert re.findall(r'<option value="([\d-]+)"', picker) == ["2025-07", "2025-06", "2025-05"]
    assert '<option value="2025-06" selected>' in picker  # not July, the month to date


def test_another_month_and_the_month_to_date(office: Client, programme: Programme) -> None:
    _, html = get(office, URL, month="2025-05")
    assert "May 2025" in html and "70.0%" in html
    assert "month to date" not in html
    _, html = get(office, URL, month="2025-07")
    assert table_names(html) == ["Water Resources Division"]
    assert "month to date" in html


@pytest.mark.parametrize("month", ["2025-13", "June", "2025-6-1", "0000-01", "2025-00"])
def test_a_bad_month_says_so_and_shows_the_default(office: Client, month: str) -> None:
    status, html = get(office, URL, month=month)
    assert status == 400
    assert "is not a month: write it as year and month, e.g. 2025-03." in html
    assert '<option value="2025-06" selected>' in html


def test_a_month_without_figures_says_so(office: Client) -> None:
    status, html = get(office, URL, month="2024-01")
    assert status == 200
    assert "There are no figures for January 2024 yet." in html


def test_no_figures_at_all(cast: Cast, frozen: None) -> None:
    from tests.adoption.figures import programme_officer

    client = login_verified(Client(), programme_officer())
    status, html = get(client, URL)
    assert status == 200
    assert "No figures have been computed yet." in html


def test_the_org_admin_sees_only_their_organisation(cast: Cast, programme: Programme) -> None:
    client = login_verified(Client(), make_org_admin(cast))
    status, html = get(client, URL)
    assert status == 200
    # Their division, and the attached department below it (an organisation of their own).
    assert sorted(table_names(html)) == ["Federal Flood Commission", "Water Resources Division"]
    totals = html.split('id="programme-totals"', 1)[1].split("</section>", 1)[0]
    assert "999" not in totals  # not the national total
    assert get(client, reverse("programme-organisation", args=[programme.wrd.pk]))[0] == 200
    assert get(client, reverse("programme-organisation", args=[programme.fin.pk]))[0] == 404
    assert get(client, reverse("programme-organisation", args=[programme.gov.pk]))[0] == 404


@pytest.mark.parametrize("who", ["assistant", "outsider", "section_officer"])
def test_anyone_else_gets_a_404(cast: Cast, programme: Programme, who: str) -> None:
    client = login_verified(Client(), getattr(cast, who))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("programme-organisation", args=[programme.wrd.pk])).status_code == 404
    assert client.get(reverse("programme-csv")).status_code == 404
    assert 'href="/programme/"' not in client.get(reverse("home")).content.decode()


def test_a_visitor_is_sent_to_log_in(programme: Programme) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_pages_never_show_a_file(office: Client, cast: Cast, programme: Programme) -> None:
    subject = "Zebra crossings near the Sukkur barrage"
    file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject=subject)
    for url in (
        URL,
        reverse("programme-organisation", args=[programme.wrd.pk]),
        reverse("programme-csv"),
        reverse("programme-organisation-csv", args=[programme.wrd.pk]),
    ):
        response = office.get(url)
        assert response.status_code == 200
        assert "Zebra" not in response.content.decode("utf-8-sig")


def test_drill_down_history_and_units(office: Client, programme: Programme) -> None:
    status, html = get(office, reverse("programme-organisation", args=[programme.wrd.pk]))
    assert status == 200
    assert "level 3: E 80%, R 90%; level 4 needs E ≥ 95%: E is 80%" in html
    history = html.split('id="org-history"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'text-nowrap">(\w{3} \d{4})<', history) == ["Jun 2025", "May 2025"]
    units = html.split('id="org-units"', 1)[1].split("</table>", 1)[0]
    assert "Development Wing" in units and "Development-I Section" in units
    assert "Central Registry" in units
    assert "Federal Flood Commission" not in units  # reports on its own
    assert units.index("Development Wing") < units.index("Development-I Section")
    assert 'class="unit-depth-2">Development-I Section' in units
    assert "6.5" in html  # the median wait
    assert "<svg" in html  # the usage bars, drawn without script


def test_drill_down_of_a_ministry_links_its_division(office: Client, programme: Programme) -> None:
    url = reverse("programme-organisation", args=[programme.interior_ministry.pk])
    _, html = get(office, url)
    link = reverse("programme-organisation", args=[programme.interior.pk])
    assert f'href="{link}?month=2025-06"' in html


@pytest.mark.parametrize("target", ["section", "missing"])
def test_drill_down_only_of_an_organisation(office: Client, cast: Cast, target: str) -> None:
    unit_id = cast.section.pk if target == "section" else 999_999
    assert office.get(reverse("programme-organisation", args=[unit_id])).status_code == 404


def test_drill_down_bad_month(office: Client, programme: Programme) -> None:
    url = reverse("programme-organisation", args=[programme.wrd.pk])
    status, html = get(office, url, month="2025-99")
    assert status == 400
    assert "is not a month" in html


def _more_organisations(programme: Programme, count: int) -> None:
    for n in range(count):
        division = unit(f"X{n}", f"Extra Division {n}", UnitKind.DIVISION, programme.gov)
        figures(division, JUNE, e=40 + n, level=2)
        figures(division, MAY, e=30 + n, level=1)


def test_the_dashboard_costs_the_same_queries_however_many_organisations(
    office: Client, programme: Programme, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    office.get(URL)  # sessions and permission caches settle
    with CaptureQueriesContext(connection) as few:
        assert office.get(URL).status_code == 200
    _more_organisations(programme, 15)
    # session, user, device, permissions; months, units, two months, twelve months, policy
    with django_assert_max_num_queries(9) as many:
        response = office.get(URL)
    assert len(table_names(response.content.decode())) == 20
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_drill_down_costs_the_same_queries_however_many_units(
    office: Client, cast: Cast, programme: Programme
) -> None:
    url = reverse("programme-organisation", args=[programme.wrd.pk])
    office.get(url)
    with CaptureQueriesContext(connection) as few:
        office.get(url)
    for n in range(10):
        section = unit(f"S{n}", f"Section {n}", UnitKind.SECTION, programme.wing)
        figures(section, JUNE, e=50, level=2)
    with CaptureQueriesContext(connection) as many:
        response = office.get(url)
    assert "Section 9" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) <= 12


def test_the_org_admins_pages_cost_a_fixed_number_of_queries(
    cast: Cast, programme: Programme
) -> None:
    client = login_verified(Client(), make_org_admin(cast))
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _more_organisations(programme, 5)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


def test_the_pages_render_in_urdu_right_to_left(office: Client, programme: Programme) -> None:
    for url in (URL, reverse("programme-organisation", args=[programme.wrd.pk])):
        response = office.get(url, {"month": "2025-06"}, HTTP_ACCEPT_LANGUAGE="ur")
        assert response.status_code == 200
        assert 'dir="rtl"' in response.content.decode()


def test_an_admin_of_a_ministry_sees_its_division_and_a_total_counted_once(
    programme: Programme,
) -> None:
    post = org.post_create(
        actor=None, unit=programme.interior_ministry, code="SEC-MOI", designation="Secretary"
    )
    person = org.person_create(
        actor=None, email="sec@interior.gov.pk", full_name="Omar Farooq", password=PASSWORD
    )
    org.charge_assign(actor=None, person=person, post=post, start=MAY)
    admin = roles_assign(actor=None, person=person, roles=["organisation_admin"])
    _, html = get(login_verified(Client(), admin), URL)
    assert sorted(table_names(html)) == ["Interior Division", "Ministry of Interior"]
    totals = html.split('id="programme-totals"', 1)[1].split("</section>", 1)[0]
    # The ministry's row covers its division: 10 people, not 20; E 90%.
    assert "90.0%" in totals
    assert "of 10" in totals


def test_an_admin_of_the_government_gets_its_row_as_the_total(programme: Programme) -> None:
    """The Government's row already counts the attached department below it (as the roll-up
    adds it up): a total of the rows shown must not count the department twice."""
    post = org.post_create(
        actor=None, unit=programme.gov, code="CAB-SEC", designation="Cabinet Secretary"
    )
    person = org.person_create(
        actor=None, email="cabsec@cabinet.gov.pk", full_name="Nadia Qureshi", password=PASSWORD
    )
    org.charge_assign(actor=None, person=person, post=post, start=MAY)
    admin = roles_assign(actor=None, person=person, roles=["organisation_admin"])
    _, html = get(login_verified(Client(), admin), URL)
    assert "Federal Flood Commission" in table_names(html)
    totals = html.split('id="programme-totals"', 1)[1].split("</section>", 1)[0]
    assert "75.0%" in totals  # the Government's E, not 67.5% with the department twice
    assert "of 10" in totals
