"""The setup check's records: one CheckItem per line (pass / warn / fail with its fix), and what the
Google items ask for (APIs, permissions, pull roles)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.errors import Message

REQUIRED_APIS = ["aiplatform.googleapis.com", "logging.googleapis.com", "storage.googleapis.com"]
RUN_PERMISSIONS = ["aiplatform.customJobs.create", "aiplatform.customJobs.get", "aiplatform.customJobs.list",
                   "aiplatform.customJobs.cancel", "logging.logEntries.list", "storage.objects.create"]
# Predefined roles that carry artifactregistry.repositories.downloadArtifacts.
PULL_ROLES = {"roles/artifactregistry.reader", "roles/artifactregistry.writer", "roles/artifactregistry.repoAdmin",
              "roles/artifactregistry.admin", "roles/artifactregistry.createOnPushWriter",
              "roles/artifactregistry.createOnPushRepoAdmin", "roles/owner", "roles/editor", "roles/viewer"}


class Status(str, enum.Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass
class CheckItem:
    """One line of the check. `fix` is None when there is nothing to do."""

    id: str
    status: Status
    title: Message
    detail: Message
    fix: Message | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status.value, "title": self.title.text, "detail": self.detail.text,
                "fix": self.fix.text if self.fix else None}


@dataclass
class CheckReport:
    checked: datetime
    items: list[CheckItem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(i.status is Status.FAIL for i in self.items)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for i in self.items if i.status is s) for s in Status}


