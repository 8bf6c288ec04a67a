"""`t4panel cloud setup|status|remove [--json]`: the cloud schedule in the operator's Google project.

setup shows the checklist as it goes and asks before the Supabase keys are copied to Secret Manager
(`--yes` answers yes, for scripts). Exit codes: 0 done, 1 a step failed (the sentence says which and
what to do; setup resumes where it stopped), 2 the settings cannot be used (not Vertex AI, no project,
a damaged file) or nobody is signed in.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from core.app.cloud_setup import CloudSchedule, CloudSetupError, Step, StepState, consent_message
from core.store import config as config_mod
from core.store.config import AppConfig

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
_MARK = {StepState.RUNNING: "...", StepState.DONE: "[x]", StepState.FAILED: "[!]", StepState.SKIPPED: "[-]",
         StepState.TODO: "[ ]"}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `cloud` command to an argparse subparsers object (one line in the main parser)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "cloud", help="the cloud schedule: Google runs the daily job with every computer off")
    sub = p.add_subparsers(dest="cloud_command", metavar="ACTION", required=True)
    for name, text in (("setup", "create (or finish creating) the cloud schedule in the job's project"),
                       ("status", "what the project holds of it, and whether its settings match this computer's"),
                       ("remove", "delete what setup created, and nothing else")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--json", action="store_true", help="print the result as JSON")
        if name != "status":
            s.add_argument("--yes", action="store_true", help="answer yes to the question (scripts)")
    return p


def handle(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None,
           stdin: TextIO | None = None) -> int:
    """Run one `cloud` action. Returns the exit code."""
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    cfg = _config(err)
    if cfg is None:
        return EXIT_CONFIG
    as_json = bool(args.json)
    lines = err if as_json else out  # JSON keeps stdout parseable; progress goes beside it
    try:
        if args.cloud_command == "status":
            status = CloudSchedule(cfg).status()
            if as_json:
                out.write(json.dumps(status.to_json(), indent=2) + "\n")
            else:
                _print_status(status, out)
            return EXIT_OK
        if args.cloud_command == "setup":
            secrets = _secrets_to_copy(cfg, args.yes, stdin, lines)
            steps = CloudSchedule(cfg, secrets=secrets, progress=lambda s: _progress(s, lines)).setup()
        else:
            if not args.yes and not _ask(f"Remove the cloud schedule from Google project {cfg.job.project_id}? "
                                         "Nothing else in the project is touched.", stdin, lines):
                lines.write("Nothing removed.\n")
                return EXIT_OK
            steps = CloudSchedule(cfg, progress=lambda s: _progress(s, lines)).remove()
    except CloudSetupError as exc:
        if as_json:
            out.write(json.dumps({"ok": False, "step": exc.step, "error": exc.message}, indent=2) + "\n")
        err.write(f"{exc.title}: {exc.message}\n")
        return EXIT_CONFIG if exc.step == "config" or signed_out(exc) else EXIT_FAILED
    if as_json:
        out.write(json.dumps({"ok": True, "steps": [s.to_json() for s in steps]}, indent=2) + "\n")
    return EXIT_OK


def signed_out(exc: CloudSetupError) -> bool:
    """Nobody is signed in, or Google refused the sign-in: a set-up problem (exit 2), not a failed step."""
    from core.errors import AuthError

    return isinstance(exc.__cause__, AuthError) or exc.title_msg.id == "cloud.sign_in.title"


def _config(err: TextIO) -> AppConfig | None:
    loaded = config_mod.load()
    cfg = loaded.config
    problems = config_mod.validate(cfg)
    if problems:
        err.write("The settings cannot be used: " + " ".join(p.msg.text for p in problems) + "\n")
        return None
    if cfg.job.backend != "vertex" or not cfg.job.project_id:
        err.write("The cloud schedule runs on Vertex AI: set [job] backend = \"vertex\" and project_id first "
                  "(t4panel config path shows the file).\n")
        return None
    return cfg


def _secrets_to_copy(cfg: AppConfig, yes: bool, stdin: TextIO, lines: TextIO) -> dict[str, str] | None:
    """The Supabase URL and key to copy, once the operator agreed; None when there are none or they said no."""
    from core.store.secrets import SUPABASE_KEY, SUPABASE_URL, SecretStore, supabase_env

    found = supabase_env(SecretStore())
    if not found:
        return None  # setup then uses what Secret Manager already has, or says how to save the keys
    if not yes and not _ask(consent_message(cfg).text, stdin, lines):
        lines.write("The keys stay on this computer only.\n")
        return None
    return {SUPABASE_URL: found["SUPABASE_URL"], SUPABASE_KEY: found["SUPABASE_KEY"]}


def _ask(question: str, stdin: TextIO, lines: TextIO) -> bool:
    lines.write(f"{question} [y/N] ")
    lines.flush()
    answer = stdin.readline().strip().lower()
    return answer in ("y", "yes")


def _progress(step: Step, lines: TextIO) -> None:
    text = f"{_MARK[step.state]} {step.title.text}"
    if step.detail is not None and step.state is not StepState.FAILED:  # a failure's sentence comes once, at the end
        text += f" ({step.detail.text})"
    lines.write(text + "\n")
    lines.flush()


def _print_status(status: Any, out: TextIO) -> None:
    from core.app.cloud_setup import step_title

    out.write(f"Cloud schedule in project {status.project} ({status.region}): "
              f"{'complete' if status.complete else 'not complete'}\n")
    for key, there in status.resources.items():
        out.write(f"{'[x]' if there else '[ ]'} {step_title(key).text}\n")
    if status.config_differs is not None:
        out.write("Settings in the cloud: " + ("DIFFERENT from this computer's (run `t4panel cloud setup` or save "
                                               "the settings in the app)" if status.config_differs else
                                               "the same as this computer's") + "\n")
    if status.next_fire:
        out.write(f"Next fire: {status.next_fire}\n")
    if status.last_attempt:
        out.write(f"Last fire: {status.last_attempt} ({status.last_status})\n")
