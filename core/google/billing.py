"""Google's price list (Cloud Billing Catalog) and the currency of the operator's billing account.

`T4PANEL_BILLING_ENDPOINT` (a base URL, REST) points both Cloud Billing clients elsewhere, with the same
credentials rules as every other endpoint (core.google.endpoints). google-cloud-billing is imported inside
the functions: it is heavy and not needed on the way to the first window.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.errors import Message, T4Error, msg
from core.google.endpoints import dev_anonymous, google_credentials
from core.google.hosts import refuse_plain_http

log = logging.getLogger(__name__)

BILLING_ENV = "T4PANEL_BILLING_ENDPOINT"
#: Vertex AI in the Cloud Billing Catalog (the id Google's catalog gives the service, stable across years).
VERTEX_SERVICE = "services/C7E2-9256-1C43"
#: A page of SKUs; Vertex AI lists a few thousand, so a fetch is a handful of calls once a day.
PAGE_SIZE = 5000


class CatalogError(T4Error):
    """Google's price list or the billing account could not be read."""

    title_msg = Message("catalog.title", "Google's price list unavailable")


@dataclass(frozen=True)
class CatalogSku:
    """One SKU as the cost model needs it (structurally what core.cost.catalog.SkuRow asks for).

    Attributes:
        description: Google's words, e.g. "Vertex AI: Training on Nvidia Tesla T4 GPU running in Americas".
        regions: the regions it applies to (`service_regions`).
        usage_unit: "h" for cores and GPUs, "GiBy.h" for memory.
        unit_price: price of one usage unit, in `currency`, from the first (start 0) tier.
        currency: ISO 4217 code of `unit_price`.
        conversion_rate: USD x rate = `currency` (1.0 for USD).
        effective: the day the price took effect.
    """

    description: str
    regions: tuple[str, ...]
    usage_unit: str
    unit_price: float
    currency: str
    conversion_rate: float
    effective: date | None


def billing_endpoint() -> str:
    """The Cloud Billing API's base URL: the override, else Google's."""
    return os.environ.get(BILLING_ENV, "").strip() or "cloudbilling.googleapis.com"


def _client_args() -> dict[str, Any]:
    endpoint = billing_endpoint()
    refuse_plain_http(endpoint, BILLING_ENV)
    if dev_anonymous():
        from google.auth.credentials import AnonymousCredentials

        credentials: Any = AnonymousCredentials()
    else:
        credentials = google_credentials()
    # REST keeps an explicit http:// scheme, which a loopback test server needs.
    return {"credentials": credentials, "transport": "rest", "client_options": {"api_endpoint": endpoint}}


def _unreachable(exc: Exception) -> CatalogError:
    return CatalogError(msg("catalog.unreachable", "Google's price list could not be read ({error}).",
                            error=type(exc).__name__))


def list_vertex_skus(currency: str | None = None) -> list[CatalogSku]:
    """Every Vertex AI SKU with its current price, in `currency` (None: Google's default, USD).

    Raises:
        CatalogError: the catalog could not be read to the end (a half list is never returned).
        AuthError: not signed in, or plain http to another computer.
    """
    from google.api_core import exceptions as api_exc
    from google.auth import exceptions as auth_exc
    from google.cloud.billing_v1.services.cloud_catalog import CloudCatalogClient
    from google.cloud.billing_v1.types import ListSkusRequest

    client = CloudCatalogClient(**_client_args())
    request = ListSkusRequest(parent=VERTEX_SERVICE, page_size=PAGE_SIZE, currency_code=currency or "")
    out: list[CatalogSku] = []
    try:
        for sku in client.list_skus(request=request):
            row = _row(sku, currency or "USD")
            if row is not None:
                out.append(row)
    except (api_exc.GoogleAPIError, auth_exc.TransportError, OSError) as exc:
        raise _unreachable(exc) from exc
    except Exception as exc:  # requests' ConnectionError and friends come from below the client library
        if type(exc).__module__.startswith(("requests", "urllib3")):
            raise _unreachable(exc) from exc
        raise
    return out


def _row(sku: Any, currency: str) -> CatalogSku | None:
    if not sku.pricing_info:
        return None
    info = sku.pricing_info[-1]  # the latest price; the catalog lists one unless a time range is asked
    expr = info.pricing_expression
    tiers = sorted(expr.tiered_rates, key=lambda t: t.start_usage_amount)
    if not tiers:
        return None
    money = tiers[0].unit_price
    effective = info.effective_time.date() if info.effective_time else None
    return CatalogSku(
        description=sku.description, regions=tuple(sku.service_regions), usage_unit=expr.usage_unit,
        unit_price=int(money.units) + money.nanos / 1e9, currency=money.currency_code or currency,
        conversion_rate=float(info.currency_conversion_rate or 1.0), effective=effective)


def billing_currency(project_id: str) -> str | None:
    """The currency of the billing account that pays for `project_id`, or None when Google does not say.

    None covers a project without billing and a caller not allowed to see the account: the app then
    shows dollars and says so, which is not an error worth stopping for.
    """
    from google.api_core import exceptions as api_exc
    from google.auth import exceptions as auth_exc
    from google.cloud.billing_v1.services.cloud_billing import CloudBillingClient

    if not project_id:
        return None
    client = CloudBillingClient(**_client_args())
    try:
        info = client.get_project_billing_info(name=f"projects/{project_id}")
        if not info.billing_enabled or not info.billing_account_name:
            return None
        account = client.get_billing_account(name=info.billing_account_name)
    except (api_exc.GoogleAPIError, auth_exc.TransportError, OSError) as exc:
        log.info("billing account currency unknown: %s", type(exc).__name__)
        return None
    except Exception as exc:  # requests' ConnectionError and friends
        if type(exc).__module__.startswith(("requests", "urllib3")):
            log.info("billing account currency unknown: %s", type(exc).__name__)
            return None
        raise
    return str(account.currency_code) or None
