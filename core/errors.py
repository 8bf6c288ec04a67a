"""What core says to the operator: messages with a stable id, and the errors that carry them.

Every operator-facing sentence of core is a `Message`: an id that never changes (gui translates by it),
the parameters, and core's English as the default text (the CLI and the daemon print that). The wording
may change freely; the id may not. Every package raises a subclass of `T4Error`; the GUI and CLI show
its title and message and never a traceback. Keep `__cause__` (``raise X(...) from exc``) so the app log
has the details.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Message:
    """One operator-facing sentence.

    Attributes:
        id: stable, dotted ("run.exit_code"); gui/core_text.py has its Korean.
        default: core's English with ``{name}`` fields, filled from `params`.
        params: the values, as text; a value may itself be a Message (a list of problems, a cause).
    """

    id: str
    default: str
    params: Mapping[str, str | Message] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The English sentence (what the CLI, the daemon and the app log show)."""
        return fill(self.default, {k: str(v) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text

    def __hash__(self) -> int:  # params is a dict: hash what it says, so Problems can go in sets
        return hash((self.id, self.default, tuple(sorted((k, str(v)) for k, v in self.params.items()))))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "default": self.default,
                "params": {k: v.to_json() if isinstance(v, Message) else v for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        params = {str(k): cls.from_json(v) if isinstance(v, Mapping) else str(v)
                  for k, v in dict(data.get("params") or {}).items()}
        return cls(str(data["id"]), str(data.get("default", "")), params)

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def loads(cls, text: str | None) -> Message | None:
        """The Message stored by `dumps`, or None (an old row, or text that is not one)."""
        if not text:
            return None
        try:
            data = json.loads(text)
            return cls.from_json(data) if isinstance(data, dict) and "id" in data else None
        except (ValueError, TypeError, KeyError):
            return None


def msg(msg_id: str, default: str, **params: object) -> Message:
    """`msg("run.exit_code", "The job exited with code {code}.", code=3)`: values other than Messages become text."""
    return Message(msg_id, default, {k: v if isinstance(v, Message) else str(v) for k, v in params.items()})


def fill(template: str, params: Mapping[str, str]) -> str:
    """Put each ``{name}`` of `template` from `params`; other braces stay as they are (unlike str.format)."""
    for name, value in params.items():
        template = template.replace("{" + name + "}", value)
    return template


def joined(messages: list[Message], sep: str = " ") -> Message:
    """Several messages shown as one (the problems of a settings file): id "list", its items as params."""
    return Message("list", sep.join("{" + str(i) + "}" for i in range(len(messages))),
                   {str(i): m for i, m in enumerate(messages)})


class T4Error(Exception):
    """Base of every error meant for the operator.

    Attributes:
        title: a few words for a dialog title or a notification heading (English).
        message: one or two sentences: what happened and what to do (English).
        msg: the message with its id and parameters (id "" where a caller still passes plain text).
        title_msg: the title with its id.
    """

    title_msg = Message("error.title", "Something went wrong")

    def __init__(self, message: str | Message, *, title: str | Message | None = None) -> None:
        self.msg = message if isinstance(message, Message) else Message("", message)
        self.message = str(message)
        super().__init__(self.message)
        if isinstance(title, Message):
            self.title_msg = title
        elif title is not None:
            self.title_msg = Message("", title)

    @property
    def title(self) -> str:
        return self.title_msg.text

    def __str__(self) -> str:
        return self.message


class ConfigError(T4Error):
    """The saved configuration cannot be used as it is."""

    title_msg = Message("config.title", "Settings need attention")


class RunRefused(T4Error):
    """A launch was refused before anything was started.

    Attributes:
        reason: why, for code that must tell the cases apart: "running" (another run is going),
            "already_launched" (this occurrence was launched before), "config", "budget", or None.
    """

    title_msg = Message("run.refused.title", "Run not started")
    reason: str | None = None

    def __init__(self, message: str | Message, *, title: str | Message | None = None,
                 reason: str | None = None) -> None:
        super().__init__(message, title=title)
        if reason is not None:
            self.reason = reason


class BackendError(T4Error):
    """The backend (this computer or Vertex AI) could not do what was asked.

    Attributes:
        retryable: nothing was started and a later attempt may well work (the service was busy or
            unreachable, or had no GPU free); a scheduled run tries again until its catch-up window ends.
    """

    title_msg = Message("backend.title", "The job could not be run")
    retryable = False

    def __init__(self, message: str | Message, *, title: str | Message | None = None,
                 retryable: bool | None = None) -> None:
        super().__init__(message, title=title)
        if retryable is not None:
            self.retryable = retryable


class TransientBackendError(BackendError):
    """A backend error worth retrying later (network blip, server busy).

    Attributes:
        may_exist: after a launch, whether a job may have been created all the same (False only when
            no create was ever sent).
    """

    retryable = True
    may_exist = True


class SecretsError(T4Error):
    """The OS keyring could not be used."""

    title_msg = Message("secrets.title", "Keyring unavailable")


class AuthError(T4Error):
    """Google credentials are missing, expired or revoked."""

    title_msg = Message("auth.title", "Google sign-in needed")


class SignInNeeded(BackendError, AuthError):
    """A Google call failed because the sign-in expired or was revoked: a backend failure that the CLI
    (exit 2) and the window (the sign-in-again dialog) treat as the sign-in problem it is."""

    title_msg = Message("auth.title", "Google sign-in needed")


class StorageError(T4Error):
    """T4 Panel's own files or folders cannot be used (full disk, read-only folder, damaged history)."""

    title_msg = Message("storage.title", "Files unavailable")


def storage_error(exc: OSError, path: Path | None = None) -> T4Error:
    """An OS error about T4 Panel's own files, as a sentence: what happened, what is kept, what to do."""
    where = path or (Path(exc.filename) if getattr(exc, "filename", None) else None)
    shown = f" ({where})" if where else ""
    home = "T4PANEL_HOME" if os.environ.get("T4PANEL_HOME") else "the folder"
    if exc.errno == errno.ENOSPC:
        return StorageError(msg("storage.disk_full", "The disk is full: T4 Panel could not write its files{where}. "
                                "What was saved before is kept. Free some space on that disk and try again.",
                                where=shown), title=Message("storage.disk_full.title", "Disk full"))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(msg("storage.read_only", "T4 Panel may not write in its folder{where}: it is read-only "
                                "or belongs to another user. Nothing was changed. Make it writable, or set {home} "
                                "to a folder you own.", where=shown, home=home),
                            title=Message("storage.read_only.title", "Folder is read-only"))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return StorageError(msg("storage.not_a_folder", "T4 Panel's folder{where} is a file, not a folder, so "
                                "nothing can be kept there. Nothing was changed. Move that file away, or set "
                                "{home} to a folder.", where=shown, home=home),
                            title=Message("storage.not_a_folder.title", "Not a folder"))
    return StorageError(msg("storage.failed", "T4 Panel could not use its files{where}: {reason}. Nothing was "
                            "changed. Check the disk and the folder, then try again.", where=shown,
                            reason=exc.strerror or exc))
