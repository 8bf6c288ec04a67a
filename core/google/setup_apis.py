"""Thin read-only calls to the four APIs the setup check asks: Service Usage, Cloud Quotas, Artifact
Registry and Resource Manager. Each returns plain data; Google's errors (google.api_core.exceptions)
pass through for the caller to word. Clients are imported inside the functions (heavy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.google import endpoints

T4_QUOTA_METRIC = "aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus"
T4_SPOT_QUOTA_METRIC = "aiplatform.googleapis.com/custom_model_training_preemptible_nvidia_t4_gpus"


def disabled_services(project: str, services: list[str], credentials: Any = None) -> list[str]:
    """The names in `services` (e.g. "aiplatform.googleapis.com") that are not ENABLED in `project`."""
    from google.cloud import service_usage_v1

    client = endpoints.rest_client(service_usage_v1.ServiceUsageClient, endpoints.SERVICEUSAGE_ENV, credentials)
    reply = client.batch_get_services(request={
        "parent": f"projects/{project}", "names": [f"projects/{project}/services/{s}" for s in services]})
    enabled = {s.config.name or s.name.rpartition("/")[2] for s in reply.services
               if s.state == service_usage_v1.State.ENABLED}
    return [s for s in services if s not in enabled]


def regional_quota(project: str, metric: str, region: str, credentials: Any = None) -> int | None:
    """The quota value of `metric` in `region` (Cloud Quotas QuotaInfo), or None when Google lists none.

    The QuotaInfo is found by its metric, not by a quota id, because the metric is what Vertex AI's own
    quota errors name. A dimension-less entry is the default that applies where no region has its own.
    """
    from google.cloud import cloudquotas_v1

    client = endpoints.rest_client(cloudquotas_v1.CloudQuotasClient, endpoints.QUOTAS_ENV, credentials)
    parent = f"projects/{project}/locations/global/services/{metric.split('/')[0]}"
    for info in client.list_quota_infos(request={"parent": parent}):
        if info.metric != metric:
            continue
        default: int | None = None
        for dim in info.dimensions_infos:
            if dim.dimensions.get("region") == region:
                return int(dim.details.value)
            if not dim.dimensions:
                default = int(dim.details.value)
        return default
    return None


@dataclass(frozen=True)
class ImageRef:
    """An Artifact Registry image: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE[:TAG|@DIGEST]`."""

    location: str
    project: str
    repository: str
    package: str
    tag: str = ""
    digest: str = ""

    @property
    def repository_name(self) -> str:
        return f"projects/{self.project}/locations/{self.location}/repositories/{self.repository}"


def parse_image(uri: str) -> ImageRef | None:
    """The parts of an Artifact Registry image URI; None for other registries (Docker Hub, gcr.io)."""
    host, _, rest = uri.strip().partition("/")
    if not host.endswith("-docker.pkg.dev") or rest.count("/") < 2:
        return None
    project, repository, image = rest.split("/", 2)
    digest = ""
    if "@" in image:
        image, _, digest = image.partition("@")
    tag = ""
    if ":" in image.rpartition("/")[2]:
        image, _, tag = image.rpartition(":")
    tag = tag or ("" if digest else "latest")
    return ImageRef(host.removesuffix("-docker.pkg.dev"), project, repository, image, tag, digest)


def image_exists(ref: ImageRef, credentials: Any = None) -> bool:
    """Whether the tag (or digest) is in the repository. Raises NotFound when the repository is missing."""
    from google.api_core import exceptions as api_exc
    from google.cloud import artifactregistry_v1

    client = endpoints.rest_client(artifactregistry_v1.ArtifactRegistryClient, endpoints.ARTIFACTREGISTRY_ENV,
                                   credentials)
    package = ref.package.replace("/", "%2F")  # a package id holds its slashes escaped
    base = f"{ref.repository_name}/packages/{package}"
    try:
        if ref.digest:
            client.get_version(request={"name": f"{base}/versions/{ref.digest}"})
        else:
            client.get_tag(request={"name": f"{base}/tags/{ref.tag}"})
    except api_exc.NotFound:
        return False
    return True


def repository_policy_roles(ref: ImageRef, member: str, credentials: Any = None) -> set[str]:
    """The roles `member` ("serviceAccount:x@y") holds on the image's repository."""
    from google.cloud import artifactregistry_v1

    client = endpoints.rest_client(artifactregistry_v1.ArtifactRegistryClient, endpoints.ARTIFACTREGISTRY_ENV,
                                   credentials)
    policy = client.get_iam_policy(request={"resource": ref.repository_name})
    return {b.role for b in policy.bindings if member in b.members}


def project_policy_roles(project: str, member: str, credentials: Any = None) -> set[str]:
    """The roles `member` holds on `project` itself (inherited into every repository of it)."""
    from google.cloud import resourcemanager_v3

    client = endpoints.rest_client(resourcemanager_v3.ProjectsClient, endpoints.RESOURCEMANAGER_ENV, credentials)
    policy = client.get_iam_policy(request={"resource": f"projects/{project}"})
    return {b.role for b in policy.bindings if member in b.members}


def project_number(project: str, credentials: Any = None) -> str:
    """The project's number (names the Vertex AI service agent)."""
    from google.cloud import resourcemanager_v3

    client = endpoints.rest_client(resourcemanager_v3.ProjectsClient, endpoints.RESOURCEMANAGER_ENV, credentials)
    return str(client.get_project(request={"name": f"projects/{project}"}).name).rpartition("/")[2]


def missing_project_permissions(project: str, permissions: list[str], credentials: Any = None) -> list[str]:
    """The permissions of `permissions` the signed-in operator does not hold on `project`."""
    from google.cloud import resourcemanager_v3

    client = endpoints.rest_client(resourcemanager_v3.ProjectsClient, endpoints.RESOURCEMANAGER_ENV, credentials)
    reply = client.test_iam_permissions(request={"resource": f"projects/{project}", "permissions": permissions})
    held = set(reply.permissions)
    return [p for p in permissions if p not in held]
