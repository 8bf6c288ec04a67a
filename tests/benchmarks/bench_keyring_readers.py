"""Many readers of the real keyring at once, through SecretStore: how many reads fail, and how many were tried again.

A GUI and a daemon, or several launchers, read the Google token and the Supabase keys from gnome-keyring at
the same moment. gnome-keyring-daemon 42 sometimes answers "no such object" for an item its own search just
returned, and can crash under this load (GNOME/gnome-keyring #196, #199); tests/keyring_session.sh starts it
again. SecretStore tries a passing failure again (core/store/secrets.py, RETRY_DELAYS). This prints the reads,
the failures an operator would have seen, and the retries by kind, per process. Not a pass/fail test:

    bash tests/keyring_session.sh python tests/benchmarks/bench_keyring_readers.py [--reads 600]
"""

from __future__ import annotations

import argparse
import collections
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
VALUE = "https://bench.supabase.co"


def _reader_process(reads: int, threads: int, results: Any) -> None:
    from core.store.secrets import SUPABASE_URL, SecretStore

    retried: collections.Counter[str] = collections.Counter()

    class Retries(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "trying again" in record.getMessage():
                retried[str(record.args[2]) if isinstance(record.args, tuple) else "?"] += 1

    logging.getLogger("core.store.secrets").addHandler(Retries())
    logging.getLogger("core.store.secrets").setLevel(logging.WARNING)
    store = SecretStore()
    failed: collections.Counter[str] = collections.Counter()

    def loop() -> None:
        for _ in range(reads):
            try:
                if store.get(SUPABASE_URL) != VALUE:
                    failed["a wrong value"] += 1
            except Exception as exc:  # noqa: BLE001 - any failure is what the operator would have read
                failed[f"{type(exc).__name__}: {str(exc)[:70]}"] += 1

    pool = [threading.Thread(target=loop) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    results.put((dict(failed), dict(retried)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reads", type=int, default=600, help="reads per thread")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=3, help="threads per process")
    args = parser.parse_args()
    os.environ.setdefault("T4PANEL_HOME", tempfile.mkdtemp(prefix="t4panel-bench-"))
    from core.store.secrets import SUPABASE_URL, SecretStore

    SecretStore().set(SUPABASE_URL, VALUE)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    start = time.monotonic()
    procs = [ctx.Process(target=_reader_process, args=(args.reads, args.threads, results))
             for _ in range(args.processes)]
    for p in procs:
        p.start()
    got = [results.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join(60)
    total = args.processes * args.threads * args.reads
    failed = sum(sum(f.values()) for f, _ in got)
    retried = sum(sum(r.values()) for _, r in got)
    print(f"{total} reads by {args.processes} processes x {args.threads} threads in {time.monotonic() - start:.0f} s")
    for n, (f, r) in enumerate(got, 1):
        print(f"  process {n}: failed {f or 'none'}; tried again {r or 'never'}")
    print(f"failed reads: {failed} of {total}; reads tried again: {retried}")


if __name__ == "__main__":
    main()
