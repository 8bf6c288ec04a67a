"""Fake IAM admin API (gRPC `google.iam.admin.v1.IAM`) on 127.0.0.1: service accounts get/create/delete.

The IAM admin client library has only a gRPC transport, so this fake is gRPC: requests are parsed with the
library's own proto types (an unknown or mistyped field cannot parse), the caller's token is checked first
(google_auth.BearerCheck), and Google's rules for account ids apply (cloud_rules.SERVICE_ACCOUNT_ID).
Failures injected with FakeCloud.fail_once["iam.<Method>"] = HTTP code.
"""

from __future__ import annotations

from concurrent import futures
from typing import TYPE_CHECKING, Any

import grpc

from tests.integration.fakes import cloud_rules
from tests.integration.fakes.google_auth import BearerCheck

if TYPE_CHECKING:
    from tests.integration.fakes.cloud_server import FakeCloud

SERVICE = "google.iam.admin.v1.IAM"
_CODES = {403: grpc.StatusCode.PERMISSION_DENIED, 404: grpc.StatusCode.NOT_FOUND, 409: grpc.StatusCode.ALREADY_EXISTS,
          500: grpc.StatusCode.INTERNAL, 503: grpc.StatusCode.UNAVAILABLE, 400: grpc.StatusCode.INVALID_ARGUMENT}


