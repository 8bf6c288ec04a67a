"""Google's client libraries are imported lazily, and the first time one thread at a time.

Two threads importing google.cloud.aiplatform_v1 for the first time at once fail with "partially
initialized module" (the package and its job_service module import each other). The app does exactly
that on its first Vertex run: the launch builds the CustomJob while the adopt timer's watcher looks
the run up by its label. Every lazy import of these libraries happens inside `with importing():`.
"""

from __future__ import annotations

import threading

_LOCK = threading.RLock()


def importing() -> threading.RLock:
    """The lock to hold while importing a Google client library (re-entrant: imports nest)."""
    return _LOCK
