"""Keys from Secret Manager instead of the job spec: the command wrapper of a Vertex AI job.

A CustomJob's env is readable by anyone who may view the project's jobs, so when the keys are kept in
Secret Manager (always for cloud runs) the job carries only the secrets' resource names, and its command
runs resources/bootstrap/secret_env.py first (`python3 -c <script> <operator's command...>`), which reads
the values through the metadata server and Secret Manager's REST API inside the container and then execs
the operator's command.
"""

from __future__ import annotations

import functools

from core import paths
from core.errors import BackendError, msg

SECRETS_ENV = "T4PANEL_SECRETS"  # NAME=projects/P/secrets/S/versions/V,... (names, never values)
SCRIPT = ("bootstrap", "secret_env.py")  # under resources/
# The env var each Supabase key reaches the job as, and the Secret Manager secret the cloud setup keeps it in.
SUPABASE_SECRET_IDS = {"SUPABASE_URL": "t4panel-supabase-url", "SUPABASE_KEY": "t4panel-supabase-key"}


@functools.cache
def script_source() -> str:
    """The bootstrap's Python source (stdlib only), as the container's `python3 -c` argument."""
    return paths.resources_dir().joinpath(*SCRIPT).read_text(encoding="utf-8")


def supabase_refs(project: str, version: str = "latest") -> dict[str, str]:
    """{"SUPABASE_KEY": "projects/P/secrets/t4panel-supabase-key/versions/latest", ...}."""
    return {name: f"projects/{project}/secrets/{secret}/versions/{version}"
            for name, secret in SUPABASE_SECRET_IDS.items()}


def refs_value(refs: dict[str, str]) -> str:
    """The T4PANEL_SECRETS value: which env var comes from which secret version."""
    return ",".join(f"{name}={resource}" for name, resource in sorted(refs.items()))


def wrap(command: list[str]) -> list[str]:
    """The container command that reads the keys first, then runs `command` (args follow it).

    Raises:
        BackendError: the command is empty, so the image's own ENTRYPOINT would run and cannot be wrapped.
    """
    if not command:
        raise BackendError(msg(
            "vertex.bootstrap_no_command", "The keys are kept in Secret Manager, so T4 Panel must start the job's "
            "command itself, but Command on the Job page is empty (the image's own entrypoint). Fill in Command "
            "with what the image runs, for example: python predict.py. Or, in Settings, turn off keeping the keys "
            "in Secret Manager (less safe: project viewers can read them in the job's settings)."),
            title=msg("vertex.bootstrap_no_command.title", "Command needed"))
    return ["python3", "-c", script_source(), *command]
