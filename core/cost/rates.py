"""Hourly rates of a T4 job on Vertex AI, read from resources/pricing.toml, and the cost formula.

Prices are data (resources/pricing.toml, with their source and date), never code. Every figure this
module returns is an estimate, and `Rates.basis` says in one sentence which rates were used.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core import paths
from core.cost import catalog
from core.cost.catalog import CatalogTable
from core.errors import Message, T4Error, msg

#: GB of memory per vCPU for each N1 family (Compute Engine machine type docs).
N1_GB_PER_VCPU = {"standard": 3.75, "highmem": 6.5, "highcpu": 0.9}
_N1 = re.compile(r"^n1-(standard|highmem|highcpu)-([0-9]+)$")
_RATE_KEYS = ("n1_vcpu_hour", "n1_gb_hour", "n1_spot_vcpu_hour", "n1_spot_gb_hour", "t4_hour", "t4_spot_hour")


class PricingError(T4Error):
    """The price table is missing or damaged, or a machine type cannot be priced."""

    title_msg = Message("pricing.title", "Cost estimate unavailable")


@dataclass(frozen=True)
class RegionPrices:
    """One region's Compute Engine list prices (USD per hour) as stored in pricing.toml."""

    region: str
    source: str
    read_on: date
    n1_vcpu_hour: float
    n1_gb_hour: float
    n1_spot_vcpu_hour: float
    n1_spot_gb_hour: float
    t4_hour: float
    t4_spot_hour: float
    estimated: tuple[str, ...] = ()


@dataclass(frozen=True)
class PriceTable:
    """The whole pricing file."""

    regions: dict[str, RegionPrices]
    fallback_region: str
    vertex_factor: float
    vertex_source: str
    colab_pro_monthly: float
    colab_pro_plus_monthly: float
    colab_source: str


@dataclass(frozen=True)
class RateOverrides:
    """The operator's own Vertex rates from Settings (USD per hour); None keeps the table's figure.

    They replace the table for on-demand and Spot alike: the operator is saying what they pay.
    """

    machine_usd_per_hour: float | None = None
    gpu_usd_per_hour: float | None = None

    @property
    def active(self) -> bool:
        return self.machine_usd_per_hour is not None or self.gpu_usd_per_hour is not None


@dataclass(frozen=True)
class Rates:
    """Vertex AI rates for one machine in one region (USD per hour, estimates).

    Attributes:
        machine_usd_per_hour: the whole N1 machine (vCPUs and memory).
        gpu_usd_per_hour: one T4.
        region: the region asked for; `priced_region` is the one whose prices were used.
        fallback: True when the region had no prices and `priced_region` stood in for it.
        overridden: True when at least one figure came from the operator's Settings.
        basis: one sentence for the UI saying which rates these are.
    """

    machine_usd_per_hour: float
    gpu_usd_per_hour: float
    region: str
    priced_region: str
    machine_type: str
    spot: bool
    fallback: bool
    overridden: bool
    source: str
    read_on: date | None
    basis: str
    from_catalog: bool = False
    currency: str = "USD"
    conversion_rate: float = 1.0

    @property
    def source_label(self) -> str:
        """Which prices and of which day, in a few words: every figure shown names it."""
        day = self.read_on.isoformat() if self.read_on else "?"
        if self.overridden and self.basis.startswith("Your own rates"):
            return "your own rates from Settings"
        return f"Google Cloud Billing Catalog, {day}" if self.from_catalog else f"price table, {day}"

    def local(self, usd: float) -> float:
        """`usd` in the operator's billing currency (`currency`)."""
        return usd * self.conversion_rate

    def per_hour(self, accelerator_count: int, replicas: int = 1) -> float:
        """(machine + GPUs) x replicas, USD per hour."""
        return (self.machine_usd_per_hour + accelerator_count * self.gpu_usd_per_hour) * replicas


def _pricing_error(path: Path, why: Message) -> PricingError:
    return PricingError(msg("pricing.table", "The price table {file} {why}, so costs cannot be estimated. Reinstall "
                            "T4 Panel, or enter your own rates under Settings > Budget.", file=path.name, why=why))


