"""The one door to the OS keyring (service "t4panel"), with an explicit "this session only" mode.

No other module imports `keyring`. Values are never logged; errors are `SecretsError` sentences.
Calls may block (unlock prompts, D-Bus): never call them on the UI thread.
"""

from __future__ import annotations

import enum
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import Message, SecretsError, msg

log = logging.getLogger(__name__)

SERVICE = "t4panel"
SUPABASE_URL = "supabase-url"
SUPABASE_KEY = "supabase-key"
GOOGLE_TOKEN = "google-oauth-token"  # JSON: refresh_token, client_id, client_secret, token_uri, email...
PUBLIC_NAMES = (SUPABASE_URL, SUPABASE_KEY)  # the names the `secrets` commands accept
ALL_NAMES = (*PUBLIC_NAMES, GOOGLE_TOKEN)
# Windows Credential Manager keeps about 1280 characters per secret.
MAX_SECRET_CHARS = 1280
ENV_NAMES = {SUPABASE_URL: "SUPABASE_URL", SUPABASE_KEY: "SUPABASE_KEY"}

_WHAT_TO_DO = (
    'Choose "Keep for this session only" to keep secrets in memory until T4 Panel closes; '
    "on a server, give the daemon SUPABASE_URL and SUPABASE_KEY in its environment instead."
)
NO_KEYRING_MESSAGE = Message(
    "keyring.none", "No keyring is available on this computer, so T4 Panel cannot save secrets. Install and unlock a "
    "keyring (GNOME Keyring, KDE Wallet, macOS Keychain or Windows Credential Manager). " + _WHAT_TO_DO
)
LOCKED_MESSAGE = Message(
    "keyring.locked", "The keyring is locked (its unlock prompt was dismissed or could not be shown). Unlock it - "
    "for example by logging out and in again - and retry. " + _WHAT_TO_DO
)
INIT_MESSAGE = Message(
    "keyring.init", "The keyring could not be opened (the keyring service is not running or its unlock prompt was "
    "dismissed). Start or unlock it and retry. " + _WHAT_TO_DO
)
PLAINTEXT_MESSAGE = Message(
    "keyring.plaintext", "The only keyring found keeps secrets in a plain file (keyrings.alt), which T4 Panel does "
    "not use. Remove keyrings.alt or install a real keyring. " + _WHAT_TO_DO
)


class Where(str, enum.Enum):
    """Where a secret is kept."""

    KEYRING = "keyring"
    SESSION = "this session only"
    ENVIRONMENT = "environment"


def mask(value: str | None) -> str:
    """A display form that never shows more than the first 4 characters of a secret."""
    if not value:
        return "(not set)"
    if len(value) < 12:
        return "\u2022" * 8
    return f"{value[:4]}\u2026 ({len(value)} characters)"


def _describe_backend(backend: Any) -> str:
    module = type(backend).__module__
    names = {
        "keyring.backends.SecretService": "GNOME Keyring / Secret Service",
        "keyring.backends.libsecret": "GNOME Keyring / Secret Service (libsecret)",
        "keyring.backends.kwallet": "KDE Wallet",
        "keyring.backends.macOS": "macOS Keychain",
        "keyring.backends.Windows": "Windows Credential Manager",
        "keyring.backends.fail": "none (no keyring found)",
        "keyring.backends.null": "none (keyring disabled)",
    }
    if module == "keyring.backends.chainer":
        inner = [_describe_backend(b) for b in getattr(backend, "backends", [])]
        return " + ".join(inner) if inner else names["keyring.backends.fail"]
    if module.startswith("keyrings.alt"):
        return "a plain file (keyrings.alt, not used)"
    return names.get(module, getattr(backend, "name", type(backend).__name__))


def _unusable_reason(backend: Any) -> Message | None:
    """Why a backend cannot keep secrets, or None when it can."""
    module = type(backend).__module__
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return NO_KEYRING_MESSAGE
    if module.startswith("keyrings.alt"):
        return PLAINTEXT_MESSAGE
    if module == "keyring.backends.chainer" and not getattr(backend, "backends", None):
        return NO_KEYRING_MESSAGE
    return None


# Secret Service failures that pass: gnome-keyring-daemon answers "no such object" for an item its own search
# just returned, or drops a call when it stops mid-call (several processes reading at once; GNOME/gnome-keyring
# #196, #199) and its session manager or D-Bus starts it again. The same call a moment later works.
_TRANSIENT = frozenset({"ItemNotFoundException", "SecretServiceNotAvailableException"})
RETRY_DELAYS = (0.2, 0.5, 1.0)  # seconds before the 2nd, 3rd and 4th try


