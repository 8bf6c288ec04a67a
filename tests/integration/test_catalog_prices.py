"""Prices from Google's Cloud Billing Catalog: the real google-cloud-billing clients against a strict fake.

What the operator checks: a run's cost from Google's own rates, in won and in dollars, to the smallest
coin; a day without network keeps yesterday's prices and says so; one fetch a day at most; and every
figure names its source and date.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest

from core.app.prices import Fetch, refresh_prices
from core.cost import catalog
from core.cost.rates import RateOverrides, rates_for, run_cost
from tests.integration.fakes.billing_server import Billing, FakeBilling, FakeSku

AMERICAS = ("us-central1", "us-east1")
SEOUL = ("asia-northeast3",)
# Vertex AI custom-training SKUs as Google words them (USD); the Seoul ones are what the run below pays.
SKUS = [
    FakeSku("Vertex AI: Training on N1 Predefined Instance Core running in Americas", AMERICAS, "h", 0.036353),
    FakeSku("Vertex AI: Training on N1 Predefined Instance Ram running in Americas", AMERICAS, "GiBy.h", 0.004873),
    FakeSku("Vertex AI: Training on Nvidia Tesla T4 GPU running in Americas", AMERICAS, "h", 0.4025),
    FakeSku("Vertex AI: Training on N1 Predefined Instance Core running in Seoul", SEOUL, "h", 0.046646),
    FakeSku("Vertex AI: Training on N1 Predefined Instance Ram running in Seoul", SEOUL, "GiBy.h", 0.006252),
    FakeSku("Vertex AI: Training on Nvidia Tesla T4 GPU running in Seoul", SEOUL, "h", 0.4255),
    FakeSku("Vertex AI: Training on Spot Preemptible N1 Predefined Instance Core running in Seoul", SEOUL, "h",
            0.011662, "Preemptible"),
    FakeSku("Vertex AI: Training on Spot Preemptible N1 Predefined Instance Ram running in Seoul", SEOUL,
            "GiBy.h", 0.001563, "Preemptible"),
    FakeSku("Vertex AI: Training on Spot Preemptible Nvidia Tesla T4 GPU running in Seoul", SEOUL, "h", 0.17,
            "Preemptible"),
    # Not training, and a GPU the app never uses: must not leak into the T4 rates.
    FakeSku("Vertex AI: Online/Batch Prediction Nvidia Tesla T4 GPU running in Seoul", SEOUL, "h", 9.99),
    FakeSku("Vertex AI: Training on Nvidia Tesla V100 GPU running in Americas", AMERICAS, "h", 2.852),
]
KOREAN_ACCOUNT = Billing(projects={"my-proj": "billingAccounts/0A1B2C-3D4E5F-6A7B8C"},
                         currencies={"billingAccounts/0A1B2C-3D4E5F-6A7B8C": "KRW"},
                         rates={"USD": 1.0, "KRW": 1400.5})
DAY1 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
DAY2 = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
# One run: n1-standard-4 (4 vCPU, 15 GB) + one T4 in Seoul, on demand, 1 h 30 min.
RUN = {"machine_type": "n1-standard-4", "accelerator_count": 1, "spot": False, "region": "asia-northeast3",
       "seconds": 5400}


@pytest.fixture
def billing_api(google_signed_in, monkeypatch):
    # a copy: tests change the account (a currency Google lacks), and the next test must not inherit that
    with FakeBilling(SKUS, copy.deepcopy(KOREAN_ACCOUNT)) as fake:
        monkeypatch.setenv("T4PANEL_BILLING_ENDPOINT", fake.url)
        yield fake


def test_a_run_costs_to_the_won_and_to_the_cent_from_catalog_prices(billing_api):
    done = refresh_prices("my-proj", now=DAY1)

    assert done.outcome is Fetch.FETCHED and done.currency == "KRW"
    assert "currencyCode" in billing_api.calls[-1][1] and billing_api.calls[-1][1]["currencyCode"] == ["KRW"]
    assert billing_api.sku_pages() == 4  # 11 SKUs in pages of 3: every page read, none twice
    rates = rates_for("asia-northeast3", "n1-standard-4", spot=False)
    usd = run_cost(**RUN)
    # (4 x 0.046646 + 15 x 0.006252 + 0.4255) x 1.5 h
    assert usd == pytest.approx(1.058796, abs=1e-6)
    assert catalog.money(usd, "USD") == "$1.06"
    assert rates.currency == "KRW"
    assert catalog.money(rates.local(usd), rates.currency) == "₩1,483"  # 1.058796 x 1400.5 = 1482.84
    assert rates.from_catalog and rates.source_label == "Google Cloud Billing Catalog, 2026-11-29"
    assert "Cloud Billing Catalog, fetched 2026-11-29" in rates.basis
    assert "1 US dollar = 1400.5 KRW" in done.message.text


def test_spot_prices_come_from_the_spot_skus_and_prediction_skus_are_left_out(billing_api):
    refresh_prices("my-proj", now=DAY1)

    spot = rates_for("asia-northeast3", "n1-standard-4", spot=True)
    assert spot.machine_usd_per_hour == pytest.approx(4 * 0.011662 + 15 * 0.001563)
    assert spot.gpu_usd_per_hour == pytest.approx(0.17)
    assert rates_for("asia-northeast3", "n1-standard-4", spot=False).gpu_usd_per_hour == pytest.approx(0.4255)


def test_without_a_known_currency_the_dollars_are_said_plainly(google_signed_in, monkeypatch):
    with FakeBilling(SKUS, Billing()) as fake:  # a project whose billing account Google does not show
        monkeypatch.setenv("T4PANEL_BILLING_ENDPOINT", fake.url)
        done = refresh_prices("my-proj", now=DAY1)

    assert done.outcome is Fetch.FETCHED and done.currency == "USD"
    assert "in US dollars" in done.message.text and "did not tell" in done.message.text
    usd = run_cost(**RUN)
    assert catalog.money(rates_for("asia-northeast3", "n1-standard-4", False).local(usd), "USD") == "$1.06"


def test_at_most_one_fetch_a_day(billing_api):
    refresh_prices("my-proj", now=DAY1)
    calls = len(billing_api.calls)

    again = refresh_prices("my-proj", now=DAY1.replace(hour=23))

    assert again.outcome is Fetch.FRESH and len(billing_api.calls) == calls
    assert refresh_prices("my-proj", now=DAY2).outcome is Fetch.FETCHED


def test_network_pulled_mid_fetch_keeps_the_cached_prices_and_says_so(billing_api):
    refresh_prices("my-proj", now=DAY1)
    before = catalog.cache_path().read_bytes()
    billing_api.cut_after_pages = billing_api.sku_pages() + 2  # two pages of the next fetch, then nothing

    done = refresh_prices("my-proj", now=DAY2)

    assert done.outcome is Fetch.KEPT and done.fetched_on == date(2026, 11, 29)
    assert "could not be read just now" in done.message.text and "2026-11-29" in done.message.text
    assert catalog.cache_path().read_bytes() == before  # a half list never replaces a whole one
    rates = rates_for("asia-northeast3", "n1-standard-4", spot=False)
    assert rates.from_catalog and rates.read_on == date(2026, 11, 29)


def test_no_network_and_no_cache_falls_back_to_the_price_table_and_says_so(billing_api):
    billing_api.cut_after_pages = 0

    done = refresh_prices("my-proj", now=DAY1)

    assert done.outcome is Fetch.TABLE and "own price table" in done.message.text
    rates = rates_for("asia-northeast3", "n1-standard-4", spot=False)
    assert not rates.from_catalog and rates.source_label.startswith("price table, ")


@pytest.mark.parametrize("case", ["catalog", "table", "table-fallback-region", "own-rates", "one-own-rate"])
def test_every_figure_names_its_source_and_date(billing_api, case):
    if case not in ("table", "table-fallback-region"):
        refresh_prices("my-proj", now=DAY1)
    overrides = {"own-rates": RateOverrides(0.3, 0.5), "one-own-rate": RateOverrides(gpu_usd_per_hour=0.5)}
    region = "europe-west4" if case == "table-fallback-region" else "asia-northeast3"
    rates = rates_for(region, "n1-standard-4", spot=False, overrides=overrides.get(case))

    assert rates.source and rates.read_on is not None, f"{case}: a figure without a source"
    assert rates.source_label and (rates.read_on.isoformat() in rates.source_label or case == "own-rates")
    assert rates.basis


def test_the_fake_catalog_refuses_what_google_refuses(billing_api, google_signed_in):
    """A fake is only as good as what it refuses: no token, an unknown parameter, a currency Google lacks."""
    import json
    import urllib.error
    import urllib.request

    def get(path: str, token: str | None) -> int:
        request = urllib.request.Request(billing_api.url + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                return reply.status
        except urllib.error.HTTPError as exc:
            json.loads(exc.read())  # Google's error shape: JSON, never a bare page
            return exc.code

    from google.auth.transport.requests import Request

    from core.google import endpoints

    creds = endpoints.google_credentials()
    creds.refresh(Request())
    assert get("/v1/services/C7E2-9256-1C43/skus", None) == 401
    assert get("/v1/services/C7E2-9256-1C43/skus?currency=KRW", creds.token) == 400
    assert get("/v1/services/C7E2-9256-1C43/skus", creds.token) == 200
    billing_api.billing.currencies["billingAccounts/0A1B2C-3D4E5F-6A7B8C"] = "XTS"  # no price in it

    assert refresh_prices("my-proj", now=DAY1).outcome is Fetch.TABLE  # and the app says so