@functools.lru_cache(maxsize=4)
def load_pricing(path: Path | None = None) -> PriceTable:
    """Read and check pricing.toml (cached: it is read once per process).

    Raises:
        PricingError: the file is missing, not TOML, or lacks a figure.
    """
    path = path or paths.resources_dir() / "pricing.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _pricing_error(path, msg("pricing.why.missing", "is missing")) from exc
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _pricing_error(path, msg("pricing.why.unreadable", "could not be read")) from exc
    try:
        regions = {name: _region(name, table) for name, table in data["region"].items()}
        vertex, colab = data["vertex"], data["colab"]
        table = PriceTable(
            regions=regions,
            fallback_region=str(data["fallback_region"]),
            vertex_factor=float(vertex["factor"]),
            vertex_source=str(vertex["source"]),
            colab_pro_monthly=float(colab["pro_monthly"]),
            colab_pro_plus_monthly=float(colab["pro_plus_monthly"]),
            colab_source=str(colab["source"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _pricing_error(path, msg("pricing.why.damaged", "is damaged ({error})", error=exc)) from exc
    if table.fallback_region not in regions:
        raise _pricing_error(path, msg("pricing.why.no_fallback", "has no prices for its fallback region"))
    return table


def _region(name: str, t: dict[str, Any]) -> RegionPrices:
    rates = {k: float(t[k]) for k in _RATE_KEYS}
    if any(not (0 <= v < 1000) for v in rates.values()):
        raise ValueError(f"a rate of {name} is out of range")
    read_on = t["read_on"]
    if not isinstance(read_on, date):
        raise TypeError(f"read_on of {name} is not a date")
    return RegionPrices(region=name, source=str(t["source"]), read_on=read_on,
                        estimated=tuple(t.get("estimated", ())), **rates)


def n1_shape(machine_type: str) -> tuple[int, float]:
    """(vCPUs, GB of memory) of an N1 machine type.

    Raises:
        PricingError: not an N1 machine type (the only ones a T4 attaches to).
    """
    m = _N1.match(machine_type or "")
    if not m:
        raise PricingError(msg("pricing.not_n1", "{machine} is not an N1 machine type, so it cannot be priced; T4 "
                               "GPUs attach to n1-standard, n1-highmem and n1-highcpu only.",
                               machine=machine_type or msg("pricing.this_machine", "This machine type")))
    vcpus = int(m.group(2))
    return vcpus, vcpus * N1_GB_PER_VCPU[m.group(1)]


def rates_for(
    region: str,
    machine_type: str,
    spot: bool,
    overrides: RateOverrides | None = None,
    table: PriceTable | None = None,
    listing: CatalogTable | bool | None = True,
) -> Rates:
    """Vertex AI rates for `machine_type` with T4s in `region`, on demand or Spot.

    Google's own price list (the cached Cloud Billing Catalog) comes first; the price table stands in for
    a region or kind the catalog lacks, and whenever no catalog was ever fetched.

    Args:
        listing: the catalog to use; True (default) reads the cached one, None or False uses the table only.

    Raises:
        PricingError: the machine type is not N1, or the price table cannot be read.
    """
    vcpus, gb = n1_shape(machine_type)
    found = catalog.cached() if listing is True else (listing or None)
    listed = found.prices(region, spot) if found is not None else None
    if found is not None and listed is not None:
        return _catalog_rates(found, listed, region, machine_type, spot, vcpus, gb, overrides or RateOverrides())
    table = table or load_pricing()
    fallback = region not in table.regions
    prices = table.regions[table.fallback_region if fallback else region]
    f = table.vertex_factor
    if spot:
        machine = f * (vcpus * prices.n1_spot_vcpu_hour + gb * prices.n1_spot_gb_hour)
        gpu = f * prices.t4_spot_hour
    else:
        machine = f * (vcpus * prices.n1_vcpu_hour + gb * prices.n1_gb_hour)
        gpu = f * prices.t4_hour
    overrides = overrides or RateOverrides()
    if overrides.machine_usd_per_hour is not None:
        machine = overrides.machine_usd_per_hour
    if overrides.gpu_usd_per_hour is not None:
        gpu = overrides.gpu_usd_per_hour
    kind = "Spot" if spot else "on-demand"
    if overrides.machine_usd_per_hour is not None and overrides.gpu_usd_per_hour is not None:
        basis = (f"Your own rates from Settings: {machine_type} ${machine:.4f}/h and ${gpu:.4f}/h per T4 "
                 f"(estimate).")
    else:
        where = (f"no prices for {region} in the table, so {prices.region} rates are used"
                 if fallback else f"{prices.region}")
        basis = (f"Vertex AI {kind} rates, {where}: {machine_type} ${machine:.4f}/h, T4 ${gpu:.4f}/h each "
                 f"(estimate: {f:g} x Compute Engine list prices read {prices.read_on.isoformat()}).")
        if overrides.active:
            basis += " Your own rate from Settings replaces the table's " + (
                "machine rate." if overrides.machine_usd_per_hour is not None else "T4 rate.")
    return Rates(
        machine_usd_per_hour=machine, gpu_usd_per_hour=gpu, region=region, priced_region=prices.region,
        machine_type=machine_type, spot=spot, fallback=fallback, overridden=overrides.active,
        source=prices.source, read_on=prices.read_on, basis=basis,
        currency=found.currency if found else "USD", conversion_rate=found.conversion_rate if found else 1.0,
    )


def _catalog_rates(found: CatalogTable, listed: tuple[float, float, float], region: str, machine_type: str,
                   spot: bool, vcpus: int, gb: float, overrides: RateOverrides) -> Rates:
    core, ram, t4 = listed
    machine = overrides.machine_usd_per_hour if overrides.machine_usd_per_hour is not None else vcpus * core + gb * ram
    gpu = overrides.gpu_usd_per_hour if overrides.gpu_usd_per_hour is not None else t4
    kind = "Spot" if spot else "on-demand"
    day = found.fetched_on.isoformat()
    if overrides.machine_usd_per_hour is not None and overrides.gpu_usd_per_hour is not None:
        basis = (f"Your own rates from Settings: {machine_type} ${machine:.4f}/h and ${gpu:.4f}/h per T4 "
                 f"(estimate).")
    else:
        basis = (f"Vertex AI {kind} rates, {region}: {machine_type} ${machine:.4f}/h, T4 ${gpu:.4f}/h each "
                 f"(estimate from Google's Cloud Billing Catalog, fetched {day}).")
        if overrides.active:
            basis += " Your own rate from Settings replaces the catalog's " + (
                "machine rate." if overrides.machine_usd_per_hour is not None else "T4 rate.")
    return Rates(
        machine_usd_per_hour=machine, gpu_usd_per_hour=gpu, region=region, priced_region=region,
        machine_type=machine_type, spot=spot, fallback=False, overridden=overrides.active,
        source=catalog.SOURCE, read_on=found.fetched_on, basis=basis, from_catalog=True,
        currency=found.currency, conversion_rate=found.conversion_rate,
    )


def run_cost(
    machine_type: str,
    accelerator_count: int,
    spot: bool,
    region: str,
    seconds: float,
    replicas: int = 1,
    overrides: RateOverrides | None = None,
) -> float:
    """(machine rate + GPU count x GPU rate) x replicas x hours, in USD (unrounded estimate).

    Raises:
        PricingError: the machine type cannot be priced.
    """
    rates = rates_for(region, machine_type, spot, overrides)
    return rates.per_hour(accelerator_count, replicas) * max(0.0, seconds) / 3600.0


def colab_monthly() -> tuple[float, float, str]:
    """(Colab Pro, Colab Pro+, source): the flat monthly plans operators compare with."""
    t = load_pricing()
    return t.colab_pro_monthly, t.colab_pro_plus_monthly, t.colab_source
