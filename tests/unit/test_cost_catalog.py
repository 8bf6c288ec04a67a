"""Google's Cloud Billing Catalog SKUs as per-region hourly rates in US dollars (core.cost.catalog.table_from_skus):
what the Cost page and the Job page's estimate price a run with once the catalog has been read.

Written against the mutation run's survivors (docs/testing.md): only tests/integration/test_catalog_prices.py
reached these before. Hand-worked example: an account billed in won (USD 1 = KRW 1,400, as the catalog states
it), so every KRW price divided by 1,400 is the dollar rate the page shows.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.cost.catalog import sku_key, table_from_skus
from core.google.billing import CatalogSku

KRW = 1400.0
DAY = date(2026, 11, 29)
AMERICAS = ("us-central1", "us-east1")


def sku(description: str, unit: str, usd: float, regions: tuple[str, ...] = AMERICAS,
        currency: str = "KRW", rate: float = KRW) -> CatalogSku:
    return CatalogSku(description, regions, unit, usd * rate, currency, rate, DAY)


def test_won_prices_become_dollar_rates_per_region_on_demand_and_spot():
    """Core $0.0437/h, RAM $0.00586 per GiB-hour, T4 $0.4025/h; Spot: core $0.0110/h (per minute: $0.0110 / 60
    a minute), T4 $0.161/h. Each in KRW at 1,400 won a dollar; the table keeps dollars and the rate."""
    table = table_from_skus([
        sku("Vertex AI: Training on N1 Predefined Instance Core running in Americas", "h", 0.0437),
        sku("Vertex AI: Training on N1 Predefined Instance Ram running in Americas", "GiBy.h", 0.00586),
        sku("Vertex AI: Training on Nvidia Tesla T4 GPU running in Americas", "h", 0.4025),
        sku("Vertex AI: Training on Spot Preemptible N1 Predefined Instance Core running in Americas", "min",
            0.0110 / 60),
        sku("Vertex AI: Training on Spot Preemptible N1 Predefined Instance Ram running in Americas", "GiBy.h", 0.0012),
        sku("Vertex AI: Training on Preemptible Nvidia Tesla T4 GPU running in Americas", "h", 0.161),
    ], DAY, currency_known=True)
    # kills: RAM never priced (`startswith("giby.")`), every rate None (`or True`, `is not None`), on-demand T4
    # taken for Spot (`"preemptible" not in d`), N1 never matched (r"XX\bn1\bXX"), KRW kept as dollars
    # (`conversion_rate and 1.0`)
    expected = {"core": 0.0437, "ram": 0.00586, "t4": 0.4025, "core_spot": 0.0110, "ram_spot": 0.0012,
                "t4_spot": 0.161}
    assert table.regions.keys() == set(AMERICAS)
    for region in AMERICAS:
        assert table.regions[region] == {k: pytest.approx(v) for k, v in expected.items()}
    assert (table.currency, table.conversion_rate, table.fetched_on) == ("KRW", KRW, DAY)
    assert table.prices("us-east1", spot=True) == pytest.approx((0.0110, 0.0012, 0.161))


def test_a_sku_in_an_hourly_table_with_a_unit_it_cannot_read_is_left_out_not_a_crash():
    """RAM billed per GiB-month cannot be an hourly rate: that SKU is skipped, the others still count."""
    # kills `key is None and price is None`: the unreadable SKU would go on to None / 1400 (a TypeError)
    table = table_from_skus([
        sku("Vertex AI: Training on N1 Predefined Instance Ram running in Americas", "GiBy.mo", 4.2),
        sku("Vertex AI: Training on Nvidia Tesla T4 GPU running in Americas", "h", 0.4025),
    ], DAY, currency_known=True)
    assert table.regions == {r: {"t4": pytest.approx(0.4025)} for r in AMERICAS}


def test_a_catalog_without_a_training_sku_is_an_empty_table_in_dollars():
    # kills the starting currency "XXUSDXX": with nothing priced, the table says dollars at 1.0
    table = table_from_skus([sku("Vertex AI: Prediction on Nvidia Tesla T4 GPU running in Americas", "h", 0.4)],
                            DAY, currency_known=False)
    assert (table.regions, table.currency, table.conversion_rate) == ({}, "USD", 1.0)


@pytest.mark.parametrize(("description", "key"), [
    ("Vertex AI: Training on N1 Predefined Instance vCPU running in Americas", "core"),  # kills `"CPU" in d`
    ("Vertex AI: Training on Spot Nvidia Tesla T4 GPU running in Asia Pacific", "t4_spot"),
    ("Vertex AI: Training on N1 Custom Instance Core running in Americas", None),  # custom machines priced apart
    ("Vertex AI: Training on A100 GPU running in Americas", None),
])
def test_which_rate_a_sku_is_follows_googles_words(description, key):
    assert sku_key(description) == key
