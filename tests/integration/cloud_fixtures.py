"""Shared set-up of the cloud schedule tests: every fake the setup talks to, and a Vertex AI config."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from core.store.config import AppConfig, JobConfig, ScheduleConfig
from tests.integration.fakes.cloud_server import FakeCloud
from tests.integration.fakes.storage_server import FakeStorage

PROJECT, REGION = "demo-proj", "us-central1"
SECRETS = {"supabase-url": "https://abcd.supabase.co", "supabase-key": "sb_secret_TOPSECRET-value-42"}
RUNNER = f"serviceAccount:t4panel-runner@{PROJECT}.iam.gserviceaccount.com"


def vertex_config(**schedule: object) -> AppConfig:
    return AppConfig(job=JobConfig(backend="vertex", project_id=PROJECT, region=REGION,
                                   image_uri="us-docker.pkg.dev/demo-proj/jobs/predict:1", max_runtime_minutes=60),
                     schedule=ScheduleConfig(**{"enabled": True, "time": "01:00", "timezone": "Asia/Seoul",
                                                "catch_up_hours": 6, **schedule}))  # type: ignore[arg-type]


@dataclass
class Cloud:
    fake: FakeCloud
    storage: FakeStorage


@pytest.fixture
def cloud(monkeypatch, google_signed_in) -> Iterator[Cloud]:
    with FakeCloud() as fake, FakeStorage() as storage:
        for name, url in fake.env().items():
            monkeypatch.setenv(name, url)
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage.url)
        yield Cloud(fake, storage)
