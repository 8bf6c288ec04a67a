"""Fixtures of the unit tests (T4PANEL_HOME itself comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.store.runs import RunStore
from tests.support.cost import new_store


@pytest.fixture
def store() -> Iterator[RunStore]:
    """The run history in this test's T4PANEL_HOME."""
    s = new_store()
    yield s
    s.close()
