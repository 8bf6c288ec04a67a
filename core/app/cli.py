"""The headless command line of the design contract: run-now, status, cancel, check, fire, config, secrets, daemon."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from core import paths
from core.errors import AuthError, ConfigError, RunRefused, SecretsError, StorageError, T4Error, storage_error
from core.store import config as config_mod
from core.store import runs as runs_mod
from core.store.runs import Run, RunState, iso

if TYPE_CHECKING:  # the controller stack loads only when a command needs it
    from core.backends.base import LogLine
    from core.control.controller import RunController, RunEvent

EXIT_OK, EXIT_RUN_FAILED, EXIT_CONFIG = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="t4panel", description="T4 Panel: run a T4 GPU job daily, from a window or headless.")
    parser.add_argument(
        "--smoke", action="store_true", help="open the window, wait for its first paint, print 'smoke ok'")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("run-now", help="launch one run with the saved settings")
    p.add_argument("--wait", action="store_true", help="stream the job's log and wait for it to end")
    p.add_argument("--json", action="store_true", help="print the run as JSON (log lines go to stderr)")
    p.add_argument("--yes", action="store_true", help="confirm warnings such as an exceeded budget")
    p = sub.add_parser("status", help="recent runs")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)
    p = sub.add_parser("cancel", help="cancel a run")
    p.add_argument("run_id")
    p.add_argument("--no-wait", action="store_true", help="return once the cancel is sent")
    sub.add_parser("daemon", help="run the schedule without a window (servers, Docker)")
    p = sub.add_parser("fire", help="fire the schedule's current run once (what the cloud schedule runs)",
                       description="Launch the schedule's current occurrence once and watch it to its end. "
                       "Idempotent: a second call for the same occurrence follows the first one's job. Exits 0 "
                       "whatever the job's result; 2 when the settings are damaged or invalid.")
    p.add_argument("--json", action="store_true", help="print {outcome, message, occurrence, run} as JSON")
    p.add_argument("--config", metavar="FILE", help="settings file (default: $T4PANEL_CONFIG_TOML, else the "
                   "saved settings)")
    p = sub.add_parser("check", help="check the setup before the next run (APIs, quota, image, permissions)")
    p.add_argument("--json", action="store_true", help="print a list of {id, status, title, detail, fix}")
    p = sub.add_parser("config", help="check or show the settings")
    csub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    v = csub.add_parser("validate", help="check a settings file (default: the saved one)")
    v.add_argument("file", nargs="?")
    csub.add_parser("show", help="print the settings, secrets masked")
    csub.add_parser("path", help="print where the settings file is")
    try:
        from core.app import cli_secrets
    except ImportError:  # pragma: no cover - during development only
        pass
    else:
        cli_secrets.add_parser(sub)
    from core.app import cli_cloud

    cli_cloud.add_parser(sub)
    return parser


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(list(argv))
    from core.app import applog

    applog.setup()  # the daemon adds its own stdout log
    try:
        return _command(args, out, err)
    except (RunRefused, ConfigError, AuthError, SecretsError, StorageError) as exc:
        message = exc.message
        if isinstance(exc, SecretsError):
            from core.app.cli_secrets import headless

            message = headless(message)
        print(f"{exc.title}: {message}", file=err)
        return EXIT_CONFIG
    except T4Error as exc:
        print(f"{exc.title}: {exc.message}", file=err)
        return EXIT_RUN_FAILED
    except sqlite3.Error as exc:  # the history is busy or unusable: a sentence, never a traceback
        shown = runs_mod.history_error(exc, paths.history_path())
        print(f"{shown.title}: {shown.message}", file=err)
        return EXIT_CONFIG
    except BrokenPipeError:  # `t4panel status | head`: the reader left; nothing to say
        return EXIT_OK
    except OSError as exc:  # a full disk, a read-only folder, T4PANEL_HOME pointing at a file
        shown = storage_error(exc)
        print(f"{shown.title}: {shown.message}", file=err)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    finally:
        for notice in runs_mod.take_notices():
            print(notice, file=err)


def _command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "run-now":
        return _run_now(args, out, err)
    if args.command == "status":
        return _status(args, out, err)
    if args.command == "cancel":
        return _cancel(args, out, err)
    if args.command == "config":
        return _config(args, out, err)
    if args.command == "check":
        return _check(args, out, err)
    if args.command == "fire":
        return _fire(args, out, err)
    if args.command == "daemon":
        from core.app import daemon

        return daemon.run_daemon()
    if args.command == "secrets":
        from core.app import cli_secrets

        return cli_secrets.handle(args, out, err)
    if args.command == "cloud":
        from core.app import cli_cloud

        return cli_cloud.handle(args, out, err)
    build_parser().print_help(out)
    return EXIT_OK


def _controller(err: TextIO) -> RunController:
    from core.app import services

    loaded = config_mod.load()
    if loaded.notice:
        print(loaded.notice, file=err)
    controller = services.build_controller()
    for notice in runs_mod.take_notices():  # a history set aside: say so before anything else
        print(notice, file=err)
    return controller


def _run_now(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = config_mod.load()
    if loaded.notice:  # refused before history or a backend is even opened; a damaged file stays as it is
        raise ConfigError(loaded.notice, title="Run not started")
    controller = _controller(err)
    log_out = err if args.json else out
    lines_lock = threading.Lock()
    run_id: list[str] = []
    pending: list[RunEvent] = []

    def on_event(event: RunEvent) -> None:
        if event.kind != "log" or not args.wait:
            return
        with lines_lock:
            if not run_id:
                pending.append(event)
                return
            if event.run.id == run_id[0]:
                _print_lines(event.lines, log_out)

    controller.subscribe(on_event)
    try:
        run = controller.launch("manual", confirmed=args.yes)
    except T4Error as exc:
        if isinstance(exc, (RunRefused, ConfigError, AuthError, SecretsError)):
            raise
        print(f"{exc.title}: {exc.message}", file=err)
        return EXIT_RUN_FAILED
    with lines_lock:
        run_id.append(run.id)
        for event in pending:
            if event.run.id == run.id:
                _print_lines(event.lines, log_out)
    if not args.wait:
        _print_run(run, out, args.json, "started")
        return EXIT_OK
    print(f"Run {run.id} started on {run.backend}; waiting for it to end (Ctrl-C leaves it running).", file=err)
    try:
        run = controller.wait(run.id)
    except KeyboardInterrupt:
        print(f"\nStopped waiting. The run goes on; cancel it with: t4panel cancel {run.id}", file=err)
        return 130
    _print_run(run, out, args.json, "ended")
    return EXIT_OK if run.state == RunState.SUCCEEDED else EXIT_RUN_FAILED


def _fire(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from core.app import fire

    cfg = fire.load_config(args.config)  # ConfigError: exit 2 via main(), nothing launched
    fire.use_cloud_credentials(cfg)

    def say(text: str) -> None:
        print(text, file=err, flush=True)

    report = fire.fire(cfg, say=say)
    if args.json:
        out.write(json.dumps(report.to_json(), indent=2) + "\n")
    else:
        out.write(report.message.text + "\n")
    return EXIT_OK  # the job's own result lives in Vertex AI, History and the claim


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from core.app import setup_check

    def progress(done: int, total: int, item: str) -> None:
        if item and not args.json:
            print(f"Checking {item} ({done + 1}/{total})...", file=err)

    report = setup_check.run_check(progress)  # ConfigError / AuthError: exit 2 via main()
    if args.json:
        out.write(json.dumps([i.to_json() for i in report.items], indent=2) + "\n")
    else:
        for item in report.items:
            fix = f" Fix: {item.fix.text}" if item.fix else ""
            out.write(f"{item.status.value.upper():<5} {item.title.text}: {item.detail.text}{fix}\n")
    return EXIT_RUN_FAILED if report.failed else EXIT_OK


def _print_lines(lines: Iterable[LogLine], stream: TextIO) -> None:
    for line in lines:
        stream.write(f"{line.time.strftime('%H:%M:%S')} {line.text}\n")
    stream.flush()


def _print_run(run: Run, out: TextIO, as_json: bool, verb: str) -> None:
    if as_json:
        out.write(json.dumps(run.to_json(), indent=2) + "\n")
        return
    out.write(f"Run {run.id} {verb}: {run.state.value}" + (f" ({run.error})" if run.error else "") + "\n")


def _status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    controller = _controller(err)
    controller.refresh_active()
    runs = controller.store.recent(args.limit)
    if args.json:
        out.write(json.dumps([r.to_json() for r in runs], indent=2) + "\n")
        return EXIT_OK
    if not runs:
        out.write("No runs yet. Start one with: t4panel run-now\n")
        return EXIT_OK
    out.write(f"{'ID':<21} {'STATE':<12} {'BACKEND':<7} {'CREATED (UTC)':<20} {'COST':>8}  TRIGGER\n")
    for r in runs:
        cost = f"${r.cost_usd:.2f}" if r.cost_usd is not None else "-"
        created = (iso(r.created) or "")[:19].replace("T", " ")
        out.write(f"{r.id:<21} {r.state.value:<12} {r.backend:<7} {created:<20} {cost:>8}  {r.trigger}\n")
    return EXIT_OK


def _cancel(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    controller = _controller(err)
    run = controller.cancel(args.run_id)
    out.write(f"Cancel sent to run {run.id}.\n")
    if args.no_wait:
        return EXIT_OK
    run = controller.wait(run.id, timeout=120)
    out.write(f"Run {run.id} is {run.state.value}.\n")
    return EXIT_OK if run.state.terminal else EXIT_RUN_FAILED


def _config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.config_command == "path":
        out.write(str(paths.config_path()) + "\n")
        return EXIT_OK
    if args.config_command == "validate":
        from pathlib import Path

        path = Path(args.file) if args.file else paths.config_path()
        if path.parent.exists() and not path.parent.is_dir():
            raise storage_error(NotADirectoryError(20, "Not a directory", str(path.parent)))
        if not path.exists():
            print(f"No settings file at {path}.", file=err)
            return EXIT_CONFIG
        problems = config_mod.validate(config_mod.load(path).config)
        for p in problems:
            out.write(f"{p.message}\n" if p.field == config_mod.FILE else f"{p.field}: {p.message}\n")
        if not problems:
            out.write(f"{path}: OK\n")
        return EXIT_CONFIG if problems else EXIT_OK
    loaded = config_mod.load()
    if loaded.notice:
        print(loaded.notice, file=err)
    if loaded.damaged:
        out.write("# The settings file is damaged (see above); these are the settings T4 Panel could read.\n")
    out.write(config_mod.dumps(masked(loaded.config)))
    out.write("\n# Secrets (kept in the OS keyring, never in this file)\n")
    for name, where, value in _secret_lines():
        if where.startswith("not set"):  # "(not set)" once, with why when there is a why
            why = where.removeprefix("not set").strip(" ()")
            out.write(f"# {name}: (not set{'; ' + why if why else ''})\n")
        else:
            out.write(f"# {name}: {value} ({where})\n")
    return EXIT_OK


def masked(cfg: config_mod.AppConfig) -> config_mod.AppConfig:
    """A copy safe to print: the webhook address carries a token (in its path or as user:password@), so
    only its scheme and host are shown."""
    import copy
    from urllib.parse import urlsplit

    shown = copy.deepcopy(cfg)
    url = shown.notifications.webhook_url
    if url and isinstance(url, str):
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
            port = f":{parts.port}" if parts.port else ""
        except ValueError:  # not even a URL: show nothing of it
            parts, host, port = urlsplit(""), "", ""
        shown.notifications.webhook_url = f"{parts.scheme or '?'}://{host}{port}/****"
    return shown


def _secret_lines() -> list[tuple[str, str, str]]:
    try:
        from core.store import secrets
    except ImportError:  # pragma: no cover
        return []
    try:
        return secrets.masked_listing()
    except T4Error as exc:
        return [("keyring", "unavailable", exc.message)]
