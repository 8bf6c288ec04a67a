"""The setup check's Google items: APIs enabled, T4 quota, image present and pullable, run permissions.

Each asks the real API through core.google.setup_apis and turns the answer, or Google's refusal, into a
CheckItem with the fix. A refusal to *check* (no permission to read quotas, say) is a warning: the
operator learns the item was not verified, not that it is broken.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from core.app.check_items import PULL_ROLES, REQUIRED_APIS, RUN_PERMISSIONS, CheckItem, Status
from core.errors import AuthError, Message, msg
from core.google import setup_apis
from core.store.config import JobConfig

F = TypeVar("F", bound=Callable[..., CheckItem])


def signed_in_credentials() -> Any:
    """The operator's credentials, or AuthError (the check cannot run: exit 2)."""
    from core.google import endpoints

    return endpoints.google_credentials()


def _google_errors(item_id: str, title: Message) -> Callable[[F], F]:
    """Word Google's refusals: a revoked sign-in stops the check; anything else is this item's warning."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> CheckItem:
            from google.api_core import exceptions as api_exc
            from google.auth import exceptions as auth_exc

            try:
                return fn(*args, **kwargs)
            except auth_exc.RefreshError as exc:
                raise AuthError(msg("check.signed_out", "Google refused the saved sign-in. Sign in with Google "
                                    "again, then check again.")) from exc
            except (api_exc.Unauthenticated, api_exc.Unauthorized) as exc:
                raise AuthError(msg("check.signed_out", "Google refused the saved sign-in. Sign in with Google "
                                    "again, then check again.")) from exc
            except (api_exc.PermissionDenied, api_exc.Forbidden) as exc:  # gRPC's name, REST's name for 403
                return CheckItem(item_id, Status.WARN, title,
                                 msg("check.cannot_read", "Google did not let you read this ({reason}), so it was "
                                     "not checked.", reason=_google_said(exc)),
                                 msg("check.cannot_read.fix", "Ask the project's owner for the Viewer role, or check "
                                     "this item in the Google Cloud console."))
            except (api_exc.GoogleAPICallError, api_exc.RetryError, OSError) as exc:
                return CheckItem(item_id, Status.WARN, title,
                                 msg("check.unreachable", "Google did not answer this check ({reason}).",
                                     reason=type(exc).__name__),
                                 msg("check.unreachable.fix", "Check the internet connection and run the check again."))

        return inner  # type: ignore[return-value]

    return wrap


def _google_said(exc: Any) -> str:
    """Google's own sentence, without the "POST https://host/path?query: " that the REST transport puts first."""
    text = str(getattr(exc, "message", "") or "")
    return re.sub(r"^(GET|POST|PUT|PATCH|DELETE) \S+: ", "", text) or "permission denied"


_APIS = msg("check.apis.title", "Google APIs enabled")


@_google_errors("apis", _APIS)
def check_apis(job: JobConfig, creds: Any) -> CheckItem:
    off = setup_apis.disabled_services(job.project_id, REQUIRED_APIS, creds)
    if off:
        return CheckItem("apis", Status.FAIL, _APIS,
                         msg("check.apis.off", "Not enabled in project {project}: {apis}.", project=job.project_id,
                             apis=", ".join(off)),
                         msg("check.apis.off.fix", "Enable them at https://console.cloud.google.com/apis/library"
                             "/{api}?project={project} (one page per API), then check again.", api=off[0],
                             project=job.project_id))
    return CheckItem("apis", Status.PASS, _APIS, msg("check.apis.ok", "Vertex AI, Cloud Logging and Cloud Storage "
                                                     "are enabled."))


_QUOTA = msg("check.quota.title", "T4 GPU quota")


@_google_errors("quota", _QUOTA)
def check_quota(job: JobConfig, creds: Any) -> CheckItem:
    if job.accelerator_count == 0:  # a CPU-only job (the Cost page's advice applied) needs no T4 quota
        return CheckItem("quota", Status.PASS, _QUOTA, msg("check.quota.no_gpu", "This job runs without a GPU, so "
                                                           "it needs no T4 quota."))
    need = max(1, job.accelerator_count)
    metric, value = _t4_quota(job, job.region, job.spot, creds)
    if value is None or value < need:
        return CheckItem("quota", Status.FAIL, _QUOTA,
                         msg("check.quota.low", "The quota {metric} in {region} is {value}; this job needs {need}.",
                             metric=metric, region=job.region, value=0 if value is None else value, need=need),
                         msg("check.quota.low.fix", "Ask for at least {need} at https://console.cloud.google.com/iam-"
                             "admin/quotas?project={project} (filter by the quota's name and region {region}).",
                             need=need, project=job.project_id, region=job.region))
    return CheckItem("quota", Status.PASS, _QUOTA, msg("check.quota.ok", "{value} T4 GPUs allowed in {region} "
                                                       "({metric}).", value=value, region=job.region, metric=metric))


def _t4_quota(job: JobConfig, region: str, spot: bool, creds: Any) -> tuple[str, int | None]:
    """The T4 quota that applies to the job in `region` (Spot has its own) and its value there, None if unset."""
    metric = setup_apis.T4_SPOT_QUOTA_METRIC if spot else setup_apis.T4_QUOTA_METRIC
    return metric, setup_apis.regional_quota(job.project_id, metric, region, creds)


_IMAGE = msg("check.image.title", "Container image")


