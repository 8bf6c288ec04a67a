"""The operator's settings: typed, validated, saved as one TOML file (never a secret in it)."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core import paths
from core.errors import Message, msg

log = logging.getLogger(__name__)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BACKENDS = ("local", "vertex")
T4_COUNTS = (1, 2, 4)
N1_FAMILIES = ("n1-standard-", "n1-highmem-", "n1-highcpu-")
N1_VCPUS = (1, 2, 4, 8, 16, 32, 64, 96)
MIN_RUNTIME_MINUTES = 10
MAX_RUNTIME_MINUTES = 7 * 24 * 60
MAX_ENV_VARS = 100
LABEL_MAX = 64
# Regions where Vertex AI custom training offers NVIDIA T4 (Google's "locations" page).
T4_REGIONS = (
    "us-central1", "us-east1", "us-east4", "us-west1", "us-west2", "us-west4",
    "northamerica-northeast1", "southamerica-east1",
    "europe-west1", "europe-west2", "europe-west3", "europe-west4",
    "asia-east1", "asia-northeast1", "asia-northeast3", "asia-south1", "asia-southeast1",
    "australia-southeast1",
)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# a Postgres identifier, optionally schema-qualified
_TABLE_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$"
_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_LABEL_TEXT = re.compile(r"^[a-z0-9_-]*$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_SECRET_ENV = ("SUPABASE_URL", "SUPABASE_KEY")
# Memory per vCPU (GB) by N1 family, to check the T4 host limits from FACTS.md.
_N1_GB_PER_VCPU = {"n1-standard-": 3.75, "n1-highmem-": 6.5, "n1-highcpu-": 0.9}


@dataclass
class JobConfig:
    """The T4 job: where and how it runs."""

    backend: str = "local"
    project_id: str = ""
    region: str = "us-central1"
    display_name: str = "t4-predict"
    machine_type: str = "n1-standard-4"
    accelerator_type: str = "NVIDIA_TESLA_T4"
    accelerator_count: int = 1
    image_uri: str = ""
    command: list[str] = field(default_factory=lambda: ["{python}", "-u", "{sample_job}"])
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    spot: bool = False
    max_runtime_minutes: int = 60
    boot_disk_gb: int = 100
    service_account: str = ""
    inject_supabase: bool = False
    # A scheduled run that finds no T4 free tries these regions next, in this order (Vertex AI only).
    fallback_regions: list[str] = field(default_factory=list)
    on_demand_fallback: bool = False  # a Spot run preempted or without Spot capacity is tried on demand


@dataclass
class ScheduleConfig:
    """The daily schedule (fires in the schedule's own time zone)."""

    enabled: bool = False
    time: str = "01:00"
    weekdays: list[str] = field(default_factory=lambda: list(WEEKDAYS))
    timezone: str = "Asia/Seoul"
    catch_up_hours: int = 6


@dataclass
class NotificationsConfig:
    on_success: bool = True
    on_failure: bool = True
    webhook_url: str = ""
    stall_minutes: int = 20  # GPU and CPU both idle this long while RUNNING: warn (0 = never)
    cancel_when_stalled: bool = False  # opt-in: also cancel that run


@dataclass
class BudgetConfig:
    monthly_usd: float = 0.0  # 0 means no budget
    block_when_over: bool = False
    machine_rate_override: float = 0.0  # Vertex USD/h for the whole machine; 0 = the price table
    gpu_rate_override: float = 0.0  # Vertex USD/h per T4; 0 = the price table


@dataclass
class SupabaseConfig:
    results_table: str = ""


@dataclass
class UiConfig:
    language: str = "system"  # "system" follows the computer; "en" or "ko" to choose


@dataclass
class CloudConfig:
    """The cloud schedule: Cloud Scheduler starts a Cloud Run job that runs `t4panel fire` in the
    operator's project, so the daily run happens with every computer off (Vertex AI backend only)."""

    enabled: bool = False  # on: the cloud fires the schedule and this computer only watches
    runner_image: str = ""  # the Cloud Run job's image; "" = the release's image (resources/cloud.toml)
    keys_in_secret_manager: bool = False  # Vertex jobs read the Supabase keys from Secret Manager at start


@dataclass(frozen=True)
class Problem:
    """One validation problem: `field` is "table.key" (e.g. "job.machine_type"), or FILE for a problem of the
    settings file itself, whose `setting` then names the "table.key" on the damaged line (or is "").
    `msg` says what is wrong (plain text is accepted and kept without an id)."""

    field: str
    msg: Message
    setting: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.msg, Message):
            object.__setattr__(self, "msg", Message("", str(self.msg)))

    @property
    def message(self) -> str:
        """The English sentence."""
        return self.msg.text


