"""Errors an operator can meet: each has a short title and a sentence that says what to do.

Every package raises a subclass of `T4Error`; the GUI and CLI show `title` and `message` as they are
and never a traceback. Keep `__cause__` (``raise X(...) from exc``) so the app log has the details.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class T4Error(Exception):
    """Base of every error meant for the operator.

    Attributes:
        title: a few words for a dialog title or a notification heading.
        message: one or two sentences: what happened and what to do.
    """

    title = "Something went wrong"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class ConfigError(T4Error):
    """The saved configuration cannot be used as it is."""

    title = "Settings need attention"


class RunRefused(T4Error):
    """A launch was refused before anything was started.

    Attributes:
        reason: why, for code that must tell the cases apart: "running" (another run is going),
            "already_launched" (this occurrence was launched before), "config", "budget", or None.
    """

    title = "Run not started"
    reason: str | None = None

    def __init__(self, message: str, *, title: str | None = None, reason: str | None = None) -> None:
        super().__init__(message, title=title)
        if reason is not None:
            self.reason = reason


class BackendError(T4Error):
    """The backend (this computer or Vertex AI) could not do what was asked."""

    title = "The job could not be run"


class TransientBackendError(BackendError):
    """A backend error worth retrying later (network blip, server busy)."""


class SecretsError(T4Error):
    """The OS keyring could not be used."""

    title = "Keyring unavailable"


class AuthError(T4Error):
    """Google credentials are missing, expired or revoked."""

    title = "Google sign-in needed"


class StorageError(T4Error):
    """T4 Panel's own files or folders cannot be used (full disk, read-only folder, damaged history)."""

    title = "Files unavailable"


def storage_error(exc: OSError, path: Path | None = None) -> T4Error:
    """An OS error about T4 Panel's own files, as a sentence: what happened, what is kept, what to do."""
    where = path or (Path(exc.filename) if getattr(exc, "filename", None) else None)
    shown = f" ({where})" if where else ""
    home = "T4PANEL_HOME" if os.environ.get("T4PANEL_HOME") else "the folder"
    if exc.errno == errno.ENOSPC:
        return StorageError(f"The disk is full: T4 Panel could not write its files{shown}. What was saved "
                            "before is kept. Free some space on that disk and try again.", title="Disk full")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(f"T4 Panel may not write in its folder{shown}: it is read-only or belongs to "
                            f"another user. Nothing was changed. Make it writable, or set {home} to a folder "
                            "you own.", title="Folder is read-only")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return StorageError(f"T4 Panel's folder{shown} is a file, not a folder, so nothing can be kept "
                            f"there. Nothing was changed. Move that file away, or set {home} to a folder.",
                            title="Not a folder")
    return StorageError(f"T4 Panel could not use its files{shown}: {exc.strerror or exc}. Nothing was changed. "
                        "Check the disk and the folder, then try again.", title="Files unavailable")
