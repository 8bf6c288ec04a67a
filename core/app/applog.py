"""The app's own log: a rotating file under the log folder (never a secret in it)."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from core import paths

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup(verbose: bool = False, to_stderr: bool = False) -> str:
    """Send logging to <log folder>/t4panel.log (1 MB x 5). Returns the file path."""
    path = paths.log_dir() / "t4panel.log"
    root = logging.getLogger()
    if any(getattr(h, "_t4panel", False) for h in root.handlers):
        return str(path)
    try:
        paths.ensure_private_dir(path.parent)
        handler: logging.Handler = _PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                                               encoding="utf-8")
    except OSError:
        # A read-only or full disk must not stop `config validate` or `status`: those say what is wrong
        # themselves when they need the disk. Without a file, logging just has nowhere to go.
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    # a marker on our own handlers, so a second set-up sees logging is already done
    handler._t4panel = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if to_stderr:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        stream._t4panel = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # these libraries log request details (tokens, keys, URLs) at DEBUG: never let them reach our file
    for noisy in ("urllib3", "httpx", "httpcore", "grpc", "google", "google_auth_oauthlib", "requests_oauthlib",
                  "oauthlib", "hpack", "postgrest", "supabase", "apscheduler.executors"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return str(path)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file (the first and every one after a rotation) is created 0600, whatever the umask."""

    def _open(self):  # type: ignore[no-untyped-def]  # typeshed's signature differs across Pythons
        paths.make_private(Path(self.baseFilename))
        return super()._open()
