"""Supabase checks: count the results table's rows (Test connection) and the rows-written run hook.

Uses the real supabase client with its retries off and a 5 s httpx timeout, so an unreachable
server is reported in about 5 s. Neither the URL nor the key ever appears in a message or log line.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

from core.errors import ConfigError, Message, T4Error, msg

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0


class SupabaseProblem(str, enum.Enum):
    WRONG_KEY = "wrong_key"
    NO_TABLE = "no_table"
    UNREACHABLE = "unreachable"
    BAD_URL = "bad_url"
    OTHER = "other"


class SupabaseError(T4Error):
    """Supabase could not be read. `problem` says why (for tests and the GUI)."""

    title_msg = Message("supabase.title", "Supabase connection failed")

    def __init__(self, message: str | Message, problem: SupabaseProblem) -> None:
        super().__init__(message)
        self.problem = problem


_BAD_URL = Message("supabase.bad_url",
                   "The Supabase URL is not valid: it should look like https://<project>.supabase.co.")


def _split_table(table: str) -> tuple[str | None, str]:
    schema, _, name = table.rpartition(".")
    return (schema or None), name


def count_rows(url: str, key: str, table: str, timeout: float = DEFAULT_TIMEOUT) -> int:
    """The number of rows in `table` (from PostgREST's Content-Range), in at most about `timeout` s.

    Raises:
        SupabaseError: wrong key, no such table, unreachable, bad URL or another answer.
        ConfigError: no table given.
    """
    if not table:
        raise ConfigError(msg("supabase.no_table_name",
                              "Enter the results table (the table your job writes) in Settings, then test again."))
    if not url or not key:
        raise ConfigError(msg("supabase.no_keys", "Enter the Supabase URL and key in Settings first."))
    for name in ("httpx", "httpcore", "hpack"):  # they log request URLs (a secret here) at INFO/DEBUG
        if logging.getLogger(name).getEffectiveLevel() < logging.WARNING:
            logging.getLogger(name).setLevel(logging.WARNING)
    import httpx
    from postgrest.exceptions import APIError
    from postgrest.types import CountMethod
    from supabase import ClientOptions, SupabaseException, create_client

    statuses: list[int] = []  # the client's APIError drops the HTTP status; an httpx hook keeps it
    http = httpx.Client(timeout=httpx.Timeout(timeout),
                        event_hooks={"response": [lambda r: statuses.append(r.status_code)]})
    try:
        try:
            client = create_client(url.strip(), key.strip(),
                                   options=ClientOptions(postgrest_client_retry=False, httpx_client=http))
        except SupabaseException as exc:
            raise SupabaseError(_BAD_URL, SupabaseProblem.BAD_URL) from exc
        schema, name = _split_table(table)
        rest = client.schema(schema) if schema else client.postgrest
        try:
            response = rest.from_(name).select("*", count=CountMethod.exact).limit(1).execute()
        except APIError as exc:
            raise _from_api_error(exc, statuses[-1] if statuses else None, table) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise SupabaseError(_BAD_URL, SupabaseProblem.BAD_URL) from exc
        except httpx.TimeoutException as exc:
            raise SupabaseError(msg("supabase.timeout", "Supabase did not answer within {seconds} seconds. Check the "
                                    "internet connection and the URL, then test again.", seconds=f"{timeout:g}"),
                                SupabaseProblem.UNREACHABLE) from exc
        except httpx.TransportError as exc:
            raise SupabaseError(msg("supabase.unreachable", "Could not reach Supabase at the saved URL. Check the URL "
                                    "and the internet connection, then test again."),
                                SupabaseProblem.UNREACHABLE) from exc
    finally:
        http.close()
    if response.count is None:
        raise SupabaseError(msg("supabase.no_count", "Supabase answered but did not report a row count. Check that "
                                "the URL is your project's URL."), SupabaseProblem.OTHER)
    return int(response.count)


def _from_api_error(exc: Any, status: int | None, table: str) -> SupabaseError:
    code = str(exc.code or "")
    if code in ("PGRST205", "42P01"):
        return SupabaseError(msg("supabase.no_such_table", 'Supabase has no table named "{table}". Check the results '
                                 "table name in Settings (and that the table is in an exposed schema).", table=table),
                             SupabaseProblem.NO_TABLE)
    if status in (401, 403) or code in ("PGRST301", "PGRST302", "42501", "401", "403"):
        return SupabaseError(msg("supabase.wrong_key", "Supabase refused the key. Copy the project's API key again "
                                 "(Project Settings > API) and save it."), SupabaseProblem.WRONG_KEY)
    if status == 404:
        return SupabaseError(msg("supabase.not_api", "The URL does not look like a Supabase project's API. Use the "
                                 "project URL shown in Project Settings > API."), SupabaseProblem.BAD_URL)
    return SupabaseError(msg("supabase.other", "Supabase answered with an error (HTTP {status}, {code}). Try again "
                             "later.", status=status or "?", code=code or "no code"), SupabaseProblem.OTHER)


def test_connection(url: str, key: str, table: str, timeout: float = DEFAULT_TIMEOUT) -> Message:
    """A sentence for the operator such as "Connected: predictions has 1,234 rows." (raises like count_rows)."""
    n = count_rows(url, key, table, timeout)
    if n == 1:
        return msg("supabase.connected.one", "Connected: {table} has 1 row.", table=table)
    return msg("supabase.connected", "Connected: {table} has {count} rows.", table=table, count=f"{n:,}")


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def _safe(exc: BaseException) -> str:
    """Our own sentences carry no secret; another library's message might echo the URL."""
    return exc.message if isinstance(exc, T4Error) else type(exc).__name__


class RowsWrittenHook:
    """Counts the results table before and after a run, so history can say "rows written: +N".

    The controller calls `before_launch` and `after_end` (off the UI thread) and merges the returned dict
    into `run.detail`. Neither ever raises: a failed count is logged and gives {}.

    Args:
        store: the app's SecretStore (or None: environment only).
        environ: where a headless daemon finds SUPABASE_URL / SUPABASE_KEY.
        counter: count_rows, replaceable in tests of the controller.
    """

    def __init__(self, store: Any = None, environ: Mapping[str, str] | None = None,
                 counter: Callable[[str, str, str], int] = count_rows) -> None:
        self.store = store
        self.environ = os.environ if environ is None else environ
        self.counter = counter

    def _count(self, cfg: Any) -> int | None:
        table = getattr(getattr(cfg, "supabase", None), "results_table", "")
        if not table:
            return None
        from core.store.secrets import supabase_env

        env = supabase_env(self.store, self.environ)
        if not env:
            return None
        return self.counter(env["SUPABASE_URL"], env["SUPABASE_KEY"], table)

    def before_launch(self, run: Any, cfg: Any) -> dict[str, Any]:
        """{"rows_before": N}, or {} when no table or keys are configured or the count failed."""
        try:
            n = self._count(cfg)
        except Exception as exc:  # noqa: BLE001 - never block a launch on this check
            log.warning("rows check before run %s failed: %s", getattr(run, "id", "?"), _safe(exc))
            return {}
        return {} if n is None else {"rows_before": n}

    def after_end(self, run: Any, cfg: Any) -> dict[str, Any]:
        """{"rows_after", "rows_written"} and, for a SUCCEEDED run that wrote nothing, "rows_warning"."""
        try:
            before = (getattr(run, "detail", None) or {}).get("rows_before")
            if before is None:
                return {}
            after = self._count(cfg)
            if after is None:
                return {}
            out: dict[str, Any] = {"rows_after": after, "rows_written": after - before}
            state = getattr(getattr(run, "state", None), "value", getattr(run, "state", None))
            if state == "SUCCEEDED" and after - before == 0:
                warning = msg("supabase.no_rows", "The run succeeded but wrote no rows to {table}.",
                              table=cfg.supabase.results_table)
                out["rows_warning"], out["rows_warning_msg"] = warning.text, warning.to_json()
            return out
        except Exception as exc:  # noqa: BLE001 - a hook never raises
            log.warning("rows check after run %s failed: %s", getattr(run, "id", "?"), _safe(exc))
            return {}
