"""Advice that saves money: three suggestions with the right figures after an idle week, none otherwise."""

from __future__ import annotations

from core.cost import advice
from core.cost.advice import AdviceKind
from core.store import config as config_mod
from tests.support.advice import NOW, job_config, seed_prices, seed_week

# n1-standard-4 (4 x 0.04 + 15 GB x 0.005 = 0.235) + T4 0.45 = 0.685/h; the median run is 48 min (0.8 h).
# Daily schedule: 30 runs a month.


def by_kind(found):
    return {s.kind: s for s in found.suggestions}


def test_idle_week_gives_three_suggestions_to_the_cent(store):
    seed_prices()
    seed_week(store)
    found = advice.advise(job_config(), store, NOW)
    assert found.more_days == 0 and found.gpu_busy_percent == 8
    assert found.rates is not None and found.rates.from_catalog and found.rates.read_on.isoformat() == "2026-11-27"
    s = by_kind(found)
    assert set(s) == {AdviceKind.CPU_ONLY, AdviceKind.SPOT, AdviceKind.RUNTIME}

    # The T4 held 25% of its 16 GB: 15 + 4 = 19 GB needed, 4 vCPUs at least. n1-highmem-4 (26 GB) at
    # 4 x 0.04 + 26 x 0.005 = 0.29/h is the cheapest that fits (n1-standard-8 costs 0.47/h).
    cpu = s[AdviceKind.CPU_ONLY]
    assert cpu.changes == {"machine_type": "n1-highmem-4", "accelerator_count": 0}
    text = cpu.message.text
    for figure in ("$0.23 per run instead of $0.55", "$6.96 a month instead of $16.44", "n1-highmem-4",
                   "busy only 8%", "(the CPU 30%)", "without CUDA", "less than 2.3 times as long", "7 days"):
        assert figure in text, (figure, text)

    # Spot: 4 x 0.01 + 15 x 0.00125 + 0.18 = 0.23875/h x 0.8 h = $0.19; x 30 = $5.73.
    spot = s[AdviceKind.SPOT]
    assert spot.changes == {"spot": True}
    assert "$0.19 per run instead of $0.55" in spot.message.text
    assert "$5.73 a month instead of $16.44" in spot.message.text

    # Longest run 60 min + 15 min margin = 75 min, against 240 today: a stuck run costs 0.685 x 1.25 h.
    runtime = s[AdviceKind.RUNTIME]
    assert runtime.changes == {"max_runtime_minutes": 75}
    for figure in ("took 60 minutes", "for 240 minutes", "of 75 minutes", "$0.86 instead of $2.74",
                   "$25.69 a month instead of $82.20"):
        assert figure in runtime.message.text, (figure, runtime.message.text)


def test_figures_in_the_billing_currency_when_google_says_it(store):
    seed_prices("KRW", 1400.0)
    seed_week(store)
    spot = by_kind(advice.advise(job_config(), store, NOW))[AdviceKind.SPOT]
    # 0.191 USD x 1400 = ₩267; 0.548 x 1400 = ₩767
    assert "₩267 per run instead of ₩767" in spot.message.text


def test_busy_week_gives_no_advice(store):
    seed_prices()
    seed_week(store, gpu=70)
    found = advice.advise(job_config(), store, NOW)
    assert found.suggestions == [] and found.more_days == 0 and found.gpu_busy_percent == 70


def test_three_days_say_how_many_more(store):
    seed_prices()
    seed_week(store, days=3)
    found = advice.advise(job_config(), store, NOW)
    assert found.suggestions == []
    assert found.more_days == 4
    assert found.waiting is not None and "4 more to go" in found.waiting.text


def test_history_kept_as_text_counts_too(store):
    seed_prices()
    for run in seed_week(store):
        store.update(run, detail={**run.detail, "gpu_busy_percent": "8"})  # how older rows keep it
    assert len(advice.advise(job_config(), store, NOW).suggestions) == 3


def test_nothing_suggested_that_is_already_so(store):
    seed_prices()
    seed_week(store)
    found = by_kind(advice.advise(job_config(spot=True, max_runtime_minutes=75), store, NOW))
    assert set(found) == {AdviceKind.CPU_ONLY}
    assert advice.advise(job_config(accelerator_count=0), store, NOW).suggestions == []


def test_a_job_on_this_computer_gets_no_advice_and_no_countdown(store):
    seed_prices()
    found = advice.advise(job_config(backend="local"), store, NOW)
    assert found.suggestions == [] and found.waiting is None


def test_apply_changes_exactly_the_suggestion_and_it_validates_and_saves(store):
    seed_prices()
    seed_week(store)
    cfg = job_config()
    assert config_mod.validate(cfg) == []
    for suggestion in advice.advise(cfg, store, NOW).suggestions:
        new = advice.apply(cfg, suggestion)
        assert config_mod.validate(new) == [], suggestion.kind
        changed = {k for k in vars(new.job) if getattr(new.job, k) != getattr(cfg.job, k)}
        assert changed == set(suggestion.changes)
        assert all(getattr(new.job, k) == v for k, v in suggestion.changes.items())
        assert cfg.job.spot is False and cfg.job.accelerator_count == 1  # the original is untouched
    cpu = by_kind(advice.advise(cfg, store, NOW))[AdviceKind.CPU_ONLY]
    config_mod.save(advice.apply(cfg, cpu))
    saved = config_mod.load().config.job
    assert (saved.machine_type, saved.accelerator_count) == ("n1-highmem-4", 0)
    assert cpu.changed().text == "Saved on the Job page: T4 GPUs 1 to 0; machine type n1-standard-4 to n1-highmem-4."


def test_dismissed_stays_dismissed_until_the_numbers_change(store):
    seed_prices()
    runs = seed_week(store)
    spot = by_kind(advice.advise(job_config(), store, NOW))[AdviceKind.SPOT]
    advice.dismiss(spot)
    again = by_kind(advice.advise(job_config(), store, NOW))
    assert AdviceKind.SPOT not in again and AdviceKind.CPU_ONLY in again
    # Runs twice as long: the saving doubles, so the suggestion comes back.
    for run in runs:
        store.update(run, ended=run.started + 2 * (run.ended - run.started))
    assert AdviceKind.SPOT in by_kind(advice.advise(job_config(), store, NOW))


def test_a_cpu_only_job_is_valid_on_any_n1_and_three_gpus_still_are_not():
    assert config_mod.validate(job_config(accelerator_count=0, machine_type="n1-highmem-96")) == []
    assert [p.field for p in config_mod.validate(job_config(accelerator_count=3))] == ["job.accelerator_count"]
