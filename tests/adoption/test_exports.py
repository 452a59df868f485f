"""The exports: CSV and XLSX read back as a spreadsheet would, the PDF report read back with
pypdf; the same rule of access as the pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from daftar.adoption.dashboard import COLUMNS
from daftar.org.models import UnitKind
from tests.accounts.helpers import login_verified
from tests.adoption.figures import JUNE, Programme, figures, make_org_admin, unit
from tests.cast import Cast

HEADERS = [str(column.header) for column in COLUMNS]


@pytest.fixture
def office(programme: Programme) -> Client:
    return login_verified(Client(), programme.officer)


def read_csv(client: Client, url: str, **params: str) -> list[dict[str, str]]:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    header, *rows = list(reader)
    assert header == HEADERS
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_csv_of_the_month(office: Client) -> None:
    rows = read_csv(office, reverse("programme-csv"), month="2025-06", sort="e")
    assert [r["Organisation or unit"] for r in rows] == [
        "Interior Division",
        "Water Resources Division",
        "Federal Flood Commission",
        "Finance Division",
        "Ministry of Climate Change",
    ]
    wrd = rows[1]
    assert wrd["Month"] == "2025-06"
    assert wrd["Code"] == "WRD"
    assert wrd["Level"] == "3"
    assert wrd["Usage % (E)"] == "80.0"
    assert wrd["Trend of E"] == "up"
    assert wrd["Pages saved"] == "120"
    assert wrd["Cost saved"] == "1200.0"
    assert wrd["Hours saved"] == "35.5"
    assert wrd["Median wait (hours)"] == "6.5"
    assert wrd["Overdue"] == "3"
    assert wrd["Reason"].startswith("level 3: E 80%")
    assert rows[2]["Trend of E"] == "same" and rows[3]["Trend of E"] == "down"
    climate = rows[4]
    assert climate["Usage % (E)"] == "" and climate["Trend of E"] == ""
    assert rows[0]["Ministry"] == "Ministry of Interior"


def test_csv_of_a_drill_down_has_its_history_then_its_units(
    office: Client, programme: Programme
) -> None:
    url = reverse("programme-organisation-csv", args=[programme.wrd.pk])
    rows = read_csv(office, url, month="2025-06")
    assert [(r["Month"], r["Code"]) for r in rows] == [
        ("2025-06", "WRD"),
        ("2025-05", "WRD"),
        ("2025-06", "R&I"),  # units by name, each followed by those below it
        ("2025-06", "DEV"),
        ("2025-06", "D-I"),
    ]
    assert rows[0]["Trend of E"] == "up"


def test_xlsx_opens_with_headers_numbers_and_the_method(office: Client) -> None:
    response = office.get(reverse("programme-xlsx"), {"month": "2025-06", "sort": "level"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Organisations", "Method"]
    sheet = book["Organisations"]
    values = list(sheet.values)
    assert list(values[0]) == HEADERS
    by_name = {row[2]: dict(zip(HEADERS, row, strict=True)) for row in values[1:]}
    assert values[1][2] == "Interior Division"  # level 4 first
    wrd = by_name["Water Resources Division"]
    assert wrd["Level"] == 3
    assert wrd["Usage % (E)"] == pytest.approx(80.0)
    assert wrd["Cost saved"] == pytest.approx(1200.0)
    assert wrd["Hours saved"] == pytest.approx(35.5)
    assert by_name["Ministry of Climate Change"]["Usage % (E)"] is None
    method = " ".join(str(row[0]) for row in book["Method"].values)
    assert "Level 4: E ≥ 95%, R ≥ 95%, D ≥ 90% and X ≥ 90%" in method
    assert "Rs 10.00 a page" in method


def test_xlsx_of_a_drill_down(office: Client, programme: Programme) -> None:
    url = reverse("programme-organisation-xlsx", args=[programme.wrd.pk])
    book = load_workbook(io.BytesIO(office.get(url, {"month": "2025-06"}).content))
    assert book.sheetnames == ["History", "Units", "Method"]
    assert [row[0] for row in list(book["History"].values)[1:]] == ["2025-06", "2025-05"]
    units = [row[2] for row in list(book["Units"].values)[1:]]
    assert units == ["Central Registry", "Development Wing", "Development-I Section"]


def test_a_name_like_a_formula_stays_text(office: Client, programme: Programme) -> None:
    sly = unit("SLY", '=HYPERLINK("http://x")', UnitKind.DIVISION, programme.gov)
    figures(sly, JUNE, e=10)
    rows = read_csv(office, reverse("programme-csv"), month="2025-06")
    assert '\'=HYPERLINK("http://x")' in [r["Organisation or unit"] for r in rows]
    book = load_workbook(io.BytesIO(office.get(reverse("programme-xlsx")).content))
    cells = [row[2] for row in book["Organisations"].iter_rows(min_row=2)]
    sly_cell = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert sly_cell.data_type == "s"


def pdf_text(content: bytes) -> tuple[int, str]:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_cabinet_report(office: Client, programme: Programme) -> None:
    response = office.get(reverse("programme-pdf"), {"month": "2025-06"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(response.content)
    assert pages >= 1
    for name in (
        "Water Resources Division",
        "Finance Division",
        "Interior Division",
        "Federal Flood Commission",
        "Ministry of Climate Change",
    ):
        assert name in text
    assert "June 2025" in text
    assert "report to the Cabinet" in text
    assert "How these figures are computed" in text
    assert "Organisations at each level" in text


def test_the_drill_down_report(office: Client, programme: Programme) -> None:
    url = reverse("programme-organisation-pdf", args=[programme.wrd.pk])
    pages, text = pdf_text(office.get(url, {"month": "2025-06"}).content)
    assert pages >= 1
    assert "Water Resources Division" in text
    assert "Development-I Section" in text
    assert "level 3: E 80%" in text


def test_exports_need_a_month_with_figures(office: Client, programme: Programme) -> None:
    for url in (
        reverse("programme-csv"),
        reverse("programme-organisation-pdf", args=[programme.wrd.pk]),
    ):
        response = office.get(url, {"month": "2025-13"})
        assert response.status_code == 400
        assert "is not a month" in response.content.decode()
        response = office.get(url, {"month": "2020-01"})
        assert response.status_code == 400
        assert "There are no figures for January 2020 yet." in response.content.decode()


def test_the_org_admin_exports_only_their_organisation(cast: Cast, programme: Programme) -> None:
    client = login_verified(Client(), make_org_admin(cast))
    rows = read_csv(client, reverse("programme-csv"), month="2025-06")
    assert sorted(r["Organisation or unit"] for r in rows) == [
        "Federal Flood Commission",
        "Water Resources Division",
    ]
    other = reverse("programme-organisation-xlsx", args=[programme.fin.pk])
    assert client.get(other, {"month": "2025-06"}).status_code == 404
    # A stranger to the unit learns nothing, not even that the month is wrong.
    assert client.get(other, {"month": "nonsense"}).status_code == 404


def test_an_outsider_gets_no_export(cast: Cast, programme: Programme) -> None:
    client = login_verified(Client(), cast.outsider)
    for name in ("programme-csv", "programme-xlsx", "programme-pdf"):
        assert client.get(reverse(name)).status_code == 404
    url = reverse("programme-organisation-pdf", args=[programme.wrd.pk])
    assert client.get(url).status_code == 404
