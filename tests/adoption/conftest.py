from __future__ import annotations

from collections.abc import Iterator

import pytest

from daftar.lib import clock
from tests.adoption.figures import NOW, Programme, make_programme
from tests.cast import Cast


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


@pytest.fixture
def programme(cast: Cast, frozen: None) -> Programme:
    return make_programme(cast)
