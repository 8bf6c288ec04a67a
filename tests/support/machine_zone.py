"""The computer's own time zone (TZ) set for one test: the cost figures must follow the schedule's zone, never
the machine's, and a test can only show that when the two differ on purpose."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator


def machine_zone(name: str) -> Iterator[None]:
    """For a fixture (`yield from machine_zone("UTC")`): TZ=`name` for the test, the old zone put back after."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
