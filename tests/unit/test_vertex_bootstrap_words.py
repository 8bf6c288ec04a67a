"""The secret bootstrap's side of a Vertex AI job spec, as the operator meets it: the one refusal (Command empty
while the keys are kept in Secret Manager) in English and, in the window, in Korean; the command the container
runs; and the T4PANEL_SECRETS value, which names secret versions and never holds a key.

Written against the mutation run's 'no tests' mutants of core/backends/vertex/bootstrap.py (docs/testing.md):
tests/integration/test_secret_bootstrap.py runs the bootstrap for real but checks only part of the sentence.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from core.backends.vertex import bootstrap
from core.errors import BackendError

NO_COMMAND = ("The keys are kept in Secret Manager, so T4 Panel must start the job's command itself, but Command on "
              "the Job page is empty (the image's own entrypoint). Fill in Command with what the image runs, for "
              "example: python predict.py. Or, in Settings, turn off keeping the keys in Secret Manager (less safe: "
              "project viewers can read them in the job's settings).")


def test_an_empty_command_is_refused_with_the_whole_sentence_and_title():
    # kills every reworded, re-cased or missing part of the sentence and title, `if command:` and a message None
    with pytest.raises(BackendError) as err:
        bootstrap.wrap([])
    assert (err.value.title, err.value.message) == ("Command needed", NO_COMMAND)


def test_the_window_says_the_refusal_in_korean():
    # kills a changed message id or title id: the window translates by id, an unknown one stays English
    from gui.core_text import error_message, error_title

    with pytest.raises(BackendError) as err:
        bootstrap.wrap([])
    before = QLocale()
    QLocale.setDefault(QLocale("ko_KR"))
    try:
        title, sentence = error_title(err.value), error_message(err.value)
    finally:
        QLocale.setDefault(before)
    assert title == "명령이 필요합니다"
    assert sentence.startswith("키를 Secret Manager에 보관하므로 T4 Panel이 작업의 명령을 직접 시작해야 하는데")


def test_the_container_runs_python3_dash_c_the_bootstrap_then_the_operators_command():
    # kills "XXpython3XX", "PYTHON3", "XX-cXX", "-C"
    assert bootstrap.wrap(["python", "predict.py"]) == ["python3", "-c", bootstrap.script_source(), "python",
                                                        "predict.py"]


def test_the_secrets_value_names_the_latest_versions_comma_separated_and_sorted():
    # kills the default version "XXlatestXX" / "LATEST" (Secret Manager knows only "latest"), the join "XX,XX"
    refs = bootstrap.supabase_refs("my-proj")
    assert bootstrap.refs_value(refs) == ("SUPABASE_KEY=projects/my-proj/secrets/t4panel-supabase-key/versions/latest,"
                                          "SUPABASE_URL=projects/my-proj/secrets/t4panel-supabase-url/versions/latest")
