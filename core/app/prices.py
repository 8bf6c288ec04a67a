"""Keep Google's price list fresh: at most one Cloud Billing Catalog fetch a day, the last good one kept.

Called in the background (the GUI's worker pool, the daemon's loop); a failed fetch never takes away the
prices the app has: the cached catalog stays in force and the outcome says of which day it is.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from core.cost import catalog
from core.errors import Message, T4Error, msg

log = logging.getLogger(__name__)


class Fetch(enum.Enum):
    FETCHED = "fetched"  # new prices from Google, saved
    FRESH = "fresh"  # already fetched today: no call made
    KEPT = "kept"  # the fetch failed; the cached catalog of an earlier day stays in force
    TABLE = "table"  # the fetch failed and none was ever cached: the price table stands in


@dataclass(frozen=True)
class PriceRefresh:
    """What a refresh did, with a sentence for the operator.

    Attributes:
        outcome: see Fetch.
        fetched_on: the day of the catalog now in force (None: the price table is).
        currency: the currency figures are shown in.
        message: what the Cost page says about its prices.
    """

    outcome: Fetch
    fetched_on: date | None
    currency: str
    message: Message


def refresh_prices(project_id: str, now: datetime | None = None, force: bool = False) -> PriceRefresh:
    """Fetch the Vertex AI training prices unless today's are cached (or `force`).

    Never raises for a network or Google problem: that is an outcome (KEPT / TABLE), not an error.
    """
    from core.google import billing  # heavy client library: only here, in the background

    now = now or datetime.now(UTC)
    have = catalog.cached()
    if not force and catalog.is_fresh(have, now):
        assert have is not None
        return PriceRefresh(Fetch.FRESH, have.fetched_on, have.currency, _in_force(have))
    try:
        currency = billing.billing_currency(project_id)
        skus = billing.list_vertex_skus(currency)
    except T4Error as exc:
        log.info("price list not refreshed: %s", exc.message)
        return _not_refreshed(have, lambda day: msg(
            "catalog.kept", "Google's price list could not be read just now, so prices fetched on {day} "
            "are used.", day=day), msg(
            "catalog.table", "Google's price list could not be read, so T4 Panel's own price table is used "
            "(US dollars)."))
    table = catalog.table_from_skus(skus, now.date(), currency_known=currency is not None)
    if not table.regions:
        # A reply without a single training SKU is a change at Google's end, not free compute.
        log.warning("the catalog listed no Vertex AI training SKU for N1 or T4")
        return _not_refreshed(have, lambda day: msg(
            "catalog.kept_empty", "Google's price list had no T4 training prices today, so prices fetched "
            "on {day} are used.", day=day), msg(
            "catalog.table_empty", "Google's price list had no T4 training prices, so T4 Panel's own price "
            "table is used (US dollars)."))
    catalog.save(table)
    return PriceRefresh(Fetch.FETCHED, table.fetched_on, table.currency, _in_force(table))


def _not_refreshed(have: catalog.CatalogTable | None, kept: Callable[[str], Message], table: Message) -> PriceRefresh:
    """No new price list: the last good one stays in force (`kept`, given its day), else the price table."""
    if have is not None:
        return PriceRefresh(Fetch.KEPT, have.fetched_on, have.currency, kept(have.fetched_on.isoformat()))
    return PriceRefresh(Fetch.TABLE, None, "USD", table)


def _in_force(table: catalog.CatalogTable) -> Message:
    if not table.currency_known:
        return msg("catalog.in_force_usd", "Prices from Google's price list, fetched on {day}, in US dollars: "
                   "Google did not tell the currency of your billing account.", day=table.fetched_on.isoformat())
    return msg("catalog.in_force", "Prices from Google's price list, fetched on {day}, in {currency} "
               "(1 US dollar = {rate} {currency}).", day=table.fetched_on.isoformat(), currency=table.currency,
               rate=f"{table.conversion_rate:g}")