def _transient(exc: BaseException) -> bool:
    """A passing Secret Service failure, alone or inside keyring's InitError (secretstorage is Linux-only, so by
    class name), or keyring's chainer finding the daemon gone while it lists its backends (the RuntimeError of
    keyring.backends.SecretService.Keyring.priority)."""
    if isinstance(exc, RuntimeError) and "Secret Service daemon is neither running" in str(exc):
        return True
    return any(type(e).__name__ in _TRANSIENT for e in (exc, exc.__cause__) if e is not None)


def _call(what: str, name: str, fn: Callable[[], Any]) -> Any:
    """`fn()`, tried again after a passing keyring failure (never after "locked" or "no keyring")."""
    for delay in RETRY_DELAYS:
        try:
            return fn()
        except Exception as exc:
            if not _transient(exc):
                raise
            log.warning("secrets: the keyring failed to %s %s (%s); trying again in %.1f s", what, name,
                        type(exc).__name__, delay)
            time.sleep(delay)
    return fn()


def _translate(exc: BaseException, action: Message) -> SecretsError:
    from keyring import errors

    if isinstance(exc, errors.NoKeyringError):
        return SecretsError(NO_KEYRING_MESSAGE)
    if isinstance(exc, errors.KeyringLocked):
        return SecretsError(LOCKED_MESSAGE, title=msg("keyring.locked.title", "Keyring locked"))
    if isinstance(exc, errors.InitError):
        return SecretsError(INIT_MESSAGE)
    # keyring's own messages carry no secret values; class name only, to be safe.
    return SecretsError(msg("keyring.failed", "The keyring could not {action} ({error}). Retry, or restart the "
                            "keyring service. " + _WHAT_TO_DO, action=action, error=type(exc).__name__))


@dataclass
class SecretStore:
    """Secrets of T4 Panel, in the OS keyring or (by the operator's choice) in memory.

    Args:
        session_only: keep values in memory only, never in the keyring.
        backend: a keyring backend instance (tests); None uses the one keyring picks.
    """

    session_only: bool = False
    backend: Any = field(default=None, repr=False)
    _memory: dict[str, str] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def keep_for_session_only(self) -> None:
        """Switch to memory-only mode (the operator chose it after a keyring problem)."""
        # No lock: a worker may hold it while a keyring call waits on an unlock prompt, and this runs
        # on the UI thread. Setting a bool is atomic.
        self.session_only = True
        log.info("secrets: keeping secrets for this session only (in memory)")

    def _keyring(self) -> Any:
        if self.backend is None:
            import keyring

            self.backend = keyring.get_keyring()
            log.info("secrets: keyring backend is %s", _describe_backend(self.backend))
        reason = _unusable_reason(self.backend)
        if reason:
            raise SecretsError(reason)
        return self.backend

    def backend_description(self) -> str:
        """Which keyring is in use, in plain words (may load keyring: call off the UI thread)."""
        if self.session_only:
            return "this session only (in memory, forgotten when T4 Panel closes)"
        if self.backend is None:
            import keyring

            self.backend = keyring.get_keyring()
        return _describe_backend(self.backend)

    def check(self) -> None:
        """Probe the keyring with a read.

        Raises:
            SecretsError: no usable keyring, or it is locked.
        """
        self.get(SUPABASE_URL)

    def get(self, name: str) -> str | None:
        """The value of `name`, or None when it is not set.

        Raises:
            SecretsError: the keyring cannot be used.
        """
        _check_name(name)
        with self._lock:
            if self.session_only:
                return self._memory.get(name)
            try:  # the chainer lists its backends over D-Bus on every call: inside the retry too
                value: str | None = _call("read", name, lambda: self._keyring().get_password(SERVICE, name))
                return value
            except SecretsError:
                raise
            except Exception as exc:
                raise _translate(exc, msg("keyring.action.read", "read a secret")) from exc

    def set(self, name: str, value: str) -> None:
        """Keep `value` under `name`.

        Raises:
            ValueError: unknown name, empty or too long value.
            SecretsError: the keyring cannot be used.
        """
        _check_name(name)
        if not isinstance(value, str) or not value:
            raise ValueError(f"The value for {name} is empty.")
        if len(value) > MAX_SECRET_CHARS:
            raise ValueError(f"The value for {name} is longer than {MAX_SECRET_CHARS} characters.")
        with self._lock:
            if self.session_only:
                self._memory[name] = value
                return
            try:  # set_password replaces: safe to repeat
                _call("save", name, lambda: self._keyring().set_password(SERVICE, name, value))
            except SecretsError:
                raise
            except Exception as exc:
                raise _translate(exc, msg("keyring.action.save", "save a secret")) from exc
        log.info("secrets: saved %s to the keyring", name)

    def delete(self, name: str) -> bool:
        """Forget `name`. Returns False when it was not set.

        Raises:
            SecretsError: the keyring cannot be used.
        """
        _check_name(name)
        from keyring.errors import PasswordDeleteError

        with self._lock:
            if self.session_only:
                return self._memory.pop(name, None) is not None
            backend = self._keyring()
            try:
                if _call("read", name, lambda: backend.get_password(SERVICE, name)) is None:
                    return False
                backend.delete_password(SERVICE, name)
            except PasswordDeleteError:
                return False
            except Exception as exc:
                raise _translate(exc, msg("keyring.action.delete", "delete a secret")) from exc
        log.info("secrets: deleted %s", name)
        return True

    def list(self) -> list[tuple[str, str]]:
        """(name, where kept) for each secret that is set. Values are never returned.

        Raises:
            SecretsError: the keyring cannot be used.
        """
        where = Where.SESSION.value if self.session_only else f"{Where.KEYRING.value} ({self.backend_description()})"
        return [(name, where) for name in ALL_NAMES if self.get(name) is not None]


