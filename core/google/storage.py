"""Occurrence claims in Cloud Storage: one scheduled occurrence, one launcher, across every computer.

A claim is the object `t4panel/<profile>/occurrences/<occurrence label>` in bucket `<project>-t4panel`,
created with `ifGenerationMatch=0`: Google lets exactly one such create succeed and answers 412 to every
other, which a label look-up on Vertex AI (list, then create) can never promise. The body says who holds
it (host, pid, T4PANEL_HOME id), since when, and for which run id, so a loser adopts the winner's job. A
stale claim is taken over with `ifGenerationMatch=<the generation read>`, so two take-overs cannot both
win either. `google.cloud.storage` is imported on first use; `STORAGE_EMULATOR_HOST` (loopback only)
points it at a test server, which gets the operator's credentials as Google would.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core import paths
from core.errors import BackendError, Message, T4Error, TransientBackendError, msg
from core.google import endpoints, hosts

log = logging.getLogger(__name__)

EMULATOR_ENV = "STORAGE_EMULATOR_HOST"
BUCKET_SUFFIX = "-t4panel"


@dataclass(frozen=True)
class Claim:
    """Who holds an occurrence: what the claim object says, plus its generation (for a take-over)."""

    run_id: str
    host: str
    pid: int
    home_id: str
    claimed_at: datetime
    generation: int

    def age_seconds(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.claimed_at).total_seconds()

    def holder(self) -> str:
        return f"{self.host} (process {self.pid})"


@dataclass(frozen=True)
class ClaimResult:
    """won: this run holds the occurrence. claim: the holder's claim (ours when won).
    notice: a sentence for the operator, once (the bucket was just created)."""

    won: bool
    claim: Claim
    notice: str | None = None


def bucket_name(project: str) -> str:
    return f"{project}{BUCKET_SUFFIX}"


def object_name(profile: str, occurrence_label: str) -> str:
    return f"t4panel/{profile}/occurrences/{occurrence_label}"


def home_id() -> str:
    """A random id for this T4PANEL_HOME, kept in its data folder: tells two computers' claims apart."""
    path = paths.data_dir() / "home-id"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    paths.ensure_private_dir(path.parent)
    new = uuid.uuid4().hex
    try:
        with open(path, "x", encoding="utf-8") as fh:  # "x": two first starts at once keep one id
            fh.write(new)
        return new
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()


