"""T4 Panel's own files failing (full disk, busy or read-only history) reach the operator as a sentence."""

from __future__ import annotations

import errno
import io
import sqlite3

import pytest

from core import paths
from core.app import cli
from core.errors import storage_error
from core.store import history_file, runs
from core.store.runs import RunStore


def test_a_real_enospc_reads_as_a_full_disk():
    with pytest.raises(OSError) as caught, open("/dev/full", "wb", buffering=0) as full:
        full.write(b"x")  # the kernel's own "No space left on device"
    assert caught.value.errno == errno.ENOSPC
    shown = storage_error(caught.value, paths.history_path())
    assert shown.title == "Disk full" and "Free some space" in shown.message
    assert str(paths.history_path()) in shown.message


def test_a_full_disk_while_creating_the_history_is_a_sentence_through_the_cli(monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(history_file.os, "link", full)  # the moment the new history file is put in place
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["status"], out, err) == 2
    assert "Disk full: The disk is full" in err.getvalue() and "Traceback" not in err.getvalue()
    assert not paths.history_path().exists()  # no half-made history left behind


@pytest.mark.parametrize(("error", "words"), [
    ("database is locked", "held by another program for more than 10 seconds"),
    ("database or disk is full", "The disk is full"),
    ("attempt to write a readonly database", "read-only"),
    ("disk I/O error", "could not be used"),
])
def test_history_errors_say_what_happened_and_what_to_do(error, words):
    shown = runs.history_error(sqlite3.OperationalError(error), paths.history_path())
    assert words in shown.message
    assert "Nothing was changed" in shown.message or "is kept" in shown.message


def test_a_history_is_never_created_as_an_empty_file(monkeypatch):
    seen: list[int] = []
    real_link = history_file.os.link

    def link(src, dst):
        seen.append(history_file.os.stat(src).st_size)
        real_link(src, dst)

    monkeypatch.setattr(history_file.os, "link", link)
    RunStore(paths.history_path()).close()
    assert seen and seen[0] > 0  # whole before it appears, so a 0-byte history always means damage
