"""What Run Now says while a run goes, and which runs count as "going" (per profile).

Found by the mutation run (docs/testing.md): the sentence and the profile filter of `active_run` had no test.
Real RunControllers and LocalBackends over one history file.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core import paths
from core.backends.local import LocalBackend
from core.control.controller import RunController
from core.errors import RunRefused
from core.store.runs import Run, RunState, RunStore, new_run_id, utcnow
from tests.support.local import controller, fast_config


def _says_a_run_is_going(refused: RunRefused, first: Run) -> None:
    """The refusal Run Now (and a scheduled attempt) shows: which run goes, in which state, since when."""
    assert refused.reason == "running"
    assert re.fullmatch(rf"A run is already going \(run {first.id}, (queued|pending|running) since "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\. Wait for it to finish or cancel it first\.",
                        refused.message), refused.message


def test_a_second_run_now_is_refused_with_a_sentence_that_names_the_run_and_its_state():
    ctl = controller(fast_config(seconds=1.0))
    first = ctl.launch()
    with pytest.raises(RunRefused) as refused:
        ctl.launch()
    ctl.cancel(first.id)
    ctl.wait(first.id, timeout=20)
    ctl.shutdown()
    _says_a_run_is_going(refused.value, first)
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


def test_the_next_attempt_of_a_scheduled_run_waits_while_another_run_goes():
    """A scheduled run whose first attempt found no T4 free waits for its next attempt; meanwhile the operator
    started a run by hand. The attempt is refused with the same sentence as Run Now, and nothing is started."""
    # kills RunRefused(reason="running") without its sentence (a TypeError the scheduler cannot word)
    ctl = controller(fast_config(seconds=1.0))
    waiting = Run(id=new_run_id(), backend="local", state=RunState.FAILED, created=utcnow() - timedelta(minutes=5),
                  ended=utcnow() - timedelta(minutes=4), occurrence=utcnow().replace(second=0, microsecond=0),
                  trigger="schedule", detail={"retryable": True, "retry_kind": "capacity"})
    ctl.store.insert(waiting)
    first = ctl.launch()
    with pytest.raises(RunRefused) as refused:
        ctl.retry(waiting.id)
    ctl.cancel(first.id)
    ctl.wait(first.id, timeout=20)
    ctl.shutdown()
    _says_a_run_is_going(refused.value, first)
    assert ctl.store.get(waiting.id).state == RunState.FAILED  # still waiting, not launched
