"""`secrets set NAME` / `secrets list` / `secrets delete NAME`: set up a headless server without the GUI.

A value is read from standard input, never from the command line (where `ps` and shell history see it).
When Secret Manager holds the keys (Settings' "keep the keys in Secret Manager", or the cloud schedule, on a
Vertex AI project), `set` adds a new version there too, so the next run reads the new value.
Exit codes: 0 done, 1 saved in the keyring but Secret Manager still holds the old value, 2 bad name or no usable
keyring (the message goes to stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, TextIO

from core.errors import SecretsError
from core.store.config import supabase_url_problem
from core.store.secrets import _WHAT_TO_DO, PUBLIC_NAMES, SUPABASE_URL, SecretStore, masked_listing

EXIT_OK, EXIT_CLOUD, EXIT_BAD = 0, 1, 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `secrets` command to an argparse subparsers object (one line in the main parser)."""
    # The example stands on its own line, as it is: argparse does not %-format a description, so "%%s" would
    # print as "%%s" and, copied, store a literal "%s".
    p: argparse.ArgumentParser = subparsers.add_parser(
        "secrets", help="keep the Supabase URL and key in the OS keyring",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Names: " + ", ".join(PUBLIC_NAMES) + ". A value is read from standard input (at a terminal, "
                    "typed hidden and ended with Enter), never from the command line. For example:\n\n"
                    '  printf %s "$KEY" | t4panel secrets set supabase-key\n')
    sub = p.add_subparsers(dest="secrets_command", metavar="ACTION", required=True)
    s = sub.add_parser("set", help="save a value read from standard input")
    s.add_argument("name", metavar="NAME", help=" or ".join(PUBLIC_NAMES))
    sub.add_parser("list", help="names, where each is kept, values masked")
    d = sub.add_parser("delete", help="remove a saved value")
    d.add_argument("name", metavar="NAME", help=" or ".join(PUBLIC_NAMES))
    p.set_defaults(handler=handle)
    return p


def handle(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None,
           stdin: TextIO | None = None, store: SecretStore | None = None) -> int:
    """Run one `secrets` action. Returns the exit code."""
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    store = store or SecretStore()
    action = args.secrets_command
    if action == "list":
        for name, where, value in masked_listing(store, os.environ):
            out.write(f"{name}\t{where}\t{value}\n")
        try:
            store.check()
        except SecretsError as exc:
            err.write(f"{exc.title}: {headless(exc.message)}\n")
            return EXIT_BAD
        return EXIT_OK
    name = args.name
    if name not in PUBLIC_NAMES:
        err.write(f'Unknown secret name "{name}". Use one of: {", ".join(PUBLIC_NAMES)}.\n')
        return EXIT_BAD
    try:
        if action == "set":
            value = _read_value(name, stdin, err)
            if not value.strip():
                err.write(f"No value was given for {name} (only spaces or nothing); nothing was saved.\n")
                return EXIT_BAD
            if name == SUPABASE_URL:
                value = value.strip()
                problem = supabase_url_problem(value)
                if problem:
                    err.write(f"{problem} Nothing was saved.\n")
                    return EXIT_BAD
            store.set(name, value)
            out.write(f"Saved {name} in the keyring ({store.backend_description()}).\n")
            return _update_secret_manager(name, value, out, err)
        elif action == "delete":
            existed = store.delete(name)
            out.write(f"Deleted {name}.\n" if existed else f"{name} was not set.\n")
    except SecretsError as exc:
        err.write(f"{exc.title}: {headless(exc.message)}\n")
        return EXIT_BAD
    except ValueError as exc:
        err.write(f"{exc}\n")
        return EXIT_BAD
    return EXIT_OK


def _update_secret_manager(name: str, value: str, out: TextIO, err: TextIO) -> int:
    """A new Secret Manager version of `name` when the project keeps the keys there (and it changed)."""
    from core.app.cloud_keys import KeysInSecretManager, keys_needed_in_cloud
    from core.errors import T4Error
    from core.store import config as config_mod

    cfg = config_mod.load().config
    if not keys_needed_in_cloud(cfg):
        return EXIT_OK
    try:
        updated = KeysInSecretManager(cfg, secrets={name: value}).update_keys()
    except T4Error as exc:
        err.write(f"Secret Manager in project {cfg.job.project_id} still holds the old value: {exc.message}\n")
        return EXIT_CLOUD
    if updated:
        out.write(f"Secret Manager in project {cfg.job.project_id} has the new value too ({updated[0]}).\n")
    return EXIT_OK


def _read_value(name: str, stdin: TextIO, err: TextIO) -> str:
    """At a terminal, hidden input that ends on Enter; otherwise all of standard input, less one line end."""
    if stdin.isatty():
        import getpass

        return getpass.getpass(f"Value for {name} (hidden; paste or type it, then press Enter): ", stream=err)
    value = stdin.read()
    return value.removesuffix("\n").removesuffix("\r")


# The keyring messages end with what to do in the window ("Keep for this session only"); a command line has
# no such button, so its messages end with what a server can do instead.
_HEADLESS_WHAT_TO_DO = ("On a server without a keyring, give the daemon SUPABASE_URL and SUPABASE_KEY in its "
                        "environment instead.")


def headless(message: str) -> str:
    """A keyring message for the command line: the window's advice replaced by the server's."""
    return message.replace(_WHAT_TO_DO, _HEADLESS_WHAT_TO_DO)
