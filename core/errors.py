"""Errors an operator can meet: each has a short title and a sentence that says what to do.

Every package raises a subclass of `T4Error`; the GUI and CLI show `title` and `message` as they are
and never a traceback. Keep `__cause__` (``raise X(...) from exc``) so the app log has the details.
"""

from __future__ import annotations


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
    """The backend (this computer or Vertex AI) could not do what was asked.

    Attributes:
        retryable: nothing was started and a later attempt may well work (the service was busy or
            unreachable, or had no GPU free); a scheduled run tries again until its catch-up window ends.
    """

    title = "The job could not be run"
    retryable = False

    def __init__(self, message: str, *, title: str | None = None, retryable: bool | None = None) -> None:
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

    title = "Keyring unavailable"


class AuthError(T4Error):
    """Google credentials are missing, expired or revoked."""

    title = "Google sign-in needed"
