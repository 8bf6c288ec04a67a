"""How the long-running processes (the window, the daemon) ask the C allocator to keep its memory.

glibc's malloc gives each new thread an arena of its own, up to 8 per core. T4 Panel's runs come and go on
short-lived threads (a watcher per run, Qt's pooled workers, gRPC's), so every run's small allocations land
in a different arena, and the freed space in each stays scattered and cannot go back to the system. The
soak benchmark (tests/benchmarks/bench_soak.py) measured what that costs: about 2 MB more resident memory
per 100 local runs, although what the app still holds from those runs is under 1 MB (memray). Two arenas,
the setting glibc's documentation and most long-running Python services use (MALLOC_ARENA_MAX=2), keep
the growth under 1 MB per 100 runs. The cost is more lock contention between threads that allocate at the
same moment, which for a desktop app that waits on the network is nothing to measure.
"""

from __future__ import annotations

import os
import sys

ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number (glibc malloc.h)


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Call once, before the process starts threads. Returns whether the limit was set.

    Only on Linux with glibc; an operator's (or an administrator's) own MALLOC_ARENA_MAX wins.
    """
    if not sys.platform.startswith("linux") or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # musl (Alpine) has no mallopt and no per-thread arenas
        return False
