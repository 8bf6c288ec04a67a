"""Settings' "keep the Supabase keys in Secret Manager" without the cloud schedule: what a desktop Vertex AI run
needs so its bootstrap can read the keys (Secret Manager on, the two secrets, the job's account may read them).

It walks the cloud schedule's own steps (cloud_steps.py, cloud_access.py) on the same Context, so the secrets,
their labels and the bindings are one and the same whichever of the two made them; the cloud schedule's setup
then only adds the runner's access. Blocking: call off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from core.app.cloud_checklist import ChecklistRunner, Step, StepState, explain, step_title
from core.errors import Message, msg
from core.store.config import AppConfig

KEY_STEPS = ("keys_apis", "secrets", "keys_access")
# Secret Manager holds the keys; the job runs on Vertex AI, whose Custom Code Service Agent reads them (it
# exists only once the Vertex AI API is on).
KEY_APIS = ("secretmanager.googleapis.com", "aiplatform.googleapis.com")


def keys_needed_in_cloud(cfg: AppConfig) -> bool:
    """Whether Secret Manager holds this computer's keys: a Vertex AI project with the Settings choice or the
    cloud schedule on. Then a change of the keys here must reach it too."""
    return (cfg.job.backend == "vertex" and bool(cfg.job.project_id)
            and (cfg.cloud.keys_in_secret_manager is True or cfg.cloud.enabled is True))


def keys_consent_message(cfg: AppConfig) -> Message:
    """The question asked before the keys leave this computer for the Settings choice alone."""
    from core.app.cloud_setup import job_account_words

    return msg("keys.consent", "Copy the Supabase URL and key from this computer to Secret Manager in Google project "
               "{project}? There, {job} can read them when each run starts, and so can anyone who holds Owner, Editor "
               "or Secret Manager roles in {project}.", project=cfg.job.project_id, job=job_account_words(cfg))


def keys_left_message(cfg: AppConfig, deleted: bool) -> Message:
    """What turning the choice off did to the secrets in the project."""
    if deleted:
        return msg("keys.deleted", "The Supabase keys were deleted from Secret Manager in project {project}.",
                   project=cfg.job.project_id)
    return msg("keys.left", "The Supabase keys stay in Secret Manager in project {project}: new Vertex AI runs get "
               "them as plain environment variables again. Delete them there if no one needs them.",
               project=cfg.job.project_id)


def plan() -> list[Step]:
    """The checklist `setup` walks, all TODO; no network."""
    return [Step(key, step_title(key), StepState.TODO) for key in KEY_STEPS]


class KeysInSecretManager(ChecklistRunner):
    """Put (and keep up to date, or delete) the Supabase keys in `cfg`'s project for the Vertex AI job.

    Args: as ChecklistRunner's (`secrets` None copies nothing).
    """

    needs_vertex = msg("keys.needs_vertex", "Secret Manager is in a Google project: choose Vertex AI and a project "
                       "on the Job page first.")

    def setup(self) -> list[Step]:
        """Secret Manager on, both secrets holding the keyring's values, the job's account allowed to read them.
        Each step looks first: running it again changes nothing. Raises CloudSetupError naming the failed step."""
        from core.app import cloud_access as acc
        from core.app import cloud_steps as st

        ctx = self._context()
        actions: dict[str, Callable[[], Message | None]] = {
            "keys_apis": lambda: st.ensure_apis(ctx, KEY_APIS),
            "secrets": lambda: st.ensure_secrets(ctx),
            "keys_access": lambda: acc.edit_secret_access(ctx, True, runner=False, job=True),
        }
        return [self._run(ctx, key, actions[key]) for key in KEY_STEPS]

    def update_keys(self) -> list[str]:
        """A new version of each secret whose value changed on this computer; returns the secret ids updated."""
        from core.app import cloud_steps as st

        ctx = self._context()
        try:
            return st.update_secret_values(ctx)
        except Exception as exc:  # every failure becomes a sentence with its fix
            raise explain("secrets", exc, ctx) from exc

    def delete(self) -> None:
        """Delete the two secrets (only ours: labelled t4panel); already gone counts as done."""
        from core.app import cloud_steps as st

        ctx = self._context()
        try:
            if "secretmanager.googleapis.com" not in st.apis_missing(ctx, KEY_APIS[:1]):
                st.remove_secrets(ctx)
        except Exception as exc:  # every failure becomes a sentence with its fix
            raise explain("secrets", exc, ctx) from exc
