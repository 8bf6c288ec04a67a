"""The window and the daemon keep glibc's malloc to two arenas (core/app/allocator.py).

Why: bench_soak.py measured about 2 MB more resident memory per 100 runs with one arena per thread, and
under 1 MB with two. These tests check the limit takes effect in a real process (glibc's own arena count,
from malloc_stats), that the entry point sets it before anything else, and that an operator's own
MALLOC_ARENA_MAX is left alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Eight threads that all allocate at once, each held at a barrier until all have, then glibc's own report.
_THREADS = r"""
import ctypes, sys, threading
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "limit":
    from core.app.allocator import limit_malloc_arenas
    assert limit_malloc_arenas()
barrier = threading.Barrier(8)
keep = []
def work():
    keep.append([bytearray(200) for _ in range(2000)])
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
ctypes.CDLL("libc.so.6").malloc_stats()
"""

linux_glibc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's arenas are Linux's")


def _arenas(mode: str) -> int:
    """How many arenas glibc reports after eight threads allocated at once."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    out = subprocess.run([sys.executable, "-c", _THREADS, str(ROOT), mode], capture_output=True, text=True,
                         timeout=60, env=env, check=True)
    return sum(1 for line in out.stderr.splitlines() if line.startswith("Arena "))


@linux_glibc
def test_with_the_limit_eight_busy_threads_share_two_arenas() -> None:
    assert _arenas("limit") <= 2


@linux_glibc
def test_without_it_each_thread_gets_an_arena_of_its_own() -> None:
    # the control: shows the first test would fail if the limit did nothing
    assert _arenas("none") > 2


@linux_glibc
def test_an_operators_own_malloc_arena_max_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.app.allocator import limit_malloc_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False


def test_the_entry_point_sets_the_limit_before_the_window_or_a_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import main
    from core.app import allocator, cli

    order: list[str] = []
    monkeypatch.setattr(allocator, "limit_malloc_arenas", lambda: order.append("arenas") or True)
    monkeypatch.setattr(cli, "main", lambda argv: order.append(f"cli {argv[0]}") or 0)
    assert main.main(["daemon"]) == 0
    assert order == ["arenas", "cli daemon"]
