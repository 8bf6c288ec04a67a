"""The cloud schedule's runner image: Cloud Run starts the daemon image with args ["fire"], so its entrypoint must
be the t4panel command; `make runner-image` tags it for the Artifact Registry it is given. (No image is built here.)"""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _instruction(name: str) -> list[str]:
    lines = [line for line in (ROOT / "packaging/docker/Dockerfile").read_text(encoding="utf-8").splitlines()
             if line.startswith(name + " ")]
    assert len(lines) == 1, f"one {name} expected, got {lines}"
    value = json.loads(lines[0][len(name) + 1:])  # exec form: no shell between Cloud Run's args and t4panel
    assert isinstance(value, list)
    return value


def test_cloud_runs_args_fire_become_t4panel_fire_and_no_args_stay_the_daemon():
    assert _instruction("ENTRYPOINT") == ["t4panel"]
    assert _instruction("CMD") == ["daemon"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "t4panel" in scripts  # what `pip install` in the image puts on PATH


def test_make_runner_image_tags_the_image_for_the_registry_given():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    registry = "us-central1-docker.pkg.dev/my-proj/t4panel"
    dry = subprocess.run(["make", "-n", "runner-image", f"REGISTRY={registry}"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    build = next(line for line in dry.stdout.splitlines() if " build " in line)
    assert "-f packaging/docker/Dockerfile" in build and f"-t {registry}/t4panel:{version}" in build
    assert "--platform linux/amd64" in build  # what Cloud Run runs


def test_make_runner_image_without_a_registry_says_what_to_give():
    done = subprocess.run(["make", "runner-image", "DOCKER=false"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode != 0 and "Set REGISTRY" in done.stderr
