"""Vertex AI's rules beyond the JSON schema, in one place, each with the Google page it comes from.

The schema (discovery.py) says what a CustomJob may look like; these say what Vertex AI accepts: which
machines take a T4, where T4s exist, what a label may hold, how often a project may call. Each refusal is
a `Problem` naming the field, sent as Vertex sends it: 400 INVALID_ARGUMENT "List of found errors: ...".
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from core.store.config import T4_REGIONS
from tests.integration.fakes.discovery import Kind, Problem, google_error

T4 = "NVIDIA_TESLA_T4"
# https://cloud.google.com/vertex-ai/docs/training/configure-compute#gpu-compatibility-table
# https://cloud.google.com/compute/docs/gpus#t4-gpus : T4 attaches to N1 only, 1, 2 or 4 per VM;
# 1-2 T4: up to 48 vCPU and 312 GB; 4 T4: up to 96 vCPU and 624 GB.
T4_COUNTS = (1, 2, 4)
T4_HOST_LIMITS = {1: (48, 312.0), 2: (48, 312.0), 4: (96, 624.0)}
# https://cloud.google.com/compute/docs/general-purpose-machines#n1_machines : memory per vCPU by family.
_N1 = re.compile(r"^n1-(standard|highmem|highcpu)-([0-9]+)$")
_N1_GB_PER_VCPU = {"standard": 3.75, "highmem": 6.5, "highcpu": 0.9}
_N1_VCPUS = (1, 2, 4, 8, 16, 32, 64, 96)
_C_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# aiplatform.v1.json, CustomJob.labels and https://cloud.google.com/resource-manager/docs/labels-overview:
# keys and values at most 64 codepoints of lowercase letters, digits, _ and -; keys start with a letter;
# at most 64 labels per resource.
LABEL_MAX_CHARS = 64
LABELS_MAX = 64
# aiplatform.v1.json, CustomJob.displayName: "can be up to 128 characters long".
DISPLAY_NAME_MAX = 128
# aiplatform.v1.json, ContainerSpec.env: "Maximum limit is 100."
ENV_MAX = 100
# https://cloud.google.com/vertex-ai/docs/quotas#request_quotas : resource management (CRUD) requests,
# 600 per minute per project per region.
CRUD_PER_MINUTE = 600


@dataclass
class VertexRules:
    """The knobs a test may turn; the defaults are Google's."""

    quota_limit: int = CRUD_PER_MINUTE
    quota_window: float = 60.0
    list_lag: float = 0.0  # seconds a new job stays out of customJobs.list (Google's list is eventually consistent)
    t4_regions: tuple[str, ...] = T4_REGIONS
    _calls: dict[tuple[str, str], deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def check_create(self, location: str, job: Any) -> list[Problem]:
        """What Vertex refuses in a CustomJob (an aiplatform_v1 CustomJob) that the schema lets through."""
        problems = _labels(job.labels)
        if len(job.display_name) > DISPLAY_NAME_MAX:
            problems.append(_rule("display_name", f"The display name is {len(job.display_name)} characters long; "
                                                  f"at most {DISPLAY_NAME_MAX} are allowed."))
        scheduling = job.job_spec.scheduling
        if "timeout" in scheduling and scheduling.timeout.total_seconds() <= 0:
            problems.append(_rule("job_spec.scheduling.timeout", "The timeout must be a positive duration."))
        pools = job.job_spec.worker_pool_specs
        for i, pool in enumerate(pools):
            problems += _pool(i, pool, location, self.t4_regions)
        # https://cloud.google.com/vertex-ai/docs/training/schedule-jobs-dws : Dynamic Workload Scheduler
        # (FLEX_START) lists the GPUs it offers, and T4 is not among them.
        if scheduling.strategy.name == "FLEX_START" and any(p.machine_spec.accelerator_type.name == T4 for p in pools):
            problems.append(_rule("job_spec.scheduling.strategy", f"FLEX_START is not available for {T4}; use "
                                                                  "STANDARD or SPOT."))
        return problems

    def take_quota(self, project: str, location: str, now: float | None = None) -> dict[str, Any] | None:
        """Count one CRUD call; the 429 body when the project is over its per-region rate, else None."""
        now = time.monotonic() if now is None else now
        with self._lock:
            calls = self._calls.setdefault((project, location), deque())
            while calls and calls[0] <= now - self.quota_window:
                calls.popleft()
            if len(calls) >= self.quota_limit:
                return quota_exceeded(project, location)
            calls.append(now)
        return None

    def listed(self, created: float, now: float) -> bool:
        return now >= created + self.list_lag


def _pool(i: int, pool: Any, location: str, t4_regions: tuple[str, ...]) -> list[Problem]:
    at = f"job_spec.worker_pool_specs[{i}]"
    problems: list[Problem] = []
    # https://cloud.google.com/vertex-ai/docs/training/distributed-training : the first pool is the primary
    # replica, exactly one.
    if i == 0 and pool.replica_count != 1:
        problems.append(_rule(f"{at}.replica_count", "The first worker pool must have exactly 1 replica."))
    env = pool.container_spec.env if "container_spec" in pool else []
    if len(env) > ENV_MAX:
        problems.append(_rule(f"{at}.container_spec.env",
                              f"{len(env)} environment variables; at most {ENV_MAX} are allowed."))
    for j, var in enumerate(env):  # aiplatform.v1.json, EnvVar.name: "Must be a valid C identifier."
        if not _C_IDENTIFIER.match(var.name):
            problems.append(_rule(f"{at}.container_spec.env[{j}].name",
                                  f'"{var.name}" is not a valid environment variable name.'))
    machine = pool.machine_spec
    accel = machine.accelerator_type.name if machine.accelerator_type else ""
    count = machine.accelerator_count
    if bool(accel) != bool(count):  # Vertex's own wording for this one
        problems.append(_rule(f"{at}.machine_spec.accelerator_type",
                              "Both `accelerator_type` and `accelerator_count` should be specified or none."))
    if accel != T4:
        return problems
    if location not in t4_regions:
        # https://cloud.google.com/vertex-ai/docs/general/locations#accelerators
        problems.append(_rule(f"{at}.machine_spec.accelerator_type",
                              f'Accelerator "{T4}" is not supported in location "{location}".'))
    m = _N1.match(machine.machine_type)
    if not m or int(m.group(2)) not in _N1_VCPUS:
        problems.append(_rule(f"{at}.machine_spec.machine_type",
                              f'Machine type "{machine.machine_type}" is not supported with accelerator "{T4}"; '
                              "use an N1 machine type (n1-standard-*, n1-highmem-*, n1-highcpu-*)."))
        return problems
    if count not in T4_COUNTS:
        problems.append(_rule(f"{at}.machine_spec.accelerator_count",
                              f'Accelerator count {count} is not supported for "{T4}"; use 1, 2 or 4.'))
        return problems
    vcpus = int(m.group(2))
    memory = vcpus * _N1_GB_PER_VCPU[m.group(1)]
    max_vcpus, max_gb = T4_HOST_LIMITS[count]
    if vcpus > max_vcpus or memory > max_gb:
        problems.append(_rule(f"{at}.machine_spec.machine_type",
                              f'Machine type "{machine.machine_type}" ({vcpus} vCPUs, {memory:g} GB) is too large '
                              f"for {count} {T4}: at most {max_vcpus} vCPUs and {max_gb:g} GB."))
    return problems


def _labels(labels: Any) -> list[Problem]:
    problems = []
    if len(labels) > LABELS_MAX:
        problems.append(_rule("labels", f"{len(labels)} labels; at most {LABELS_MAX} are allowed."))
    for key, value in labels.items():
        if not key or not _label_text(key) or not (key[0].isalpha() and key[0].islower()):
            problems.append(_rule(f"labels[{key}]", f'Label key "{key}" is not valid: it must start with a lowercase '
                                  "letter and hold only lowercase letters, digits, _ and -, at most 64 characters."))
        if not _label_text(value) and value:
            problems.append(_rule(f"labels[{key}]", f'Label value "{value}" is not valid: only lowercase letters, '
                                  "digits, _ and -, at most 64 characters."))
    return problems


def _label_text(text: str) -> bool:
    """Lowercase letters (international ones too), digits, _ and -, at most 64 codepoints."""
    return len(text) <= LABEL_MAX_CHARS and all(
        c.isdigit() or c in "_-" or (c.isalpha() and not c.isupper()) for c in text)


def _rule(path: str, message: str) -> Problem:
    return Problem(Kind.RULE, path, message)


def required_field(problem: Problem, root: str) -> Problem:
    """Vertex names a missing field from inside the resource, in its own words: seen in the wild as
    "1.Field: job_spec.worker_pool_specs[0].container_spec.env[0].value; Message: Required field is not set."
    """
    return Problem(problem.kind, problem.field.removeprefix(f"{root}."), "Required field is not set.")


def vertex_bad_request(problems: list[Problem]) -> dict[str, Any]:
    """400 as Vertex's backend sends it: "List of found errors:\\t1.Field: f; Message: m\\t" plus BadRequest."""
    text = "List of found errors:\t" + "".join(
        f"{i}.Field: {p.field}; Message: {p.message}\t" for i, p in enumerate(problems, 1))
    violations = [{"field": p.field, "description": p.message} for p in problems]
    return google_error(400, "INVALID_ARGUMENT", text,
                        [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations}])


def quota_exceeded(project: str, location: str) -> dict[str, Any]:
    """429 RESOURCE_EXHAUSTED as Google's quota system sends it (ErrorInfo names the metric and limit)."""
    metric = "aiplatform.googleapis.com/resource_management_requests"
    limit = "ResourceManagementRequestsPerMinutePerProjectPerRegion"
    message = (f"Quota exceeded for quota metric '{metric}' and limit '{limit}' of service "
               f"'aiplatform.googleapis.com' for consumer 'project_number:{project}'.")
    return google_error(429, "RESOURCE_EXHAUSTED", message, [
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
         "domain": "googleapis.com",
         "metadata": {"service": "aiplatform.googleapis.com", "quota_metric": metric, "quota_limit": limit,
                      "quota_location": location, "consumer": f"projects/{project}"}},
        {"@type": "type.googleapis.com/google.rpc.Help",
         "links": [{"description": "Request a higher quota limit.",
                    "url": "https://cloud.google.com/docs/quotas/help/request_increase"}]},
    ])
