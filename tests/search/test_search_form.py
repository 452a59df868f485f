"""The advanced search form: what it offers each person and what it refuses."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict

from daftar.files.models import Classification
from daftar.search.forms import SearchForm, unit_choices
from daftar.search.types import SearchQuery
from tests.cast import Cast


def form(cast: Cast, query: str, *, actor: str = "assistant") -> SearchForm:
    return SearchForm(QueryDict(query), actor=getattr(cast, actor))


def test_the_units_offered_are_those_of_ones_own_division(cast: Cast) -> None:
    labels = [choice.label.strip() for choice in unit_choices(cast.assistant)]
    assert labels[0] == "Water Resources Division"
    assert {"Development Wing", "Development-I Section", "Central Registry"} <= set(labels)
    assert "Finance Division" not in labels and "Budget Section" not in labels
    outsider = [choice.label.strip() for choice in unit_choices(cast.outsider)]
    assert outsider == ["Finance Division", "Budget Section"]


def test_every_field_becomes_the_query(cast: Cast) -> None:
    search = form(
        cast,
        f"q=%22small+dams%22+-tender&number=5-12/2025-Admin&sender=Planning&unit={cast.section.pk}"
        "&date_from=2026-01-01&date_to=2026-03-31&classification=1&status=open"
        f"&holder={cast.so_post.pk}&kind=note&kind=page&page=2",
    )
    assert search.is_valid(), search.errors
    assert search.query() == SearchQuery(
        text='"small dams" -tender',
        number="5-12/2025-Admin",
        sender="Planning",
        unit_id=cast.section.pk,
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 3, 31),
        classification=Classification.RESTRICTED,
        status="open",
        holder_post_id=cast.so_post.pk,
        kinds=("note", "page"),
    )
    assert search.cleaned_data["page"] == 2
    assert search.holder_post == cast.so_post
    assert search.is_advanced()


def test_the_box_alone_is_not_advanced(cast: Cast) -> None:
    search = form(cast, "q=dams&kind=note")  # a facet link sets the type: the box stays shut
    assert search.is_valid() and not search.is_advanced()
    assert search.query() == SearchQuery(text="dams", kinds=("note",))


def test_bad_input_is_an_error_on_its_field(cast: Cast) -> None:
    other_unit = cast.outsider_post.unit_id
    cases = {
        "date_from=2026-03-01&date_to=2026-02-01": ("date_to", "before the start date"),
        f"unit={other_unit}": ("unit", "Choose one of the units"),
        "unit=abc": ("unit", "Choose one of the units"),
        "classification=4": ("classification", "Choose a classification"),  # above Restricted
        "status=lost": ("status", "Choose open, parked or closed"),
        "holder=99999999": ("holder", "No such post"),
        "holder=-3": ("holder", ""),
        "kind=memo": ("kind", "Choose document types"),
        "date_from=31/02/2026": ("date_from", ""),
        "page=0": ("page", "no such page"),
        "page=51": ("page", "no such page"),
        f"q={'x' * 501}": ("q", ""),
    }
    for query, (field, message) in cases.items():
        search = form(cast, f"q=dams&{query}")
        assert not search.is_valid(), query
        assert field in search.errors, (query, search.errors)
        assert message in " ".join(search.errors[field]), (query, search.errors)


def test_the_grades_offered_stop_at_ones_clearance(cast: Cast) -> None:
    offered = [value for value, _ in form(cast, "").fields["classification"].choices]  # type: ignore[attr-defined]
    assert offered == ["", "0", "1"]  # the assistant is cleared to Restricted
    secretary = form(cast, "", actor="secretary").fields["classification"]
    assert [value for value, _ in secretary.choices][-1] == "4"  # type: ignore[attr-defined]
