"""What the fake cloud APIs (cloud_server.py) do with a request that passed the schema: Google's behaviour
for each method the cloud schedule calls. Runs under FakeCloud.lock."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tests.integration.fakes import cloud_rules
from tests.integration.fakes.cloud_server import Policy, Reply, err, now
from tests.integration.fakes.discovery import Call

if TYPE_CHECKING:
    from tests.integration.fakes.cloud_server import FakeCloud


def _refused(refusal: cloud_rules.Refusal) -> Reply | None:
    return None if refusal is None else err(refusal[0], refusal[2], refusal[1])


class Routes:
    def __init__(self, fake: FakeCloud) -> None:
        self.fake = fake
        self.state = fake.state
        self.project_serial = 1

    def _project_ok(self, name: str) -> Reply | None:
        project = name.split("/")[1] if name.startswith("projects/") else ""
        if project not in (self.fake.project.project_id, self.fake.project.number):
            return err(403, f"Permission denied on resource project {project}.")
        return None

    def wrap(self, original: Any, mine: Any) -> Any:
        """Serve `mine`'s methods on a setup_server.py server, and leave the rest to its own route."""
        def route(verb: str, path: str, query: dict[str, list[str]], body: Any, call: Call) -> Any:
            with self.fake.lock:
                code = self.fake.fail_once.pop(call.method.id, None)
                if code is not None:
                    return err(code, f"Injected failure of {call.method.id}.")
                reply = mine(call, query, body or {})
            return reply if reply is not None else original(verb, path, query, body, call)
        return route

    # ------------------------------------------------------------ Service Usage: enabling APIs

    def serviceusage(self, call: Call, query: dict[str, list[str]], body: dict[str, Any]) -> Reply | None:
        if call.method.id != "serviceusage.services.batchEnable":
            return None
        parent = call.params["parent"]
        if refused := self._project_ok(parent):
            return refused
        ids = body.get("serviceIds", [])
        if not ids or len(ids) > 20:  # "A single request can enable a maximum of 20 services at a time."
            return err(400, "Between 1 and 20 service ids are required.")
        with self.fake.lock:
            self.fake.project.enabled.update(ids)
            self.fake.wrote("serviceusage.batchEnable")
        services = [{"name": f"projects/{self.fake.project.number}/services/{s}", "config": {"name": s},
                     "state": 2 if call.enum_encoding == "int" else "ENABLED"} for s in ids]
        return 200, {"name": f"operations/acat.{uuid.uuid4().hex}", "done": True, "response": {
            "@type": "type.googleapis.com/google.api.serviceusage.v1.BatchEnableServicesResponse",
            "services": services}}, call

    # ------------------------------------------------------------ Resource Manager: the project's IAM policy

    def resourcemanager(self, call: Call, query: dict[str, list[str]], body: dict[str, Any]) -> Reply | None:
        if call.method.id not in ("cloudresourcemanager.projects.getIamPolicy",
                                  "cloudresourcemanager.projects.setIamPolicy"):
            return None
        if refused := self._project_ok(call.params["resource"]):
            return refused
        project = self.fake.project
        policy = Policy(serial=self.project_serial)
        for role, member in project.project_policy:
            policy.bindings.setdefault(role, []).append(member)
        if call.method.id.endswith("setIamPolicy"):
            if refused := policy.write(body):
                return refused
            project.project_policy = [(r, m) for r, ms in sorted(policy.bindings.items()) for m in ms]
            self.project_serial = policy.serial
            self.fake.wrote("resourcemanager.setIamPolicy")
        reply = policy.to_json()
        if call.method.id.endswith("getIamPolicy") and self.fake.policy_races:
            # Someone else writes the policy right after this read: the reader's etag is now stale.
            self.fake.policy_races -= 1
            project.project_policy.append(("roles/viewer", f"user:racer{self.fake.policy_races}@example.com"))
            self.project_serial += 1
        return 200, reply, call

    # ------------------------------------------------------------ Cloud Run v2 jobs

    def run(self, call: Call, query: dict[str, list[str]], body: dict[str, Any]) -> Reply:
        if call.method.id == "run.projects.locations.operations.get":
            op = self.fake.state.operations.get(call.params["name"])
            if op is None:
                return err(404, f"Operation {call.params['name']} not found.")
            op["done"] = True  # finished by the time anyone asks
            return 200, op, call
        mid = call.method.id.rsplit(".", 1)[1]
        name = call.params.get("name") or call.params.get("resource") or ""
        if refused := self._project_ok(name or call.params.get("parent", "")):
            return refused
        jobs = self.state.run_jobs
        if mid == "create":
            job_id = query.get("jobId", [""])[0]
            if not cloud_rules.RUN_JOB_ID.match(job_id):
                return err(400, f"Invalid job id '{job_id}': lower-case letters, digits and hyphens, at most 63.")
            name = f"{call.params['parent']}/jobs/{job_id}"
            if name in jobs:
                return err(409, f"Resource '{job_id}' already exists.")
            if refused := _refused(cloud_rules.run_job(body)):
                return refused
            stamp = now()
            jobs[name] = {**body, "name": name, "uid": str(uuid.uuid4()), "generation": "1", "createTime": stamp,
                          "updateTime": stamp, "etag": _etag(body), "launchStage": body.get("launchStage", 4)}
            self.state.run_policies[name] = Policy()
            self.fake.wrote("run.jobs.create")
            return self._operation(call, jobs[name])
        if name not in jobs:
            return err(404, f"Resource '{name.rsplit('/', 1)[-1]}' of kind 'JOB' in region '{name.split('/')[3]}' "
                       f"in project '{name.split('/')[1]}' does not exist.")
        if mid == "get":
            return 200, jobs[name], call
        if mid == "patch":
            if body.get("etag") and body["etag"] != jobs[name]["etag"]:
                return err(409, "The job was changed since it was read (etag mismatch).", "ABORTED")
            if refused := _refused(cloud_rules.run_job(body)):
                return refused
            old = jobs[name]
            jobs[name] = {**body, "name": name, "uid": old["uid"], "generation": str(int(old["generation"]) + 1),
                          "createTime": old["createTime"], "updateTime": now(), "etag": _etag(body),
                          "launchStage": old["launchStage"]}
            self.fake.wrote("run.jobs.patch")
            return self._operation(call, jobs[name])
        if mid == "delete":
            job = jobs.pop(name)
            self.state.run_policies.pop(name, None)
            self.fake.wrote("run.jobs.delete")
            return self._operation(call, job)
        policy = self.state.run_policies[name]
        if mid == "setIamPolicy":
            if refused := policy.write(body):
                return refused
            self.fake.wrote("run.jobs.setIamPolicy")
        return 200, policy.to_json(), call

    def _operation(self, call: Call, job: dict[str, Any]) -> Reply:
        """The long-running operation of a create, patch or delete. Done at once unless the test set
        `slow_operations`: then the client must poll operations.get, as it does against Google."""
        project, _, region = call.params.get("parent", job["name"]).split("/")[1:4]
        op = {"name": f"projects/{project}/locations/{region}/operations/{uuid.uuid4()}",
              "done": not self.fake.slow_operations,
              "response": {"@type": "type.googleapis.com/google.cloud.run.v2.Job", **job}}
        self.fake.state.operations[op["name"]] = dict(op, done=True)
        if not op["done"]:
            del op["response"]  # a pending operation has no result yet
            op["done"] = False
        return 200, op, call

    # ------------------------------------------------------------ Cloud Scheduler

    def scheduler(self, call: Call, query: dict[str, list[str]], body: dict[str, Any]) -> Reply:
        mid = call.method.id.rsplit(".", 1)[1]
        name = call.params.get("name") or body.get("name", "")
        if refused := self._project_ok(name or call.params.get("parent", "")):
            return refused
        jobs = self.state.scheduler_jobs
        if mid == "create":
            if not name.startswith(call.params["parent"] + "/jobs/"):
                return err(400, f"Job name {name} is not under {call.params['parent']}.")
            if name in jobs:
                return err(409, f"Job {name} already exists.")
            if refused := _refused(cloud_rules.scheduler_job(body)):
                return refused
            jobs[name] = self._scheduled({**body, "name": name}, call)
            self.fake.wrote("scheduler.jobs.create")
            return 200, jobs[name], call
        if name not in jobs:
            return err(404, f"Job not found: {name}.")
        if mid == "get":
            return 200, jobs[name], call
        if mid == "patch":
            mask = query.get("updateMask", [""])[0].split(",")
            merged = dict(jobs[name])
            for path in filter(None, mask):
                key = "".join(w.title() if i else w for i, w in enumerate(path.split("_")))
                merged[key] = body.get(key)
            if refused := _refused(cloud_rules.scheduler_job(merged)):
                return refused
            jobs[name] = self._scheduled(merged, call)
            self.fake.wrote("scheduler.jobs.patch")
            return 200, jobs[name], call
        jobs.pop(name)
        self.fake.wrote("scheduler.jobs.delete")
        return 200, {}, call

    def _scheduled(self, job: dict[str, Any], call: Call) -> dict[str, Any]:
        from apscheduler.triggers.cron import CronTrigger

        zone = ZoneInfo(job.get("timeZone") or "UTC")
        trigger = CronTrigger.from_crontab(_aps_cron(job["schedule"]), timezone=zone)
        fire = trigger.get_next_fire_time(None, datetime.now(zone))
        return {**job, "state": 1 if call.enum_encoding == "int" else "ENABLED", "userUpdateTime": now(),
                "scheduleTime": fire.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")}

    # ------------------------------------------------------------ Secret Manager

    def secretmanager(self, call: Call, query: dict[str, list[str]], body: dict[str, Any]) -> Reply:
        mid = call.method.id.removeprefix("secretmanager.projects.")
        name = call.params.get("name") or call.params.get("resource") or call.params.get("parent", "")
        if refused := self._project_ok(name):
            return refused
        secrets = self.state.secrets
        if mid == "secrets.create":
            secret_id = query.get("secretId", [""])[0]
            if not cloud_rules.SECRET_ID.match(secret_id):
                return err(400, f"Invalid secret id '{secret_id}'.")
            if refused := _refused(cloud_rules.labels(body.get("labels"))):
                return refused
            if "replication" not in body:
                return err(400, "Secret.replication is required.")
            name = f"{name}/secrets/{secret_id}"
            if name in secrets:
                return err(409, f"Secret [{name}] already exists.")
            secrets[name] = {**body, "name": name.replace(self.fake.project.project_id, self.fake.project.number, 1),
                             "createTime": now(), "etag": '"1"'}
            self.fake.wrote("secretmanager.secrets.create")
            return 200, secrets[name], call
        secret = "/".join(name.split("/")[:4])
        if secret not in secrets:
            return err(404, f"Secret [{secret}] not found or has no versions.")
        versions = self.state.versions.setdefault(secret, [])
        if mid == "secrets.get":
            return 200, secrets[secret], call
        if mid == "secrets.delete":
            secrets.pop(secret)
            self.state.versions.pop(secret, None)
            self.state.secret_policies.pop(secret, None)
            self.fake.wrote("secretmanager.secrets.delete")
            return 200, {}, call
        if mid == "secrets.addVersion":
            data = base64.b64decode((body.get("payload") or {}).get("data", ""))
            if len(data) > cloud_rules.SECRET_PAYLOAD_MAX:
                return err(400, "Secret payload too large: at most 65536 bytes.")
            versions.append(data)
            self.fake.wrote("secretmanager.secrets.addVersion")
            return 200, {"name": f"{secrets[secret]['name']}/versions/{len(versions)}", "createTime": now(),
                         "state": 1 if call.enum_encoding == "int" else "ENABLED"}, call
        if mid == "secrets.versions.access":
            which = name.rsplit("/", 1)[1]
            index = len(versions) if which == "latest" else int(which) if which.isdigit() else 0
            if not 1 <= index <= len(versions):
                return err(404, f"Secret Version [{name}] not found.")
            data = versions[index - 1]
            return 200, {"name": f"{secrets[secret]['name']}/versions/{index}",
                         "payload": {"data": base64.b64encode(data).decode()}}, call
        policy = self.state.secret_policies.setdefault(secret, Policy())
        if mid == "secrets.setIamPolicy":
            if refused := policy.write(body):
                return refused
            self.fake.wrote("secretmanager.secrets.setIamPolicy")
        return 200, policy.to_json(), call


def _etag(body: dict[str, Any]) -> str:
    return hashlib.sha256(repr(sorted(body.items())).encode()).hexdigest()[:16]


def _aps_cron(schedule: str) -> str:
    """unix-cron's day of week (0 = Sunday) in APScheduler's terms (0 = Monday)."""
    minute, hour, dom, month, dow = schedule.split()
    if dow != "*":
        names = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
        dow = ",".join(names[int(d)] for d in dow.split(","))
    return f"{minute} {hour} {dom} {month} {dow}"
