"""Sorting Vertex AI call failures: retry, look up first, or stop and tell the operator what to fix.

REST errors arrive as google.api_core exceptions chosen by HTTP status (429 -> TooManyRequests, ...);
network trouble arrives as requests exceptions, which the library does not wrap.
"""

from __future__ import annotations

import enum
from typing import Any

from core.errors import BackendError, Message, SignInNeeded, msg

T4_QUOTA = "custom_model_training_nvidia_t4_gpus"
SPOT_T4_QUOTA = "custom_model_training_preemptible_nvidia_t4_gpus"
_MAX_SERVER_TEXT = 300


class Failure(enum.Enum):
    """What a failed call means for the caller."""

    TRANSIENT = "transient"  # worth retrying; for a create, the job may or may not exist
    PERMANENT = "permanent"  # retrying will not help; the operator must change something


def classify(exc: BaseException) -> Failure:
    """TRANSIENT for UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, rate limits and network trouble."""
    from google.api_core import exceptions as gexc

    if isinstance(exc, gexc.TooManyRequests):  # RESOURCE_EXHAUSTED: a rate limit, unless a GPU quota
        return Failure.PERMANENT if _gpu_quota_named(exc) else Failure.TRANSIENT
    if isinstance(exc, (gexc.ServiceUnavailable, gexc.GatewayTimeout, gexc.InternalServerError,
                        gexc.DeadlineExceeded, gexc.RetryError)):
        return Failure.TRANSIENT
    if isinstance(exc, gexc.GoogleAPICallError):
        code = getattr(exc, "code", None)
        return Failure.TRANSIENT if isinstance(code, int) and code >= 500 else Failure.PERMANENT
    if _is_network_error(exc):
        return Failure.TRANSIENT
    return Failure.PERMANENT


_CAPACITY_WORDS = ("zone_resource_pool_exhausted", "does not have enough resources", "resources are insufficient",
                   "stockout", "resource_pool_exhausted")


def is_capacity(exc_or_text: BaseException | str) -> bool:
    """True for "no GPU free in this zone/region just now" (a stockout): not the operator's to fix."""
    text = (exc_or_text if isinstance(exc_or_text, str) else server_text(exc_or_text)).lower()
    return any(word in text for word in _CAPACITY_WORDS)


def _is_network_error(exc: BaseException) -> bool:
    import requests
    from google.auth import exceptions as auth_exc

    if isinstance(exc, auth_exc.GoogleAuthError) and not isinstance(exc, auth_exc.TransportError):
        return False  # a refused sign-in does not heal by itself
    return isinstance(exc, (requests.exceptions.RequestException, auth_exc.TransportError, ConnectionError,
                            TimeoutError))


def _gpu_quota_named(exc: BaseException) -> bool:
    text = server_text(exc).lower()
    return "quota" in text and ("nvidia" in text or "gpu" in text or "custom_model_training" in text)


def status_name(exc: BaseException) -> str:
    """The canonical status ("FAILED_PRECONDITION", ...): REST errors carry it only in their body."""
    code = getattr(exc, "grpc_status_code", None)
    if code is not None:
        return str(getattr(code, "name", code))
    try:
        # only google.api_core's HTTP errors have .response; anything else lands in the except below
        return str(exc.response.json()["error"]["status"])  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any odd body just means "no status"; the caller falls back to the code
        return ""


def server_text(exc: BaseException) -> str:
    """The server's own message, shortened (it never holds our env values: they are not echoed)."""
    message = getattr(exc, "message", None) or str(exc)
    message = " ".join(str(message).split())
    return message[:_MAX_SERVER_TEXT]


def operator_error(exc: BaseException, *, project: str, region: str, spot: bool = False,
                   service_account: str = "") -> BackendError:
    """A BackendError whose message says what to fix for a PERMANENT failure."""
    from google.api_core import exceptions as gexc
    from google.auth import exceptions as auth_exc

    said = server_text(exc)
    if isinstance(exc, gexc.TooManyRequests):
        quota = SPOT_T4_QUOTA if spot or "preemptible" in said.lower() else T4_QUOTA
        kind = (msg("vertex.quota.spot_t4", "Spot (preemptible) T4") if quota == SPOT_T4_QUOTA
                else msg("vertex.quota.t4", "T4"))
        return BackendError(
            msg("vertex.quota", "Project {project} has no free Vertex AI {kind} GPU quota in {region} ({quota}). "
                "Request more in the Cloud console under IAM & Admin > Quotas, lower the GPU count, or pick another "
                "region.", project=project, kind=kind, region=region, quota=quota),
            title=msg("vertex.quota.title", "GPU quota exceeded"))
    if isinstance(exc, gexc.Unauthorized) or (isinstance(exc, auth_exc.GoogleAuthError)
                                               and not isinstance(exc, auth_exc.TransportError)):
        return SignInNeeded(msg("vertex.unauthorized", "Google did not accept the saved sign-in (it expired or was "
                                "revoked). Sign in again with Google in Settings."))
    if isinstance(exc, gexc.Forbidden):
        low = said.lower()
        if "has not been used" in low or "is disabled" in low or "service_disabled" in low:
            return BackendError(msg("vertex.api_disabled", "The Vertex AI API is not enabled in project {project}. "
                                    "Enable aiplatform.googleapis.com in the Cloud console (APIs & Services), then "
                                    "try again.", project=project),
                                title=msg("vertex.api_disabled.title", "Vertex AI API not enabled"))
        if service_account and ("actas" in low or "serviceaccounts" in low or service_account.lower() in low):
            return BackendError(msg("vertex.act_as", "The signed-in account may not run jobs as {account}. Grant it "
                                    "the Service Account User role on that service account, or clear Service account "
                                    "on the Job page.", account=service_account), title=_PERMISSION_TITLE)
        return BackendError(msg("vertex.forbidden", "The signed-in account may not create Vertex AI jobs in project "
                                "{project}. Grant it the Vertex AI User role (roles/aiplatform.user). Google said: "
                                "{said}", project=project, said=said), title=_PERMISSION_TITLE)
    if isinstance(exc, gexc.NotFound):
        return BackendError(msg("vertex.not_found", "Vertex AI could not find project {project} in region {region}. "
                                "Check the project id and region on the Job page, and that the Vertex AI API is "
                                "enabled.", project=project, region=region),
                            title=msg("vertex.not_found.title", "Project not found"))
    if isinstance(exc, (gexc.BadRequest, gexc.InvalidArgument, gexc.FailedPrecondition)):
        return BackendError(msg("vertex.rejected", "Vertex AI rejected the job settings: {said} Fix the field it "
                                "names on the Job page (machine type, GPU count, image, service account or region).",
                                said=said), title=msg("vertex.rejected.title", "Job settings rejected"))
    return BackendError(msg("vertex.refused", "Vertex AI refused the request: {said}", said=said))


_PERMISSION_TITLE = Message("vertex.permission.title", "Permission needed")


def transient_message(exc: BaseException, what: Message) -> Message:
    """A sentence for a transient failure of `what` (e.g. "read the job's state")."""
    return msg("vertex.transient", "Could not {what} on Vertex AI just now ({error}); T4 Panel will try again. "
               "Check the internet connection if this goes on.", what=what, error=type(exc).__name__)


def describe(exc: Any) -> str:
    """Short text for the app log."""
    return f"{type(exc).__name__}: {server_text(exc)}"