def _check_name(name: str) -> None:
    if name not in ALL_NAMES:
        raise ValueError(f'Unknown secret name "{name}"; use one of: {", ".join(PUBLIC_NAMES)}.')


def masked_listing(store: SecretStore | None = None, environ: Mapping[str, str] = os.environ,
                   ) -> list[tuple[str, str, str]]:
    """(name, where kept, masked value) for each public name, for `secrets list` and `config show`.

    Names missing from the store are looked up in the environment (the headless daemon's fallback).
    Never raises for a keyring problem: the row says "keyring unavailable".
    """
    store = store or SecretStore()
    rows: list[tuple[str, str, str]] = []
    for name in PUBLIC_NAMES:
        try:
            value, where = store.get(name), (Where.SESSION.value if store.session_only else Where.KEYRING.value)
        except SecretsError:
            value, where = None, "keyring unavailable"
        if value is None and environ.get(ENV_NAMES[name]):
            value, where = environ[ENV_NAMES[name]], f"{Where.ENVIRONMENT.value} ({ENV_NAMES[name]})"
        rows.append((name, where if value is not None else f"not set ({where})", mask(value)))
    return rows


class SupabaseSource(str, enum.Enum):
    """Where `supabase_env` found the Supabase URL and key."""

    KEYRING = "keyring"
    SESSION = "this session only"
    ENVIRONMENT = "environment"
    NONE = "none"


def supabase_env_with_source(
    store: SecretStore | None, environ: Mapping[str, str] = os.environ
) -> tuple[dict[str, str], SupabaseSource]:
    """SUPABASE_URL and SUPABASE_KEY for the job: from the store, else from `environ` (headless daemon).

    Both or nothing: a half-configured pair gives ({}, NONE). Never raises for a missing keyring.
    """
    if store is not None:
        try:
            url, key = store.get(SUPABASE_URL), store.get(SUPABASE_KEY)
        except SecretsError as exc:
            log.info("secrets: keyring unavailable for Supabase keys (%s); trying the environment", exc.title)
        else:
            if url and key:
                source = SupabaseSource.SESSION if store.session_only else SupabaseSource.KEYRING
                return {"SUPABASE_URL": url, "SUPABASE_KEY": key}, source
    url, key = environ.get("SUPABASE_URL", ""), environ.get("SUPABASE_KEY", "")
    if url and key:
        return {"SUPABASE_URL": url, "SUPABASE_KEY": key}, SupabaseSource.ENVIRONMENT
    return {}, SupabaseSource.NONE


def supabase_env(store: SecretStore | None, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """{"SUPABASE_URL": ..., "SUPABASE_KEY": ...} or {} (see `supabase_env_with_source`)."""
    return supabase_env_with_source(store, environ)[0]


def describe_supabase_source(source: SupabaseSource) -> str:
    """A sentence for the daemon's start-up line."""
    return {
        SupabaseSource.KEYRING: "Supabase keys: from the keyring.",
        SupabaseSource.SESSION: "Supabase keys: kept for this session only.",
        SupabaseSource.ENVIRONMENT: "Supabase keys: from the SUPABASE_URL / SUPABASE_KEY environment variables.",
        SupabaseSource.NONE: "Supabase keys: not set (jobs will not receive SUPABASE_URL / SUPABASE_KEY).",
    }[source]
