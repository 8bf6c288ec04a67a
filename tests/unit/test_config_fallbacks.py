"""The Job's fallbacks in config.toml: `fallback_regions` (T4 regions, each once, never the job's own) and
`on_demand_fallback`, validated with a sentence on the field, and kept through a save and a load."""

from __future__ import annotations

from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig


def _problems(**job: object) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in config_mod.validate(AppConfig(job=JobConfig(**job))):  # type: ignore[arg-type]
        out.setdefault(p.field, []).append(p.message)
    return out


def test_fallback_regions_are_t4_regions_each_once_and_not_the_jobs_own():
    assert "job.fallback_regions" not in _problems(region="us-central1", fallback_regions=["us-east1", "europe-west4"])
    bad = _problems(region="us-central1", fallback_regions=["mars-north1", "us-central1", "us-east1", "us-east1"])
    assert bad["job.fallback_regions"] == [
        '"mars-north1" does not offer T4 GPUs for Vertex AI training; pick fallback regions from the list.',
        "us-central1 is listed twice (the job's region is always tried first); each region may appear once.",
        "us-east1 is listed twice (the job's region is always tried first); each region may appear once."]


def test_wrong_types_are_reported_on_their_field_not_raised():
    bad = _problems(fallback_regions="us-east1", on_demand_fallback="yes")
    assert bad["job.fallback_regions"] == ["job.fallback_regions must be a list of words."]
    assert bad["job.on_demand_fallback"] == ["job.on_demand_fallback must be on or off."]


def test_a_save_and_a_load_keep_the_order_and_the_choice():
    cfg = AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1", command=["x"],
                                  spot=True, fallback_regions=["us-east1", "asia-northeast1"],
                                  on_demand_fallback=True))
    config_mod.save(cfg)
    loaded = config_mod.load().config
    assert loaded.job.fallback_regions == ["us-east1", "asia-northeast1"] and loaded.job.on_demand_fallback is True
    assert config_mod.validate(loaded) == []
    older = config_mod.loads('[job]\nbackend = "local"\nspot = true\n')  # written before fallbacks existed
    assert older.job.fallback_regions == [] and older.job.on_demand_fallback is False
