"""Vertex AI training prices from Google's Cloud Billing Catalog, cached under T4PANEL_HOME with their date.

The SKUs come from core.google.billing (fetched by core.app.prices at most once a day); this module turns
them into per-region hourly rates and keeps the last good set on disk, so a day without network still
prices runs from Google's list and says of which day. resources/pricing.toml stays the fallback.
Rates are kept in US dollars (history and budget are in dollars) with the billing currency's conversion
rate beside them: USD x rate = the operator's currency, the way the catalog itself states it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from core import paths

log = logging.getLogger(__name__)

#: The rates a region needs for on-demand (first three) and Spot (last three) prices.
KEYS = ("core", "ram", "t4", "core_spot", "ram_spot", "t4_spot")
SOURCE = "Google Cloud Billing Catalog (Vertex AI custom training SKUs)"
_HOURS_PER_UNIT = {"h": 1.0, "min": 60.0, "s": 3600.0}  # usage unit -> units in one hour


class SkuRow(Protocol):
    """What this module reads of a SKU (core.google.billing.CatalogSku has these)."""

    @property
    def description(self) -> str: ...
    @property
    def regions(self) -> tuple[str, ...]: ...
    @property
    def usage_unit(self) -> str: ...
    @property
    def unit_price(self) -> float: ...
    @property
    def currency(self) -> str: ...
    @property
    def conversion_rate(self) -> float: ...


@dataclass(frozen=True)
class CatalogTable:
    """Google's Vertex AI training rates per region (USD per hour; RAM per GB-hour) as fetched on one day.

    Attributes:
        fetched_on: the (UTC) day of the fetch: the date every estimate from these rates names.
        currency: the billing account's currency the catalog was asked for ("USD" when unknown).
        conversion_rate: USD x rate = `currency`, as the catalog stated it (1.0 for USD).
        currency_known: False when Google would not say the account's currency (dollars, said plainly).
        regions: region -> {key of KEYS: rate}; a region lacks a key Google did not list.
    """

    fetched_on: date
    currency: str
    conversion_rate: float
    currency_known: bool
    regions: dict[str, dict[str, float]] = field(default_factory=dict)

    def prices(self, region: str, spot: bool) -> tuple[float, float, float] | None:
        """(per vCPU-hour, per GB-hour, per T4-hour) in USD for `region`, or None when Google lists not all three."""
        r = self.regions.get(region, {})
        keys = ("core_spot", "ram_spot", "t4_spot") if spot else ("core", "ram", "t4")
        if not all(k in r for k in keys):
            return None
        return r[keys[0]], r[keys[1]], r[keys[2]]


def sku_key(description: str) -> str | None:
    """Which rate a Vertex AI SKU is, from Google's description; None for any other SKU.

    Google names the training SKUs in words ("Vertex AI: Training on N1 Predefined Instance Core running in
    Americas", "... Nvidia Tesla T4 GPU ...", Spot ones with "Spot" or "Preemptible"); their ids carry no
    meaning, so the words are what can be matched.
    """
    d = description.lower()
    if "training" not in d or "prediction" in d or "commitment" in d:
        return None
    spot = "_spot" if ("spot" in d or "preemptible" in d) else ""
    if re.search(r"\bt4\b", d):
        return "t4" + spot
    if re.search(r"\bn1\b", d) and "n1 custom" not in d:  # custom machine types are priced apart
        if "ram" in d or "memory" in d:
            return "ram" + spot
        if "core" in d or "cpu" in d:
            return "core" + spot
    return None


def _per_hour(row: SkuRow, key: str) -> float | None:
    unit = row.usage_unit
    if key.startswith("ram"):
        if not unit.startswith("GiBy."):
            return None
        unit = unit.removeprefix("GiBy.")
    factor = _HOURS_PER_UNIT.get(unit)
    return None if factor is None else row.unit_price * factor


def table_from_skus(skus: Iterable[SkuRow], fetched_on: date, currency_known: bool) -> CatalogTable:
    """The per-region rates (in USD) of every N1 / T4 training SKU among `skus`."""
    regions: dict[str, dict[str, float]] = {}
    currency, rate = "USD", 1.0
    for row in skus:
        key = sku_key(row.description)
        price = _per_hour(row, key) if key else None
        if key is None or price is None:
            continue
        currency, rate = row.currency or "USD", row.conversion_rate or 1.0
        usd = price / rate
        for region in row.regions:
            # Two SKUs for one rate and region would be a change in how Google lists them: keep the first.
            regions.setdefault(region, {}).setdefault(key, usd)
    return CatalogTable(fetched_on=fetched_on, currency=currency, conversion_rate=rate,
                        currency_known=currency_known, regions=regions)


def cache_path() -> Path:
    return paths.data_dir() / "prices" / "catalog.json"


def save(table: CatalogTable) -> None:
    """Write the table atomically (a crash mid-write leaves the previous day's prices)."""
    path = cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({
        "source": SOURCE, "fetched_on": table.fetched_on.isoformat(), "currency": table.currency,
        "conversion_rate": table.conversion_rate, "currency_known": table.currency_known,
        "regions": table.regions}, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    _memo.clear()


_memo: dict[tuple[str, int], CatalogTable | None] = {}


def cached() -> CatalogTable | None:
    """The last fetched table, or None when there is none (or it is damaged: the price table stands in)."""
    path = cache_path()
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if stamp in _memo:
        return _memo[stamp]
    table: CatalogTable | None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        table = CatalogTable(
            fetched_on=date.fromisoformat(data["fetched_on"]), currency=str(data["currency"]),
            conversion_rate=float(data["conversion_rate"]), currency_known=bool(data["currency_known"]),
            regions={str(r): {str(k): float(v) for k, v in rates.items() if k in KEYS}
                     for r, rates in data["regions"].items()})
        if table.conversion_rate <= 0:
            raise ValueError("conversion rate")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("cached catalog prices unreadable, using the price table: %s", exc)
        table = None
    _memo.clear()
    _memo[stamp] = table
    return table


def is_fresh(table: CatalogTable | None, now: datetime) -> bool:
    """True when `table` was fetched on `now`'s (UTC) day: no second fetch that day."""
    return table is not None and table.fetched_on == now.date()


_SYMBOLS = {"USD": "$", "KRW": "₩", "JPY": "¥", "EUR": "€", "GBP": "£"}
_NO_DECIMALS = {"KRW", "JPY"}


def money(amount: float, currency: str) -> str:
    """`amount` as the operator reads it: "$1.23", "₩1,234", "12.34 CHF"."""
    digits = 0 if currency in _NO_DECIMALS else 2
    text = f"{amount:,.{digits}f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
