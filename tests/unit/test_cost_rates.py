"""The cost formula to the cent, from the shipped price table."""

from __future__ import annotations

import pytest

from core import cost
from core.cost.rates import load_pricing, n1_shape

# (region, spot, gpus, seconds, expected USD). Hourly figures: us-central1 on demand
# 0.21849885 + n x 0.4025, Spot 0.0552004 + n x 0.161; asia-northeast3 on demand 0.28037046 + n x 0.4255,
# Spot 0.06198499 + n x 0.1702 (Vertex = 1.15 x Compute Engine list, n1-standard-4).
CASES = [
    ("us-central1", False, 1, 3600, 0.62),
    ("us-central1", False, 2, 3600, 1.02),
    ("us-central1", False, 4, 3600, 1.83),
    ("us-central1", True, 1, 3600, 0.22),
    ("us-central1", True, 2, 3600, 0.38),
    ("us-central1", True, 4, 3600, 0.70),
    ("us-central1", False, 1, 1800, 0.31),
    ("us-central1", False, 4, 10 * 3600, 18.28),
    ("asia-northeast3", False, 1, 3600, 0.71),
    ("asia-northeast3", False, 2, 3600, 1.13),
    ("asia-northeast3", False, 4, 3600, 1.98),
    ("asia-northeast3", True, 1, 3600, 0.23),
    ("asia-northeast3", True, 2, 3600, 0.40),
    ("asia-northeast3", True, 4, 2 * 3600, 1.49),
]


@pytest.mark.parametrize("region,spot,gpus,seconds,expected", CASES)
def test_run_cost_to_the_cent(region, spot, gpus, seconds, expected):
    assert round(cost.run_cost("n1-standard-4", gpus, spot, region, seconds), 2) == expected


def test_replicas_multiply_the_whole_machine():
    one = cost.run_cost("n1-standard-8", 2, False, "us-central1", 5400)
    assert cost.run_cost("n1-standard-8", 2, False, "us-central1", 5400, replicas=3) == pytest.approx(3 * one)
    # n1-standard-8 = 8 vCPU, 30 GB: 1.15 x (8 x 0.031611 + 30 x 0.004237) = 0.4369977/h; + 2 x 0.4025.
    assert round(one, 2) == round((0.4369977 + 0.805) * 1.5, 2) == 1.86


def test_vertex_rates_match_the_figures_read():
    """The per-vCPU / per-GB split reproduces each region's n1-standard-4 figure (FACTS.md)."""
    table = load_pricing()
    assert table.vertex_factor == 1.15
    facts = {"us-central1": (0.19, 0.048, 0.35, 0.14), "asia-northeast3": (0.2438, 0.0539, 0.37, 0.148)}
    for region, (n1, n1_spot, t4, t4_spot) in facts.items():
        on = cost.rates_for(region, "n1-standard-4", False)
        sp = cost.rates_for(region, "n1-standard-4", True)
        assert on.machine_usd_per_hour == pytest.approx(1.15 * n1, abs=1e-5)
        assert sp.machine_usd_per_hour == pytest.approx(1.15 * n1_spot, abs=1e-5)
        assert on.gpu_usd_per_hour == pytest.approx(1.15 * t4)
        assert sp.gpu_usd_per_hour == pytest.approx(1.15 * t4_spot)
        assert not on.fallback and "estimate" in on.basis and region in on.basis
    assert cost.rates_for("us-central1", "n1-standard-4", False).machine_usd_per_hour == pytest.approx(0.2185, abs=1e-4)
    assert cost.rates_for("us-central1", "n1-standard-4", False).gpu_usd_per_hour == pytest.approx(0.4025)


@pytest.mark.parametrize("machine,shape", [
    ("n1-standard-1", (1, 3.75)), ("n1-highmem-16", (16, 104.0)), ("n1-highcpu-96", (96, 86.4)),
])
def test_every_n1_size_is_priced(machine, shape):
    assert n1_shape(machine) == pytest.approx(shape)
    vcpus, gb = shape
    r = cost.rates_for("us-central1", machine, False)
    assert r.machine_usd_per_hour == pytest.approx(1.15 * (vcpus * 0.031611 + gb * 0.004237))


def test_unknown_region_falls_back_and_says_so():
    r = cost.rates_for("europe-west4", "n1-standard-4", False)
    assert r.fallback and r.priced_region == "us-central1"
    assert "no prices for europe-west4" in r.basis and "us-central1" in r.basis


def test_overrides_replace_the_table():
    o = cost.RateOverrides(machine_usd_per_hour=0.30, gpu_usd_per_hour=0.50)
    r = cost.rates_for("asia-northeast3", "n1-standard-4", True, o)
    assert (r.machine_usd_per_hour, r.gpu_usd_per_hour, r.overridden) == (0.30, 0.50, True)
    assert "Settings" in r.basis
    assert round(cost.run_cost("n1-standard-4", 2, True, "asia-northeast3", 3600, overrides=o), 2) == 1.30
    half = cost.rates_for("us-central1", "n1-standard-4", False, cost.RateOverrides(gpu_usd_per_hour=0.5))
    assert half.machine_usd_per_hour == pytest.approx(0.21849885) and half.gpu_usd_per_hour == 0.5


def test_non_n1_machine_is_a_sentence_not_a_crash():
    with pytest.raises(cost.PricingError, match="not an N1 machine type"):
        cost.rates_for("us-central1", "a2-highgpu-1g", False)


def test_damaged_price_table_says_what_to_do(tmp_path):
    bad = tmp_path / "pricing.toml"
    bad.write_text("fallback_region = 'us-central1'\n[region.us-central1]\nt4_hour = 'x'\n")
    with pytest.raises(cost.PricingError, match="damaged") as info:
        load_pricing(bad)
    assert "Settings" in info.value.message
    with pytest.raises(cost.PricingError, match="missing"):
        load_pricing(tmp_path / "nope.toml")


def test_colab_plans_are_in_the_table():
    pro, plus, source = cost.colab_monthly()
    assert (pro, plus) == (9.99, 49.99) and "colab" in source.lower()