FILE = "file"


@dataclass
class AppConfig:
    """Everything in config.toml."""

    job: JobConfig = field(default_factory=JobConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    notifications: NotificationsConfig = field(default_factory=NotificationsConfig)
    budget: BudgetConfig = field(default_factory=BudgetConfig)
    supabase: SupabaseConfig = field(default_factory=SupabaseConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    cloud: CloudConfig = field(default_factory=CloudConfig)
    # Problems of the file these settings came from (unreadable, not TOML, unknown names), found by `load`.
    # Not a setting: never written, dropped by dataclasses.replace, cleared by `save`. Because `validate`
    # reports them, every launch path (CLI, daemon, scheduler, GUI) refuses a damaged file without
    # knowing about files, and the values here are never mistaken for what the operator wrote.
    file_problems: list[Problem] = field(default_factory=list, init=False, compare=False, repr=False)


_SECTIONS: dict[str, type] = {
    "job": JobConfig,
    "schedule": ScheduleConfig,
    "notifications": NotificationsConfig,
    "budget": BudgetConfig,
    "supabase": SupabaseConfig,
    "ui": UiConfig,
    "cloud": CloudConfig,
}


# ---------------------------------------------------------------- validation


def _type_message(kind: str, name: str) -> Message:
    return {
        "str": msg("config.type.text", "{field} must be text.", field=name),
        "int": msg("config.type.int", "{field} must be a whole number.", field=name),
        "bool": msg("config.type.bool", "{field} must be on or off.", field=name),
        "float": msg("config.type.float", "{field} must be a number.", field=name),
        "list[str]": msg("config.type.words", "{field} must be a list of words.", field=name),
        "dict[str, str]": msg("config.type.pairs", "{field} must be NAME = value pairs.", field=name),
    }[kind]


def _type_problems(cfg: AppConfig) -> list[Problem]:
    """A value of the wrong type (a hand-edited file, say) is reported on its field, not raised."""
    problems: list[Problem] = []
    for section in _SECTIONS:
        table = getattr(cfg, section)
        for f in dataclasses.fields(table):
            value = getattr(table, f.name)
            kind = str(f.type)
            checks: dict[str, Callable[[Any], bool]] = {
                "str": lambda v: isinstance(v, str),
                "int": _is_int,
                "bool": lambda v: isinstance(v, bool),
                "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
                "list[str]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
                "dict[str, str]": lambda v: isinstance(v, dict) and all(
                    isinstance(k, str) and isinstance(x, str) for k, x in v.items()),
            }
            ok = checks[kind](value)
            if not ok:
                problems.append(Problem(f"{section}.{f.name}", _type_message(kind, f"{section}.{f.name}")))
    return problems


def validate(cfg: AppConfig) -> list[Problem]:
    """Every problem in `cfg` as a sentence tied to its field. Never raises."""
    problems: list[Problem] = list(getattr(cfg, "file_problems", []))
    typed = _type_problems(cfg)
    if typed:
        return problems + typed  # the checks below assume the right types
    for section, checker in (
        ("job", _check_job),
        ("schedule", _check_schedule),
        ("notifications", _check_notifications),
        ("budget", _check_budget),
        ("supabase", _check_supabase),
        ("ui", _check_ui),
        ("cloud", _check_cloud),
    ):
        try:
            problems.extend(checker(getattr(cfg, section)))
        except Exception as exc:  # noqa: BLE001 - a value of the wrong type, say: report it, never raise
            problems.append(Problem(section, msg("config.unreadable", "The {section} settings could not be read: "
                                                 "{error}", section=section, error=exc)))
    return problems


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _n1_vcpus(machine_type: str) -> tuple[str, int] | None:
    for family in N1_FAMILIES:
        if machine_type.startswith(family):
            rest = machine_type[len(family):]
            if rest.isdigit() and int(rest) in N1_VCPUS:
                return family, int(rest)
    return None


def _check_job(job: JobConfig) -> list[Problem]:
    p: list[Problem] = []

    def add(key: str, message: Message) -> None:
        p.append(Problem(f"job.{key}", message))

    if job.backend not in BACKENDS:
        add("backend", msg("config.job.backend", 'Backend must be "local" (this computer) or "vertex" (Vertex AI), '
                           'not "{backend}".', backend=job.backend))
    vertex = job.backend == "vertex"
    if vertex and not job.project_id:
        add("project_id", msg("config.job.project_id.missing",
                              "Enter the Google Cloud project id to run on Vertex AI."))
    elif job.project_id and not _PROJECT_ID.match(str(job.project_id)):
        add("project_id", msg("config.job.project_id.invalid", "A project id is 6-30 lowercase letters, digits or "
                               "hyphens, starting with a letter."))
    if job.region not in T4_REGIONS:
        add("region", msg("config.job.region", '"{region}" does not offer T4 GPUs for Vertex AI training; pick one '
                          "from the list.", region=job.region))
    if not isinstance(job.display_name, str) or not job.display_name.strip():
        add("display_name", msg("config.job.display_name.missing",
                                "Give the job a name (it appears in the Google Cloud console)."))
    elif len(job.display_name) > 128:
        add("display_name", msg("config.job.display_name.long", "The job name must be at most 128 characters."))
    n1 = _n1_vcpus(job.machine_type) if isinstance(job.machine_type, str) else None
    if n1 is None:
        add("machine_type", msg("config.job.machine_type.not_n1", "A T4 GPU only fits N1 machine types; {machine} is "
                                "not one.", machine=job.machine_type))
    if job.accelerator_type != "NVIDIA_TESLA_T4":
        add("accelerator_type", msg("config.job.accelerator_type",
                                    "T4 Panel runs on NVIDIA T4 GPUs only (NVIDIA_TESLA_T4)."))
    if not _is_int(job.accelerator_count) or job.accelerator_count not in (0, *T4_COUNTS):
        add("accelerator_count", msg("config.job.accelerator_count", "GPU count must be 1, 2 or 4. 0 runs the job "
                                     "on the CPU only, without a GPU."))
    elif n1 is not None and job.accelerator_count > 0:  # without a GPU any N1 size is allowed
        family, vcpus = n1
        max_cpu, max_gb = (96, 624) if job.accelerator_count == 4 else (48, 312)
        gb = vcpus * _N1_GB_PER_VCPU[family]
        if vcpus > max_cpu or gb > max_gb:
            add("machine_type", msg("config.job.machine_type.too_big", "{gpus} T4 GPU(s) allow at most {cpus} vCPUs "
                                    "and {gb} GB of memory; {machine} is larger. Use 4 GPUs or a smaller machine.",
                                    gpus=job.accelerator_count, cpus=max_cpu, gb=max_gb, machine=job.machine_type))
    if vertex and not str(job.image_uri).strip():
        add("image_uri", msg("config.job.image_uri.missing",
                             "Enter the container image to run on Vertex AI (e.g. us-docker.pkg.dev/...)."))
    elif any(c.isspace() for c in str(job.image_uri)):
        add("image_uri", msg("config.job.image_uri.spaces", "The container image address cannot contain spaces."))
    if not isinstance(job.command, list) or not all(isinstance(c, str) for c in job.command):
        add("command", msg("config.job.command.type", "The command must be a list of words."))
    elif not vertex and not job.command:
        add("command", msg("config.job.command.missing", "Enter the command to run on this computer."))
    if not isinstance(job.args, list) or not all(isinstance(a, str) for a in job.args):
        add("args", msg("config.job.args.type", "The arguments must be a list of words."))
    p.extend(_check_env(job.env, vertex))
    if not _is_int(job.max_runtime_minutes) or not (
        MIN_RUNTIME_MINUTES <= job.max_runtime_minutes <= MAX_RUNTIME_MINUTES
    ):
        add("max_runtime_minutes", msg("config.job.max_runtime",
                                       "Max runtime must be between 10 minutes and 7 days (10080 minutes)."))
    if not _is_int(job.boot_disk_gb) or not (100 <= job.boot_disk_gb <= 65536):
        add("boot_disk_gb", msg("config.job.boot_disk", "Boot disk must be between 100 and 65536 GB."))
    if job.service_account and not re.match(r"^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$", job.service_account):
        add("service_account", msg("config.job.service_account",
                                   "A service account looks like name@project.iam.gserviceaccount.com."))
    if not isinstance(job.spot, bool):
        add("spot", msg("config.job.spot", "Spot must be on or off."))
    if not isinstance(job.inject_supabase, bool):
        add("inject_supabase", msg("config.job.inject_supabase", "Pass Supabase keys must be on or off."))
    seen: set[str] = set()
    for extra in job.fallback_regions:
        if extra not in T4_REGIONS:
            add("fallback_regions", msg("config.job.fallback_regions.unknown", '"{region}" does not offer T4 GPUs '
                                        "for Vertex AI training; pick fallback regions from the list.", region=extra))
        elif extra == job.region or extra in seen:
            add("fallback_regions", msg("config.job.fallback_regions.twice", "{region} is listed twice (the job's "
                                        "region is always tried first); each region may appear once.", region=extra))
        seen.add(extra)
    if not isinstance(job.on_demand_fallback, bool):
        add("on_demand_fallback", msg("config.job.on_demand_fallback", "Run on demand must be on or off."))
    return p


def _check_env(env: Any, vertex: bool = False) -> list[Problem]:
    p: list[Problem] = []
    if not isinstance(env, dict):
        return [Problem("job.env", msg("config.job.env.type", "Environment variables must be NAME = value pairs."))]
    if len(env) > MAX_ENV_VARS:
        p.append(Problem("job.env", msg("config.job.env.too_many", "At most {max} environment variables are allowed; "
                                         "there are {count}.", max=MAX_ENV_VARS, count=len(env))))
    for name, value in env.items():
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            p.append(Problem("job.env", msg("config.job.env.name", '"{name}" is not a valid variable name (letters, '
                                            "digits, _; not starting with a digit).", name=name)))
        elif name.upper() in _SECRET_ENV:
            p.append(Problem("job.env", msg("config.job.env.secret", "Do not put {name} here: save it under "
                                            "Supabase in Settings, where it is kept in the keyring.", name=name)))
        if not isinstance(value, str):
            p.append(Problem("job.env", msg("config.job.env.value", "The value of {name} must be text.", name=name)))
        elif vertex and value == "":
            # Vertex AI refuses the job: "container_spec.env[i].value; Message: Required field is not set."
            p.append(Problem("job.env", msg("config.job.env.empty", "Vertex AI refuses a variable without a value: "
                                            "give {name} a value or remove it.", name=name)))
    return p


def _check_schedule(s: ScheduleConfig) -> list[Problem]:
    p: list[Problem] = []
    if not isinstance(s.enabled, bool):
        p.append(Problem("schedule.enabled", msg("config.schedule.enabled", "Enabled must be on or off.")))
    if not isinstance(s.time, str) or not _TIME.match(s.time):
        p.append(Problem("schedule.time", msg("config.schedule.time",
                                               'The time must be HH:MM on a 24-hour clock, e.g. "01:00".')))
    if not isinstance(s.weekdays, list) or any(d not in WEEKDAYS for d in s.weekdays):
        p.append(Problem("schedule.weekdays", msg("config.schedule.weekdays.names",
                                                   "Weekdays must be among mon, tue, wed, thu, fri, sat, sun.")))
    elif s.enabled and not s.weekdays:
        p.append(Problem("schedule.weekdays", msg("config.schedule.weekdays.none",
                                                   "Pick at least one weekday, or turn the schedule off.")))
    elif len(set(s.weekdays)) != len(s.weekdays):
        p.append(Problem("schedule.weekdays", msg("config.schedule.weekdays.twice",
                                                  "Each weekday may appear only once.")))
    if not valid_timezone(s.timezone):
        p.append(Problem("schedule.timezone", msg("config.schedule.timezone", '"{zone}" is not a time zone name; pick '
                                                   "one such as Asia/Seoul.", zone=s.timezone)))
    if not _is_int(s.catch_up_hours) or not (0 <= s.catch_up_hours <= 72):
        p.append(Problem("schedule.catch_up_hours", msg("config.schedule.catch_up",
                                                         "The catch-up window must be between 0 and 72 hours.")))
    return p


def valid_timezone(name: Any) -> bool:
    if not isinstance(name, str) or not name or name != name.strip():
        return False
    if name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: set[str] | None = None


def _zone_names() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


def _check_notifications(n: NotificationsConfig) -> list[Problem]:
    p: list[Problem] = []
    for key in ("on_success", "on_failure", "cancel_when_stalled"):
        if not isinstance(getattr(n, key), bool):
            p.append(Problem(f"notifications.{key}", msg("config.on_off", "Must be on or off.")))
    minutes = n.stall_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
        p.append(Problem("notifications.stall_minutes", msg(
            "config.notifications.stall_minutes", "Must be whole minutes from 0 (never warn) to 1440.")))
    url = n.webhook_url
    if not isinstance(url, str) or (url and not re.match(r"^https?://[^\s/]+\S*$", url)):
        p.append(Problem("notifications.webhook_url", msg("config.notifications.webhook_url",
                                                           "The webhook address must start with https:// (or http://).")))
    return p


def _check_budget(b: BudgetConfig) -> list[Problem]:
    p: list[Problem] = []
    value = b.monthly_usd
    # value != value is true only for NaN
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or value != value
            or not (0 <= value <= 1_000_000)):
        p.append(Problem("budget.monthly_usd", msg("config.budget.monthly_usd", "The monthly budget must be a dollar "
                                                   "amount between 0 (no budget) and 1,000,000.")))
    if not isinstance(b.block_when_over, bool):
        p.append(Problem("budget.block_when_over", msg("config.on_off", "Must be on or off.")))
    for key in ("machine_rate_override", "gpu_rate_override"):
        rate = getattr(b, key)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate != rate or not (0 <= rate <= 1000):
            p.append(Problem(f"budget.{key}", msg("config.budget.rate", "A rate must be dollars per hour between 0 "
                                                  "(use the price table) and 1000.")))
    return p


def _check_supabase(s: SupabaseConfig) -> list[Problem]:
    t = s.results_table
    if not isinstance(t, str) or (t and not re.match(_TABLE_NAME, t)):
        return [Problem("supabase.results_table", msg("config.supabase.results_table", "The results table is a table "
                                                      "name such as predictions (letters, digits, _)."))]
    return []


def _check_ui(u: UiConfig) -> list[Problem]:
    if u.language not in ("system", "en", "ko"):
        return [Problem("ui.language", msg("config.ui.language",
                                           'The language must be "system", "en" (English) or "ko" (Korean).'))]
    return []


def reset_invalid(cfg: AppConfig, keep: str) -> list[str]:
    """Set each invalid setting outside table `keep` back to its default; returns their "table.key" names.

    A form saves its own table but writes the whole file: without this, a bad value on another page (a
    hand-edited "25:99") would refuse every save from every page, and the operator could never fix the file
    from the window. Whoever calls this tells the operator which settings were reset.
    """
    reset: list[str] = []
    for p in validate(cfg):
        table, _, key = p.field.partition(".")
        if p.field == FILE or table == keep or table not in _SECTIONS:
            continue
        fresh = _SECTIONS[table]()
        if key and hasattr(fresh, key):
            setattr(getattr(cfg, table), key, getattr(fresh, key))
        else:  # a problem of the whole table
            setattr(cfg, table, fresh)
        if p.field not in reset:
            reset.append(p.field)
    return reset


def supabase_url_problem(url: str) -> str | None:
    """Why `url` cannot be a Supabase project address, or None. (A secret, kept in the keyring, but checked
    here with the other settings so `secrets set` and the Settings page refuse the same things.)"""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        ok = (parts.scheme in ("https", "http") and bool(parts.hostname) and not any(c.isspace() for c in url)
              and not parts.username and not parts.password)
    except ValueError:
        ok = False
    if ok:
        return None
    return ("The Supabase URL must be your project's address, such as https://abcd1234.supabase.co "
            "(Supabase dashboard, Project Settings, API).")


def label_value(text: str) -> str:
    """Turn any text into a valid Vertex label value (lowercase, [a-z0-9_-], at most 64 chars)."""
    out = re.sub(r"[^a-z0-9_-]", "-", text.lower())
    return out[:LABEL_MAX]


def valid_label(key: str, value: str) -> bool:
    return (
        0 < len(key) <= LABEL_MAX
        and len(value) <= LABEL_MAX
        and bool(_LABEL_TEXT.match(key))
        and key[0].isalpha()
        and bool(_LABEL_TEXT.match(value))
    )

def _check_cloud(c: CloudConfig) -> list[Problem]:
    image = c.runner_image.strip()
    if image and (any(ch.isspace() for ch in image) or "/" not in image):
        return [Problem("cloud.runner_image", msg("config.cloud.runner_image", "The runner image is a container "
                                                  "image address such as us-docker.pkg.dev/project/repo/t4panel:1.0."))]
    return []


# ---------------------------------------------------------------- TOML


def to_dict(cfg: AppConfig) -> dict[str, Any]:
    data = dataclasses.asdict(cfg)
    data.pop("file_problems", None)
    return data


def from_dict(data: dict[str, Any]) -> AppConfig:
    """Build a config from parsed TOML; unknown keys are dropped, missing ones take defaults.

    Raises:
        ConfigError: a table is not a table.
    """
    from core.errors import ConfigError

    cfg = AppConfig()
    for section, cls in _SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(msg("config.not_a_table", "[{section}] in the settings file is not a table.",
                                  section=section))
        known = {f.name for f in dataclasses.fields(cls)}
        ignored = sorted(set(table) - known)
        if ignored:
            log.warning("ignoring unknown keys in [%s]: %s", section, ", ".join(ignored))
        values = {k: v for k, v in table.items() if k in known}
        setattr(cfg, section, cls(**values))
    return cfg


def dumps(cfg: AppConfig) -> str:
    import tomli_w

    data = to_dict(cfg)
    if data.get("ui", {}).get("language") == "system":  # no choice made: T4PANEL_LANG, then the OS, decide
        del data["ui"]["language"]
        if not data["ui"]:
            del data["ui"]
    return tomli_w.dumps(data)


def loads(text: str) -> AppConfig:
    return from_dict(tomllib.loads(text))


@dataclass
class LoadResult:
    """What `load` found. `notice` is a sentence for the operator when the file has problems (or None)."""

    config: AppConfig
    notice: str | None = None

    @property
    def damaged(self) -> bool:
        """The file itself could not be read as settings (nothing may run on it)."""
        return bool(self.config.file_problems)


def load(path: Path | None = None) -> LoadResult:
    """Read the config file. A missing file gives defaults. A damaged one is left exactly as it is, for the
    operator to fix: its problems ride on the config (`file_problems`), so nothing launches on it.

    Raises:
        StorageError: the settings folder is a file.
    """
    from core.store import config_text

    path = path or paths.config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadResult(AppConfig())
    except NotADirectoryError as exc:  # T4PANEL_HOME is a file: the folder is the problem, not the settings
        from core.errors import storage_error

        raise storage_error(exc, path.parent) from exc
    except OSError as exc:
        data: dict[str, Any] = {}
        damage = [config_text.FileDamage(f"it could not be read ({exc.strerror or exc}).")]
    else:
        known = {name: {f.name for f in dataclasses.fields(cls)} for name, cls in _SECTIONS.items()}
        data, damage = config_text.parse(raw, known)
    cfg = _tolerant_from_dict(data)
    cfg.file_problems = [Problem(FILE, msg("config.file.problem", "The settings file {path}: {detail}", path=path,
                                           detail=d.message), d.setting) for d in damage]
    problems = validate(cfg)
    if not problems:
        return LoadResult(cfg)
    log.info("settings file %s has problems: %s", path, " ".join(p.message for p in problems))
    listed = " ".join(p.message if p.field == FILE else f"{p.field}: {p.message}" for p in problems)
    notice = (f"Your settings file has problems, so no run will start until they are fixed: {listed} "
              f"The file was left as it is. Fix it in a text editor, or correct the settings in T4 Panel "
              "and save.")
    return LoadResult(cfg, notice=notice)


def _tolerant_from_dict(data: dict[str, Any]) -> AppConfig:
    """Like `from_dict`, but what is not a setting is skipped (config_text has reported it)."""
    cfg = AppConfig()
    for section, cls in _SECTIONS.items():
        table = data.get(section, {})
        if isinstance(table, dict):
            known = {f.name for f in dataclasses.fields(cls)}
            setattr(cfg, section, cls(**{k: v for k, v in table.items() if k in known}))
    return cfg


def save(cfg: AppConfig, path: Path | None = None) -> Path:
    """Validate and write atomically with mode 0600.

    Raises:
        ConfigError: the config has problems (nothing is written).
    """
    from core.errors import ConfigError, joined

    problems = [p for p in validate(cfg) if p.field != FILE]  # saving is how a damaged file is replaced
    if problems:
        raise ConfigError(joined([pr.msg for pr in problems]))
    path = path or paths.config_path()
    paths.ensure_private_dir(path.parent)
    text = dumps(cfg)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    cfg.file_problems = []  # the file now holds exactly these settings
    return path
