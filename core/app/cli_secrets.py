"""`secrets set NAME` / `secrets list` / `secrets delete NAME`: set up a headless server without the GUI.

A value is read from standard input, never from the command line (where `ps` and shell history see it).
Exit codes: 0 done, 2 bad name or no usable keyring (the message goes to stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, TextIO

from core.errors import SecretsError
from core.store.secrets import ENV_NAMES, PUBLIC_NAMES, SecretStore, masked_listing

EXIT_OK, EXIT_BAD = 0, 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `secrets` command to an argparse subparsers object (one line in the main parser)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "secrets", help="keep the Supabase URL and key in the OS keyring",
        description="Names: " + ", ".join(PUBLIC_NAMES) + ". Values are read from "
                    "standard input, e.g.: printf %%s \"$KEY\" | t4panel secrets set supabase-key")
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
            err.write(f"{exc.title}: {exc.message}\n")
            return EXIT_BAD
        return EXIT_OK
    name = args.name
    if name not in PUBLIC_NAMES:
        err.write(f'Unknown secret name "{name}". Use one of: {", ".join(PUBLIC_NAMES)}.\n')
        return EXIT_BAD
    try:
        if action == "set":
            if stdin.isatty():
                err.write(f"Type or paste the value for {name}, then press Enter:\n")
            value = stdin.read()
            value = value.removesuffix("\n")
            value = value.removesuffix("\r")
            if not value:
                err.write(f"No value was given on standard input for {name}; nothing was saved.\n")
                return EXIT_BAD
            store.set(name, value)
            out.write(f"Saved {name} in the keyring ({store.backend_description()}).\n")
        elif action == "delete":
            existed = store.delete(name)
            out.write(f"Deleted {name}.\n" if existed else f"{name} was not set.\n")
    except SecretsError as exc:
        err.write(f"{exc.title}: {exc.message}\n")
        if action == "set":
            err.write(f"On this server, you can give the daemon {ENV_NAMES[name]} in its environment instead.\n")
        return EXIT_BAD
    except ValueError as exc:
        err.write(f"{exc}\n")
        return EXIT_BAD
    return EXIT_OK