@_google_errors("image", _IMAGE)
def check_image(job: JobConfig, creds: Any) -> CheckItem:
    ref = setup_apis.parse_image(job.image_uri)
    if ref is None:
        return CheckItem("image", Status.WARN, _IMAGE, msg("check.image.elsewhere", "The image is not in Artifact "
                                                           "Registry, so T4 Panel cannot check it."))
    if not setup_apis.image_exists(ref, creds):
        return CheckItem("image", Status.FAIL, _IMAGE,
                         msg("check.image.missing", "The image {image} is not in Artifact Registry.",
                             image=job.image_uri),
                         msg("check.image.missing.fix", "Push the image (docker push {image}) or correct the image "
                             "address on the Job page.", image=job.image_uri))
    return CheckItem("image", Status.PASS, _IMAGE, msg("check.image.ok", "The image {image} exists.",
                                                       image=job.image_uri))


_PULL = msg("check.pull.title", "Job can pull the image")


@_google_errors("pull", _PULL)
def check_pull(job: JobConfig, creds: Any) -> CheckItem:
    ref = setup_apis.parse_image(job.image_uri)
    if ref is None:
        return CheckItem("pull", Status.WARN, _PULL, msg("check.image.elsewhere", "The image is not in Artifact "
                                                         "Registry, so T4 Panel cannot check it."))
    if not job.service_account and ref.project == job.project_id:
        return CheckItem("pull", Status.PASS, _PULL, msg("check.pull.agent", "The job runs as Vertex AI's own "
                                                         "service agent, which reads images of its project."))
    if job.service_account:
        who = job.service_account
    else:
        number = setup_apis.project_number(job.project_id, creds)
        who = f"service-{number}@gcp-sa-aiplatform-cc.iam.gserviceaccount.com"
    member = f"serviceAccount:{who}"
    from google.api_core import exceptions as api_exc

    try:
        roles = setup_apis.repository_policy_roles(ref, member, creds)
    except api_exc.NotFound:  # the image line already says what to push; nothing to pull from yet
        return CheckItem("pull", Status.WARN, _PULL, msg("check.pull.no_repo", "The repository {repository} does not "
                                                         "exist, so who may pull from it was not checked.",
                                                         repository=ref.repository_name))
    if not roles & PULL_ROLES:
        roles |= setup_apis.project_policy_roles(ref.project, member, creds)
    if roles & PULL_ROLES:
        return CheckItem("pull", Status.PASS, _PULL, msg("check.pull.ok", "{account} may pull from {repository}.",
                                                         account=who, repository=ref.repository))
    return CheckItem("pull", Status.FAIL, _PULL,
                     msg("check.pull.denied", "{account} may not pull images from the repository {repository}.",
                         account=who, repository=ref.repository),
                     msg("check.pull.denied.fix", "Give {account} the Artifact Registry Reader role "
                         "(roles/artifactregistry.reader) on the repository {repository} in project {project}.",
                         account=who, repository=ref.repository, project=ref.project))


_PERMS = msg("check.permissions.title", "Your permissions")


@_google_errors("permissions", _PERMS)
def check_permissions(job: JobConfig, creds: Any) -> CheckItem:
    missing = setup_apis.missing_project_permissions(job.project_id, RUN_PERMISSIONS, creds)
    if missing:
        return CheckItem("permissions", Status.FAIL, _PERMS,
                         msg("check.permissions.missing", "You lack these permissions in {project}: {permissions}.",
                             project=job.project_id, permissions=", ".join(missing)),
                         msg("check.permissions.missing.fix", "Ask the project's owner for the Vertex AI User, Logs "
                             "Viewer and Storage Object Creator roles (IAM page of project {project}).",
                             project=job.project_id))
    return CheckItem("permissions", Status.PASS, _PERMS, msg("check.permissions.ok", "You hold every permission a "
                                                             "run needs."))


_FALLBACKS = msg("check.fallbacks.title", "Fallback quota")


@_google_errors("fallbacks", _FALLBACKS)
def check_fallbacks(job: JobConfig, creds: Any) -> CheckItem:
    """Each fallback (another region; on demand after Spot) has the T4 quota the job needs, or it cannot help."""
    from core.backends.placement import regions_of

    need = max(1, job.accelerator_count)
    places = [(r, job.spot) for r in regions_of(job)[1:]]
    if job.spot and job.on_demand_fallback:
        places += [(r, False) for r in regions_of(job)]
    short = []
    for region, spot in places:
        metric, value = _t4_quota(job, region, spot, creds)
        if value is None or value < need:
            short.append(f"{region} ({metric.rsplit('/', 1)[-1]} = {value or 0})")
    if short:
        return CheckItem("fallbacks", Status.WARN, _FALLBACKS,
                         msg("check.fallbacks.short", "These fallbacks have less T4 quota than the job needs ({need}), "
                             "so they would not help: {places}.", need=need, places=", ".join(short)),
                         msg("check.fallbacks.short.fix", "Ask for quota there at https://console.cloud.google.com/"
                             "iam-admin/quotas?project={project}, or remove them from the fallbacks on the Job page.",
                             project=job.project_id))
    return CheckItem("fallbacks", Status.PASS, _FALLBACKS,
                     msg("check.fallbacks.ok", "Every fallback has T4 quota for this job ({count} checked).",
                         count=len(places)))
