"""What Run Now says while a run goes, and which runs count as "going" (per profile).

Found by the mutation run (docs/testing.md): the sentence and the profile filter of `active_run` had no test.
Real RunControllers and LocalBackends over one history file.
"""

from __future__ import annotations

import re

import pytest

from core import paths
from core.backends.local import LocalBackend
from core.control.controller import RunController
from core.errors import RunRefused
from core.store.runs import RunState, RunStore
from tests.support.local import controller, fast_config


def test_a_second_run_now_is_refused_with_a_sentence_that_names_the_run_and_its_state():
    ctl = controller(fast_config(seconds=1.0))
    first = ctl.launch()
    with pytest.raises(RunRefused) as refused:
        ctl.launch()
    ctl.cancel(first.id)
    ctl.wait(first.id, timeout=20)
    ctl.shutdown()
    assert refused.value.reason == "running"
    assert re.fullmatch(rf"A run is already going \(run {first.id}, (queued|pending|running) since "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\. Wait for it to finish or cancel it first\.",
                        refused.value.message), refused.value.message
    assert [r.id for r in ctl.store.recent()] == [first.id]


def test_a_run_of_another_profile_is_not_this_profiles_active_run():
    cfg = fast_config(seconds=1.0)
    ours = controller(cfg)
    theirs = RunController(RunStore(paths.history_path()), lambda: cfg, profile="night-shift",
                           backend_factory=lambda name: LocalBackend(poll_seconds=0.05))
    other = theirs.launch()
    try:
        assert theirs.active_run().id == other.id
        assert ours.active_run() is None  # the Dashboard of this profile shows no run going
    finally:
        theirs.wait(other.id, timeout=20)
        theirs.shutdown()
        ours.shutdown()
    assert theirs.store.get(other.id).state == RunState.SUCCEEDED


def test_reattaching_after_a_restart_watches_only_this_profiles_runs():
    # Found by the mutation run: re-attach's profile filter had no test.
    cfg = fast_config(seconds=1.0)
    theirs = RunController(RunStore(paths.history_path()), lambda: cfg, profile="night-shift",
                           backend_factory=lambda name: LocalBackend(poll_seconds=0.05))
    other = theirs.launch()
    ours = controller(cfg)
    try:
        assert ours.reattach_all() == []
        assert not ours.is_watching(other.id)
    finally:
        theirs.wait(other.id, timeout=20)
        theirs.shutdown()
        ours.shutdown()