class FakeIam:
    def __init__(self, fake: FakeCloud) -> None:
        from google.cloud import iam_admin_v1
        from google.protobuf import empty_pb2

        self.fake = fake
        self.auth = BearerCheck(service="iam.googleapis.com")
        self.accounts: dict[str, Any] = {}  # email -> iam_admin_v1.ServiceAccount
        self.calls: list[str] = []
        t = iam_admin_v1
        methods = {
            "GetServiceAccount": (t.GetServiceAccountRequest, t.ServiceAccount, self._get),
            "CreateServiceAccount": (t.CreateServiceAccountRequest, t.ServiceAccount, self._create),
            "DeleteServiceAccount": (t.DeleteServiceAccountRequest, None, self._delete),
        }
        self.policies: dict[str, Any] = {}  # email -> cloud_server.Policy (who may act as the account)
        handlers = {}
        for name, (req_type, reply_type, fn) in methods.items():
            handlers[name] = grpc.unary_unary_rpc_method_handler(
                self._wrap(name, fn), request_deserializer=req_type.deserialize,
                response_serializer=(reply_type.serialize if reply_type is not None
                                     else empty_pb2.Empty.SerializeToString))
        from google.iam.v1 import iam_policy_pb2, policy_pb2

        for name, req_pb, fn in (("GetIamPolicy", iam_policy_pb2.GetIamPolicyRequest, self._get_policy),
                                 ("SetIamPolicy", iam_policy_pb2.SetIamPolicyRequest, self._set_policy)):
            handlers[name] = grpc.unary_unary_rpc_method_handler(
                self._wrap(name, fn), request_deserializer=req_pb.FromString,
                response_serializer=policy_pb2.Policy.SerializeToString)
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self._server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self._empty = empty_pb2.Empty

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop(0)

    def add(self, account_id: str, project: str, description: str = "") -> None:
        """An account that exists before the test (someone else's)."""
        from google.cloud import iam_admin_v1

        email = f"{account_id}@{project}.iam.gserviceaccount.com"
        self.accounts[email] = iam_admin_v1.ServiceAccount(
            name=f"projects/{project}/serviceAccounts/{email}", project_id=project, email=email,
            unique_id="1" + str(abs(hash(email)))[:20], description=description)

    def _wrap(self, name: str, fn: Any) -> Any:
        def handle(request: Any, context: grpc.ServicerContext) -> Any:
            self.auth.grpc_check(context)
            self.calls.append(name)
            if "iam.googleapis.com" not in self.fake.project.enabled:
                context.abort(grpc.StatusCode.PERMISSION_DENIED, "Identity and Access Management (IAM) API has not "
                              "been used in project before or it is disabled (SERVICE_DISABLED).")
            with self.fake.lock:
                code = self.fake.fail_once.pop(f"iam.{name}", None)
                if code is not None:
                    context.abort(_CODES.get(code, grpc.StatusCode.UNKNOWN), f"Injected failure of {name}.")
                return fn(request, context)
        return handle

    def _project_ok(self, project: str, context: grpc.ServicerContext) -> None:
        if project not in (self.fake.project.project_id, self.fake.project.number, "-"):
            context.abort(grpc.StatusCode.PERMISSION_DENIED, f"Permission 'iam.serviceAccounts.get' denied on "
                          f"resource (or it may not exist): project {project}.")

    def _email(self, name: str, context: grpc.ServicerContext) -> str:
        parts = name.split("/")
        if len(parts) != 4 or parts[0] != "projects" or parts[2] != "serviceAccounts":
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"Invalid service account name {name}: expected "
                          "projects/{PROJECT_ID}/serviceAccounts/{EMAIL_OR_UNIQUE_ID}.")
        self._project_ok(parts[1], context)
        return parts[3]

    def _get(self, request: Any, context: grpc.ServicerContext) -> Any:
        email = self._email(request.name, context)
        if email not in self.accounts:
            context.abort(grpc.StatusCode.NOT_FOUND, f"Unknown service account {email}.")
        return self.accounts[email]

    def _create(self, request: Any, context: grpc.ServicerContext) -> Any:
        from google.cloud import iam_admin_v1

        project = request.name.removeprefix("projects/")
        if not request.name.startswith("projects/") or "/" in project:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "name must be projects/{PROJECT_ID}.")
        self._project_ok(project, context)
        account_id = request.account_id
        if not (6 <= len(account_id) <= 30 and cloud_rules.SERVICE_ACCOUNT_ID.match(account_id)):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "account_id must be 6-30 characters matching "
                          "[a-z]([-a-z0-9]*[a-z0-9]).")
        email = f"{account_id}@{self.fake.project.project_id}.iam.gserviceaccount.com"
        if email in self.accounts:
            context.abort(grpc.StatusCode.ALREADY_EXISTS, f"Service account {account_id} already exists within "
                          "project.")
        sent = request.service_account
        if len(sent.display_name) > 100 or len(sent.description) > 256:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "display_name is at most 100 characters, description 256.")
        self.accounts[email] = iam_admin_v1.ServiceAccount(
            name=f"projects/{self.fake.project.project_id}/serviceAccounts/{email}",
            project_id=self.fake.project.project_id, email=email, unique_id=str(10**20 + len(self.accounts)),
            display_name=sent.display_name, description=sent.description, etag=b"BwY=")
        self.fake.wrote("iam.CreateServiceAccount")
        return self.accounts[email]

    def _delete(self, request: Any, context: grpc.ServicerContext) -> Any:
        email = self._email(request.name, context)
        if email not in self.accounts:
            context.abort(grpc.StatusCode.NOT_FOUND, f"Unknown service account {email}.")
        del self.accounts[email]
        self.fake.wrote("iam.DeleteServiceAccount")
        return self._empty()

    def _policy(self, resource: str, context: grpc.ServicerContext) -> Any:
        from tests.integration.fakes.cloud_server import Policy

        email = self._email(resource, context)
        if email not in self.accounts:
            context.abort(grpc.StatusCode.NOT_FOUND, f"Unknown service account {email}.")
        return self.policies.setdefault(email, Policy())

    @staticmethod
    def _as_pb(policy: Any) -> Any:
        import base64

        from google.iam.v1 import policy_pb2

        pb = policy_pb2.Policy(version=1, etag=base64.b64decode(policy.etag))
        for role, members in sorted(policy.bindings.items()):
            if members:
                pb.bindings.add(role=role, members=members)
        return pb

    def _get_policy(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._as_pb(self._policy(request.resource, context))

    def _set_policy(self, request: Any, context: grpc.ServicerContext) -> Any:
        import base64

        policy = self._policy(request.resource, context)
        sent = request.policy
        body = {"policy": {"etag": base64.b64encode(sent.etag).decode() if sent.etag else "",
                           "bindings": [{"role": b.role, "members": list(b.members)} for b in sent.bindings]}}
        refused = policy.write(body)
        if refused is not None:
            context.abort(grpc.StatusCode.ABORTED, refused[1]["error"]["message"])
        self.fake.wrote("iam.SetIamPolicy")
        return self._as_pb(policy)
