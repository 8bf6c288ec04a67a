"""Fixtures the window's tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def tasks(qtbot):
    """The worker pool a page runs its core calls on; idle again before the test's widgets go."""
    from gui.tasks import Tasks

    t = Tasks()
    yield t
    t.wait_idle()
