"""Which rates priced a figure, in the words the operator reads: Google's catalog with the operator's own rate
in it, a missing price table, and money in the billing currency.

Written against the mutation run's survivors in core/cost/rates.py and core/cost/catalog.py
(docs/testing.md): each test names the change it catches. The catalog is tests/support/advice.py's:
us-central1 on demand $0.04 per vCPU-hour, $0.005 per GB-hour, $0.45 per T4-hour; Spot $0.01, $0.00125,
$0.18; fetched 27 November 2026. n1-standard-4 is 4 vCPUs and 15 GB: $0.235/h on demand, $0.05875/h Spot.
"""

from __future__ import annotations

import pytest

from core.cost import catalog
from core.cost.rates import PricingError, RateOverrides, load_pricing, rates_for, run_cost
from tests.support.advice import FETCHED, seed_prices
from tests.support.korean import korean_text

CATALOG = "(estimate from Google's Cloud Billing Catalog, fetched 2026-11-27)."


@pytest.fixture
def korean():
    yield from korean_text()


def test_the_operators_own_t4_rate_replaces_googles_and_the_sentence_says_so():
    """T4 at the operator's $0.30/h, the machine at Google's $0.235/h: an hour costs $0.535.

    Kills the T4 override ignored when the catalog prices (`... and False`: $0.685), "Spot" said of on-demand
    rates, the catalog's day left out ("fetched None") and the two rate names swapped.
    """
    seed_prices()
    own = RateOverrides(gpu_usd_per_hour=0.30)
    assert run_cost("n1-standard-4", 1, False, "us-central1", 3600, overrides=own) == pytest.approx(0.535)
    rates = rates_for("us-central1", "n1-standard-4", False, own)
    assert rates.basis == ("Vertex AI on-demand rates, us-central1: n1-standard-4 $0.2350/h, T4 $0.3000/h each "
                           f"{CATALOG} Your own rate from Settings replaces the catalog's T4 rate.")


def test_the_operators_own_machine_rate_on_spot_is_named_as_the_machine_rate():
    """Spot, the machine at the operator's $0.10/h, the T4 at Google's Spot $0.18/h.

    Kills "XXSpotXX" and "XXmachine rate.XX" in the sentence.
    """
    seed_prices()
    rates = rates_for("us-central1", "n1-standard-4", True, RateOverrides(machine_usd_per_hour=0.10))
    assert rates.read_on == FETCHED
    assert rates.basis == ("Vertex AI Spot rates, us-central1: n1-standard-4 $0.1000/h, T4 $0.1800/h each "
                           f"{CATALOG} Your own rate from Settings replaces the catalog's machine rate.")


def test_a_missing_price_table_says_what_to_do_in_english_and_korean(tmp_path, korean):
    """Kills the changed id "pricing.table" (two spellings: the Korean window would show English) and the
    sentence's words in lower case."""
    with pytest.raises(PricingError) as missing:
        load_pricing(tmp_path / "pricing.toml")
    assert missing.value.message == ("The price table pricing.toml is missing, so costs cannot be estimated. "
                                     "Reinstall T4 Panel, or enter your own rates under Settings > Budget.")
    assert korean(missing.value.msg) == ("가격표 pricing.toml이(가) 없어 비용을 추정할 수 없습니다. T4 Panel을 다시 "
                                         "설치하거나 설정 > 예산에서 요금을 직접 입력하세요.")


def test_money_in_a_currency_without_a_symbol_is_the_amount_then_the_code():
    """Kills `if (symbol) or True`: a Swiss account would read "None12.34"."""
    assert catalog.money(12.34, "CHF") == "12.34 CHF"
    assert catalog.money(1234.4, "KRW") == "₩1,234"
    assert catalog.money(0.5, "USD") == "$0.50"


def test_prices_fetched_before_the_data_folder_exists_are_kept(tmp_path, monkeypatch):
    """A fresh machine: the first price fetch comes before anything else made the app's data folder.

    Kills `mkdir(exist_ok=True)` without `parents=True`.
    """
    monkeypatch.setenv("T4PANEL_HOME", str(tmp_path / "not" / "made" / "yet"))
    seed_prices()
    table = catalog.cached()
    assert table is not None and table.fetched_on == FETCHED
    assert table.prices("us-central1", False) == (0.04, 0.005, 0.45)
