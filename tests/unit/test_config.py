"""The config model: sentences tied to fields, TOML round trip, atomic private saves, damaged files reported."""

from __future__ import annotations

import copy
import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import paths
from core.errors import ConfigError
from core.store import config as config_mod
from core.store.config import AppConfig


def problems_for(**job) -> dict[str, str]:
    cfg = AppConfig()
    for k, v in job.items():
        setattr(cfg.job, k, v)
    return {p.field: p.message for p in config_mod.validate(cfg)}


def test_defaults_are_valid_and_run_the_sample_job_locally():
    cfg = AppConfig()
    assert config_mod.validate(cfg) == []
    assert cfg.job.backend == "local"
    assert cfg.schedule.time == "01:00" and cfg.schedule.timezone == "Asia/Seoul"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("machine_type", "n2-standard-4", "A T4 GPU only fits N1 machine types; n2-standard-4 is not one."),
        ("accelerator_count", 3, "GPU count must be 1, 2 or 4."),
        ("max_runtime_minutes", 5, "Max runtime must be between 10 minutes and 7 days (10080 minutes)."),
        ("max_runtime_minutes", 10081, "Max runtime must be between 10 minutes and 7 days (10080 minutes)."),
        ("region", "mars-north1", '"mars-north1" does not offer T4 GPUs'),
        ("env", {"1BAD": "x"}, '"1BAD" is not a valid variable name'),
        ("env", {"SUPABASE_KEY": "x"}, "keyring"),
        ("env", {f"V{i}": "x" for i in range(101)}, "At most 100 environment variables"),
        ("machine_type", "n1-standard-96", "allow at most 48 vCPUs"),
    ],
)
def test_each_problem_is_a_sentence_on_its_field(field, value, message):
    found = problems_for(**{field: value})
    assert message in found.get(f"job.{field}", "")


def test_vertex_needs_project_and_image():
    found = problems_for(backend="vertex")
    assert "project id" in found["job.project_id"]
    assert "container image" in found["job.image_uri"]
    assert problems_for(backend="vertex", project_id="my-project-01", image_uri="us-docker.pkg.dev/p/r/i:1") == {}


def test_vertex_refuses_an_env_var_without_a_value_this_computer_does_not():
    vertex = dict(backend="vertex", project_id="my-project-01", image_uri="us-docker.pkg.dev/p/r/i:1")
    found = problems_for(**vertex, env={"EMPTY": "", "FULL": "x"})
    assert found == {"job.env": "Vertex AI refuses a variable without a value: give EMPTY a value or remove it."}
    assert problems_for(env={"EMPTY": ""}) == {}


def test_four_gpus_allow_the_biggest_n1():
    assert problems_for(machine_type="n1-standard-96", accelerator_count=4) == {}


def test_schedule_and_other_tables_are_checked():
    cfg = AppConfig()
    cfg.schedule.time = "25:00"
    cfg.schedule.timezone = "Asia/Nowhere"
    cfg.schedule.weekdays = ["mon", "funday"]
    cfg.notifications.webhook_url = "ftp://x"
    cfg.budget.monthly_usd = -1
    fields = {p.field for p in config_mod.validate(cfg)}
    assert fields == {"schedule.time", "schedule.timezone", "schedule.weekdays", "notifications.webhook_url",
                      "budget.monthly_usd"}


def test_save_is_private_and_round_trips():
    cfg = AppConfig()
    cfg.job.env = {"BATCH": "64", "EMPTY": ""}
    cfg.job.args = ["--date", "today with spaces"]
    path = config_mod.save(cfg)
    assert path == paths.config_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert config_mod.load().config == cfg
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".config-")] == []


def test_invalid_config_is_never_written():
    good = AppConfig()
    config_mod.save(good)
    before = paths.config_path().read_bytes()
    bad = copy.deepcopy(good)
    bad.job.accelerator_count = 8
    with pytest.raises(ConfigError, match="GPU count"):
        config_mod.save(bad)
    assert paths.config_path().read_bytes() == before


def test_damaged_file_is_kept_as_it_is_and_reported_every_time():
    path = paths.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[job\nbackend = ", encoding="utf-8")
    for _ in range(2):  # the file stays damaged until the operator fixes it, so it is reported each time
        loaded = config_mod.load()
        assert loaded.damaged and loaded.notice and "line 1" in loaded.notice and "left as it is" in loaded.notice
        assert config_mod.validate(loaded.config)[0].field == config_mod.FILE
        assert path.read_text(encoding="utf-8") == "[job\nbackend = "
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_a_table_that_is_not_a_table_is_reported_not_raised():
    paths.config_path().parent.mkdir(parents=True, exist_ok=True)
    paths.config_path().write_text('job = "not a table"\n', encoding="utf-8")
    loaded = config_mod.load()
    assert loaded.damaged and "[job] must be a table" in (loaded.notice or "")


def test_a_damaged_file_never_reaches_the_file_by_save():
    cfg = AppConfig()
    cfg.file_problems = [config_mod.Problem(config_mod.FILE, "damaged")]
    assert "file_problems" not in config_mod.dumps(cfg)


# ---------------------------------------------------------------- properties

_text = st.text(max_size=40)
_any = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), _text,
                 st.lists(_text, max_size=3), st.dictionaries(_text, _text, max_size=3))
_fields = [(section, f) for section, cls in config_mod._SECTIONS.items()
           for f in cls.__dataclass_fields__]


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(choice=st.sampled_from(_fields), value=_any)
def test_any_value_in_any_field_never_raises_and_invalid_is_never_saved(choice, value):
    section, name = choice
    cfg = AppConfig()
    setattr(getattr(cfg, section), name, value)
    problems = config_mod.validate(cfg)  # must not raise
    if problems:
        with pytest.raises(ConfigError):
            config_mod.save(cfg)
        assert all(p.message.endswith((".", ")")) for p in problems)
    else:
        config_mod.save(cfg)
        assert config_mod.load().config == cfg


_env_names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True).filter(
    lambda n: n not in ("SUPABASE_URL", "SUPABASE_KEY"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    machine=st.sampled_from(["n1-standard-4", "n1-highmem-8", "n1-highcpu-16", "n1-standard-32"]),
    gpus=st.sampled_from([1, 2, 4]),
    runtime=st.integers(10, 10080),
    env=st.dictionaries(_env_names, st.text(max_size=30), max_size=5),
    args=st.lists(st.text(max_size=20), max_size=4),
    spot=st.booleans(),
    weekdays=st.lists(st.sampled_from(config_mod.WEEKDAYS), min_size=1, max_size=7, unique=True),
    hour=st.integers(0, 23), minute=st.integers(0, 59),
    tz=st.sampled_from(["Asia/Seoul", "UTC", "America/New_York", "Europe/Berlin"]),
    budget=st.floats(0, 10_000, allow_nan=False),
)
def test_valid_configs_round_trip_through_toml_unchanged(machine, gpus, runtime, env, args, spot, weekdays, hour,
                                                         minute, tz, budget):
    cfg = AppConfig()
    cfg.job.machine_type, cfg.job.accelerator_count, cfg.job.max_runtime_minutes = machine, gpus, runtime
    cfg.job.env, cfg.job.args, cfg.job.spot = env, args, spot
    cfg.schedule.weekdays, cfg.schedule.time, cfg.schedule.timezone = weekdays, f"{hour:02d}:{minute:02d}", tz
    cfg.budget.monthly_usd = budget
    assert config_mod.validate(cfg) == []
    assert config_mod.loads(config_mod.dumps(cfg)) == cfg
