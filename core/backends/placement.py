"""Where the next attempt of a scheduled run goes: the job's region, the operator's fallback regions, Spot
or on demand; and whether the container image lives near those regions.

Pure functions over JobConfig (no Google call), so the Job page can show the same facts the launcher uses.
"""

from __future__ import annotations

import copy
import enum
import re
from dataclasses import dataclass

from core.errors import Message, msg
from core.store.config import JobConfig


class FailureKind(enum.Enum):
    """Why an attempt did not run to its end, as far as where to try next is concerned."""

    CAPACITY = "capacity"  # no T4 (or no Spot T4) free in that region: try the next region
    PREEMPTED = "preempted"  # a Spot VM taken back while running: on demand, when the operator allows it
    BUSY = "busy"  # Vertex AI busy or unreachable: the same place again


@dataclass(frozen=True)
class Placement:
    region: str
    spot: bool


_PREEMPT_WORDS = ("preempt", "spot vm was reclaimed", "instance was reclaimed")


def is_preemption(text: str) -> bool:
    """True for a job error that says its Spot VM was taken back (Vertex AI: "... was preempted ...")."""
    low = text.lower()
    return any(word in low for word in _PREEMPT_WORDS)


def regions_of(job: JobConfig) -> list[str]:
    """The job's region first, then each fallback region once."""
    out = [job.region]
    for region in job.fallback_regions:
        if region not in out:
            out.append(region)
    return out


def next_placement(job: JobConfig, current: Placement, kind: FailureKind) -> Placement:
    """Where the attempt after one that failed at `current` for `kind` runs.

    A stockout walks the regions in the operator's order keeping Spot or on demand; after the last region a
    Spot job with the on-demand fallback starts over on demand, anything else starts over from the first
    region (capacity comes back). A preempted Spot job goes on demand in the same region when allowed.
    """
    if kind is FailureKind.PREEMPTED:
        return Placement(current.region, False) if current.spot and job.on_demand_fallback else current
    if kind is not FailureKind.CAPACITY:
        return current
    regions = regions_of(job)
    at = regions.index(current.region) if current.region in regions else -1
    if at + 1 < len(regions):
        return Placement(regions[at + 1], current.spot)
    if current.spot and job.on_demand_fallback:
        return Placement(regions[0], False)
    return Placement(regions[0], current.spot)


def job_at(job: JobConfig, place: Placement) -> JobConfig:
    """A copy of `job` that runs at `place` (the operator's saved settings are not touched)."""
    moved = copy.deepcopy(job)
    moved.region, moved.spot = place.region, place.spot
    return moved


# Artifact Registry: LOCATION-docker.pkg.dev/...; Container Registry: [us.|eu.|asia.]gcr.io/...
_AR_HOST = re.compile(r"^([a-z0-9-]+)-docker\.pkg\.dev/")
_GCR_HOST = re.compile(r"^(?:(us|eu|asia)\.)?gcr\.io/")
_MULTI = {"us": "us-", "eu": "europe-", "europe": "europe-", "asia": "asia-"}


def image_location(image_uri: str) -> str | None:
    """The registry location of a Google-hosted image ("asia-northeast3", "us"), or None (Docker Hub, ...)."""
    uri = image_uri.strip()
    m = _AR_HOST.match(uri)
    if m:
        return m.group(1)
    m = _GCR_HOST.match(uri)
    if m:
        return m.group(1) or "us"
    return None


def image_is_near(location: str, region: str) -> bool:
    """True when a registry `location` (a region, or a multi-region such as "us") serves `region` locally."""
    prefix = _MULTI.get(location)
    return region.startswith(prefix) if prefix else location == region


def fallback_image_warning(job: JobConfig) -> Message | None:
    """A sentence when the image is stored away from some fallback regions, else None."""
    location = image_location(job.image_uri)
    if location is None:
        return None
    far = [r for r in regions_of(job)[1:] if not image_is_near(location, r)]
    if not far:
        return None
    return msg("job.fallback.image_far", "The image is stored in {location}, not in {regions}: a run there pulls "
               "it across regions (a slower start, network charges), and the job's service account must be allowed "
               "to read it. Keep a copy of the image in a registry near each fallback region if that matters.",
               location=location, regions=", ".join(far))