class OccurrenceClaims:
    """Claims of one profile's occurrences in one project's bucket.

    Args:
        project: the Google project (the bucket is `<project>-t4panel`).
        region: the job's region, where the bucket is created when it is missing.
        profile: the T4 Panel profile (part of the object name).
        client_factory: project -> google.cloud.storage.Client (default: `storage_client`, with the
            operator's credentials, at Google or a loopback STORAGE_EMULATOR_HOST).
        timeout: seconds one Cloud Storage call may take.
    """

    def __init__(self, project: str, region: str, profile: str, *, client_factory: Any = None,
                 timeout: float = 20.0) -> None:
        self.project, self.region, self.profile = project, region, profile
        self.timeout = timeout
        self._client_factory = client_factory or storage_client
        self._client: Any = None
        self._lock = threading.Lock()

    def claim(self, occurrence_label: str, run_id: str) -> ClaimResult:
        """Create the claim for `run_id` unless someone holds it (then their claim is returned).

        Raises:
            BackendError: Cloud Storage refused (permissions, API off): the message says what to fix.
            TransientBackendError: Cloud Storage could not be reached; nobody can tell who holds it.
        """
        return self._write(occurrence_label, run_id, 0)

    def take_over(self, occurrence_label: str, run_id: str, stale: Claim) -> ClaimResult:
        """Replace a stale claim, only if it is still the one read (its generation): one taker wins."""
        log.warning("taking over the claim of %s held by %s since %s", occurrence_label, stale.holder(),
                    stale.claimed_at.isoformat())
        return self._write(occurrence_label, run_id, stale.generation)

    def first_to(self, duty: str, occurrence_label: str, run_id: str) -> bool:
        """Whether this caller is the first to do `duty` (e.g. "webhook") for the occurrence: the object
        `t4panel/<profile>/<duty>/<occurrence label>` created only if absent, so one caller in all answers True.

        Raises:
            BackendError / TransientBackendError: as `claim`.
        """
        from google.api_core import exceptions as gexc

        body = json.dumps({"run_id": run_id, "host": socket.gethostname(), "pid": os.getpid(),
                           "at": datetime.now(UTC).isoformat()}, sort_keys=True)
        blob = self._bucket().blob(f"t4panel/{self.profile}/{duty}/{occurrence_label}")
        try:
            self._call(blob.upload_from_string, body, content_type="application/json", if_generation_match=0,
                       timeout=self.timeout)
        except gexc.PreconditionFailed:
            return False
        return True

    def read(self, occurrence_label: str) -> Claim | None:
        """The current claim, or None when there is none."""
        from google.api_core import exceptions as gexc

        blob = self._bucket().blob(object_name(self.profile, occurrence_label))
        try:
            data = self._call(blob.download_as_bytes, timeout=self.timeout)
        except gexc.NotFound:
            return None
        return _parse(data, int(blob.generation or 0))

    # ------------------------------------------------------------ inside

    def _write(self, occurrence_label: str, run_id: str, generation: int) -> ClaimResult:
        from google.api_core import exceptions as gexc

        body = json.dumps({"run_id": run_id, "host": socket.gethostname(), "pid": os.getpid(),
                           "home_id": home_id(), "claimed_at": datetime.now(UTC).isoformat(),
                           "profile": self.profile, "occurrence": occurrence_label}, sort_keys=True)
        notice = None
        for _ in range(2):  # a second pass only after creating the missing bucket
            blob = self._bucket().blob(object_name(self.profile, occurrence_label))
            try:
                self._call(blob.upload_from_string, body, content_type="application/json",
                           if_generation_match=generation, timeout=self.timeout)
            except gexc.PreconditionFailed:
                holder = self.read(occurrence_label)
                if holder is None:  # released between the two calls: try again from the start
                    return self._write(occurrence_label, run_id, 0)
                # our own earlier attempt (a retried upload whose first reply was lost) counts as ours
                return ClaimResult(won=holder.run_id == run_id, claim=holder, notice=notice)
            except gexc.NotFound:
                notice = self._create_bucket()
                continue
            return ClaimResult(won=True, claim=_parse(body.encode(), int(blob.generation or 0)), notice=notice)
        raise BackendError(msg("claim.no_bucket", "T4 Panel could not create its bucket {bucket} in Cloud Storage.",
                               bucket=bucket_name(self.project)))

    def _create_bucket(self) -> str | None:
        """Create `<project>-t4panel` (job's region, uniform access, no public access, label t4panel)."""
        from google.api_core import exceptions as gexc

        client = self._storage()
        bucket = client.bucket(bucket_name(self.project))
        bucket.iam_configuration.uniform_bucket_level_access_enabled = True
        bucket.iam_configuration.public_access_prevention = "enforced"
        bucket.labels = {"t4panel": "claims"}
        try:
            self._call(client.create_bucket, bucket, project=self.project, location=self.region,
                       timeout=self.timeout)
        except gexc.Conflict:  # another computer created it a moment ago
            return None
        log.warning("created Cloud Storage bucket %s for occurrence claims", bucket.name)
        return (f"T4 Panel created the Cloud Storage bucket {bucket.name} in {self.region} (private, labelled "
                "t4panel). It records which computer starts each scheduled run, so no run starts twice.")

    def _storage(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._client_factory(self.project)
            return self._client

    def _bucket(self) -> Any:
        return self._storage().bucket(bucket_name(self.project))

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """One client call; its failures become sentences (412 and 404 pass through to the caller)."""
        from google.api_core import exceptions as gexc

        try:
            return fn(*args, **kwargs)
        except (gexc.PreconditionFailed, gexc.NotFound, gexc.Conflict, T4Error):
            raise
        except gexc.Forbidden as exc:
            raise BackendError(msg(
                "claim.forbidden", "The signed-in account may not use Cloud Storage in project {project} (bucket "
                "{bucket}). Grant it Storage Object Admin on that bucket, or Storage Admin on the project, and "
                "enable the Cloud Storage API.", project=self.project, bucket=bucket_name(self.project)),
                title=msg("claim.forbidden.title", "Permission needed")) from exc
        except gexc.Unauthorized as exc:
            raise BackendError(msg("vertex.unauthorized", "Google did not accept the saved sign-in (it expired or was "
                                   "revoked). Sign in again on the Account page."),
                               title=msg("auth.title", "Google sign-in needed")) from exc
        except gexc.GoogleAPICallError as exc:
            code = getattr(exc, "code", None)
            if isinstance(code, int) and (code >= 500 or code == 429):
                raise TransientBackendError(_unreachable(exc)) from exc
            raise BackendError(msg("claim.refused", "Cloud Storage refused the scheduled run's claim: {said}",
                                   said=exc.message)) from exc
        except Exception as exc:  # network trouble (requests, google-auth transport)
            log.warning("Cloud Storage call failed: %s: %s", type(exc).__name__, exc)  # the cause, for the app log
            raise TransientBackendError(_unreachable(exc)) from exc


def _unreachable(exc: BaseException) -> Message:
    return msg("claim.unreachable", "Cloud Storage could not be reached just now ({error}), so T4 Panel cannot tell "
               "whether another computer already started this scheduled run. Check the internet connection.",
               error=type(exc).__name__)


def _parse(data: bytes, generation: int) -> Claim:
    try:
        d = json.loads(data)
        return Claim(run_id=str(d["run_id"]), host=str(d.get("host", "?")), pid=int(d.get("pid", 0)),
                     home_id=str(d.get("home_id", "")), claimed_at=datetime.fromisoformat(d["claimed_at"]),
                     generation=generation)
    except (ValueError, KeyError, TypeError) as exc:  # not ours, or damaged: treat it as an old, stale claim
        log.warning("unreadable occurrence claim (%s); treating it as stale", exc)
        return Claim(run_id="", host="?", pid=0, home_id="", claimed_at=datetime.fromtimestamp(0, UTC),
                     generation=generation)


def storage_client(project: str) -> Any:
    """A google.cloud.storage.Client with the operator's credentials, at Google or a loopback emulator.

    The library treats `STORAGE_EMULATOR_HOST` as "send no credentials" when it is given none, so the
    emulator is passed as `api_endpoint` together with the operator's credentials: a local test server
    sees the same token Google would (core.google.endpoints' rule). Anonymous credentials go only to a
    loopback emulator, and only while T4PANEL_DEV_ANONYMOUS applies.

    Raises:
        T4Error: STORAGE_EMULATOR_HOST names a host that is not this computer.
        AuthError: nobody is signed in, or the sign-in was revoked.
    """
    from google.cloud import storage  # type: ignore[attr-defined]  # the package has no type information

    emulator = os.environ.get(EMULATOR_ENV, "").strip()
    if not emulator:
        return storage.Client(project=project, credentials=endpoints.google_credentials())
    if not hosts.is_loopback(emulator):
        raise T4Error(msg("claim.emulator_not_local", "{name} may only name this computer (127.0.0.1 or "
                          "localhost), not {value}.", name=EMULATOR_ENV, value=emulator),
                      title=msg("claim.emulator_not_local.title", "Test setting not allowed"))
    if "://" not in emulator:  # a bare host:port: a loopback test server speaks plain http
        emulator = f"http://{emulator}"
    if endpoints.dev_anonymous():
        from google.auth.credentials import AnonymousCredentials

        credentials: Any = AnonymousCredentials()
    else:
        credentials = endpoints.google_credentials()
    return storage.Client(project=project, credentials=credentials, client_options={"api_endpoint": emulator})
