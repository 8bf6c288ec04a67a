"""Where a scheduled run's next attempt goes (core/backends/placement.py): the operator's order of fallback
regions after a stockout, on demand after a Spot preemption or when no region has Spot T4s, and where the image
is stored compared with the fallbacks."""

from __future__ import annotations

import pytest

from core.backends.placement import (
    FailureKind,
    Placement,
    fallback_image_warning,
    image_is_near,
    image_location,
    is_preemption,
    job_at,
    next_placement,
)
from core.store.config import JobConfig

CAP, PRE, BUSY = FailureKind.CAPACITY, FailureKind.PREEMPTED, FailureKind.BUSY


def _walk(job: JobConfig, kinds: list[FailureKind]) -> list[tuple[str, bool]]:
    place = Placement(job.region, job.spot)
    out = [(place.region, place.spot)]
    for kind in kinds:
        place = next_placement(job, place, kind)
        out.append((place.region, place.spot))
    return out


def test_stockouts_walk_the_regions_in_the_operators_order_then_start_over():
    job = JobConfig(region="asia-northeast3", fallback_regions=["us-central1", "us-east1"])
    assert _walk(job, [CAP, CAP, CAP, CAP]) == [("asia-northeast3", False), ("us-central1", False),
                                                ("us-east1", False), ("asia-northeast3", False),
                                                ("us-central1", False)]


def test_a_busy_service_is_tried_again_in_the_same_place():
    job = JobConfig(region="asia-northeast3", fallback_regions=["us-central1"], spot=True, on_demand_fallback=True)
    assert _walk(job, [BUSY, BUSY]) == [("asia-northeast3", True)] * 3


def test_spot_without_capacity_anywhere_goes_on_demand_when_allowed():
    job = JobConfig(region="asia-northeast3", fallback_regions=["us-central1"], spot=True, on_demand_fallback=True)
    assert _walk(job, [CAP, CAP, CAP]) == [("asia-northeast3", True), ("us-central1", True),
                                           ("asia-northeast3", False), ("us-central1", False)]
    job.on_demand_fallback = False
    assert _walk(job, [CAP, CAP]) == [("asia-northeast3", True), ("us-central1", True), ("asia-northeast3", True)]


def test_a_preempted_spot_run_goes_on_demand_in_the_same_region_only_when_allowed():
    job = JobConfig(region="us-central1", fallback_regions=["us-east1"], spot=True, on_demand_fallback=True)
    assert _walk(job, [PRE]) == [("us-central1", True), ("us-central1", False)]
    job.on_demand_fallback = False
    assert _walk(job, [PRE]) == [("us-central1", True), ("us-central1", True)]


def test_a_region_dropped_from_the_settings_meanwhile_starts_over_at_the_first():
    job = JobConfig(region="us-central1", fallback_regions=["us-east1"])
    assert next_placement(job, Placement("europe-west4", False), CAP) == Placement("us-central1", False)


def test_the_operators_settings_are_copied_never_changed():
    job = JobConfig(region="us-central1", spot=True)
    moved = job_at(job, Placement("us-east1", False))
    assert (moved.region, moved.spot) == ("us-east1", False) and (job.region, job.spot) == ("us-central1", True)


@pytest.mark.parametrize("uri, location", [
    ("asia-northeast3-docker.pkg.dev/p/jobs/predict:latest", "asia-northeast3"),
    ("us-docker.pkg.dev/p/jobs/predict:1", "us"),
    ("europe-docker.pkg.dev/p/jobs/predict", "europe"),
    ("gcr.io/p/predict", "us"), ("asia.gcr.io/p/predict", "asia"), ("eu.gcr.io/p/predict", "eu"),
    ("docker.io/library/python:3.11", None), ("python:3.11", None), ("", None),
])
def test_the_images_registry_location(uri, location):
    assert image_location(uri) == location


def test_a_multi_region_registry_is_near_its_regions_only():
    assert image_is_near("us", "us-east1") and not image_is_near("us", "europe-west4")
    assert image_is_near("eu", "europe-west4") and image_is_near("asia", "asia-northeast3")
    assert image_is_near("asia-northeast3", "asia-northeast3") and not image_is_near("asia-northeast3", "asia-east1")


def test_the_warning_names_only_the_far_fallbacks():
    job = JobConfig(region="asia-northeast3", image_uri="asia-docker.pkg.dev/p/jobs/predict:1",
                    fallback_regions=["asia-northeast1", "us-central1", "europe-west4"])
    warning = fallback_image_warning(job)
    assert warning is not None and warning.id == "job.fallback.image_far"
    assert warning.params["regions"] == "us-central1, europe-west4" and warning.params["location"] == "asia"
    job.fallback_regions = ["asia-northeast1"]
    assert fallback_image_warning(job) is None
    job.image_uri = "docker.io/me/predict:1"  # not Google's registry: nothing to compare
    job.fallback_regions = ["us-central1"]
    assert fallback_image_warning(job) is None


def test_preemption_is_recognised_in_the_jobs_error():
    assert is_preemption("The replica workerpool0-0 was preempted.")
    assert not is_preemption("The replica workerpool0-0 exited with a non-zero status of 1.")
