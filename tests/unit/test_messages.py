"""core.errors.Message: a stable id, parameters, English default; what errors and history carry."""

from __future__ import annotations

import pytest

from core.errors import AuthError, Message, RunRefused, T4Error, joined, msg


def test_the_english_text_fills_every_field_and_leaves_other_braces():
    m = msg("run.exit_code", "The job exited with code {code} ({raw}).", code=3, raw="{not a field}")
    assert m.text == str(m) == "The job exited with code 3 ({not a field})."
    assert m.params == {"code": "3", "raw": "{not a field}"}


def test_a_message_inside_a_message_and_a_joined_list_read_as_english():
    inner = msg("state.running", "running")
    outer = msg("run.refused.running", "A run is {state}.", state=inner)
    both = joined([outer, msg("x", "Second.")])
    assert both.text == "A run is running. Second."


@pytest.mark.parametrize("stored", [None, "", "not json", "[1, 2]", '{"default": "no id"}'])
def test_anything_that_is_not_a_stored_message_loads_as_none(stored):
    assert Message.loads(stored) is None


def test_a_stored_message_comes_back_equal_with_its_nested_parameters():
    m = msg("run.nothing_started", "Nothing was started: {cause}", cause=msg("vertex.lookup_run", "Could not ask."))
    assert Message.loads(m.dumps()) == m and hash(Message.loads(m.dumps())) == hash(m)


def test_errors_carry_message_and_title_ids_and_plain_text_still_works():
    e = AuthError(msg("auth.sa_missing", "Choose the key file."), title=msg("auth.setup.title", "Setup needed"))
    assert (e.message, e.msg.id, e.title, e.title_msg.id) == ("Choose the key file.", "auth.sa_missing",
                                                              "Setup needed", "auth.setup.title")
    plain = RunRefused("Old style sentence.", title="Old title", reason="running")
    assert (str(plain), plain.msg.id, plain.title, plain.title_msg.id, plain.reason) == (
        "Old style sentence.", "", "Old title", "", "running")
    assert T4Error("x").title_msg.id == "error.title" and AuthError("x").title == "Google sign-in needed"
