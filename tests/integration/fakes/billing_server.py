"""A Cloud Billing API on 127.0.0.1 for the real google-cloud-billing clients (REST transport).

Serves `services.skus.list` (the Catalog, with `currencyCode` and paging), `projects.getBillingInfo` and
`billingAccounts.get`; every request is checked against Google's discovery document (cloudbilling.v1)
and every answer against its schemas, and the caller's token is checked first (google_auth.BearerCheck),
as vertex_server.py does. `cut_after_pages` pulls the network mid-fetch: the connection closes unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.integration.fakes.discovery import Api, bad_request, google_error, not_found
from tests.integration.fakes.google_auth import BearerCheck
from tests.integration.fakes.http_base import HttpFake, rest_handler, shaped

API = Api.load("cloudbilling.v1", proto_package="google.cloud.billing.v1")
VERTEX = "C7E2-9256-1C43"
_SERVED = {"cloudbilling.services.skus.list", "cloudbilling.projects.getBillingInfo",
           "cloudbilling.billingAccounts.get"}


@dataclass(frozen=True)
class FakeSku:
    """One SKU, priced in USD; the server converts to the asked currency like the catalog does."""

    description: str
    regions: tuple[str, ...]
    usage_unit: str  # "h" or "GiBy.h"
    usd: float
    usage_type: str = "OnDemand"


@dataclass
class Billing:
    """The account side: which account pays for which project, and in which currency."""

    projects: dict[str, str] = field(default_factory=dict)  # project id -> billingAccounts/XXXX
    currencies: dict[str, str] = field(default_factory=dict)  # billingAccounts/XXXX -> "KRW"
    rates: dict[str, float] = field(default_factory=lambda: {"USD": 1.0})  # USD x rate = currency


class FakeBilling(HttpFake):
    """Use as a context manager; `url` is the value for T4PANEL_BILLING_ENDPOINT."""

    def __init__(self, skus: list[FakeSku], billing: Billing | None = None, page_size_cap: int = 3) -> None:
        # A client cut off mid-page is what the tests do on purpose: no handler error is printed.
        super().__init__(rest_handler(self, ["GET"]), "fake-billing", hush=(BaseException,))
        self.skus = skus
        self.billing = billing or Billing()
        self.page_size_cap = page_size_cap  # small pages, so a fetch takes several calls (as Google's does)
        self.cut_after_pages: int | None = None
        self.auth = BearerCheck(service="cloudbilling.googleapis.com")
        self.calls: list[tuple[str, dict[str, list[str]]]] = []
        self._pages = 0

    def sku_pages(self) -> int:
        return sum(1 for path, _ in self.calls if path.endswith("/skus"))

    def answer(self, verb: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any] | None:
        """The reply to a GET (the caller's token already checked), or None to hang up without one."""
        call = API.match(verb, path, query)
        if call is None:
            return 404, not_found(verb, path)
        if call.method.id not in _SERVED:
            return 501, google_error(501, "UNIMPLEMENTED", f"{call.method.id} is not served by this fake.")
        problems = API.check_query(call.method, query)
        if problems:
            return 400, bad_request(problems)
        self.calls.append((path, query))
        if call.method.id == "cloudbilling.services.skus.list":
            if call.params.get("parent") != f"services/{VERTEX}":
                return 404, google_error(404, "NOT_FOUND", "Service not found.")
            self._pages += 1
            if self.cut_after_pages is not None and self._pages > self.cut_after_pages:
                return None  # the network is gone: no answer at all
            payload = self._skus(query)
        elif call.method.id == "cloudbilling.projects.getBillingInfo":
            project = call.params["name"].removeprefix("projects/")
            account = self.billing.projects.get(project, "")
            payload = {"name": f"projects/{project}/billingInfo", "projectId": project,
                       "billingAccountName": account, "billingEnabled": bool(account)}
        else:
            name = call.params["name"]
            if name not in self.billing.currencies:
                return 403, google_error(403, "PERMISSION_DENIED", "The caller does not have permission")
            payload = {"name": name, "open": True, "displayName": "My Billing Account", "masterBillingAccount": "",
                       "currencyCode": self.billing.currencies[name]}
        if isinstance(payload, tuple):
            return payload
        return shaped(API, call, 200, payload, self.shape_errors)

    def _skus(self, query: dict[str, list[str]]) -> Any:
        currency = (query.get("currencyCode") or ["USD"])[0] or "USD"
        if currency not in self.billing.rates:
            return 400, google_error(400, "INVALID_ARGUMENT", f"Currency code {currency} is not supported.")
        rate = self.billing.rates[currency]
        size = min(int((query.get("pageSize") or ["5000"])[0]), self.page_size_cap)
        start = int((query.get("pageToken") or ["0"])[0] or 0)
        page = self.skus[start:start + size]
        out: dict[str, Any] = {"skus": [_sku_json(i + start, s, currency, rate) for i, s in enumerate(page)],
                               "nextPageToken": str(start + size) if start + size < len(self.skus) else ""}
        return out


def _sku_json(i: int, s: FakeSku, currency: str, rate: float) -> dict[str, Any]:
    price = s.usd * rate
    units = int(price)
    sku_id = f"F{i:03d}-0000-0000"
    return {
        "name": f"services/{VERTEX}/skus/{sku_id}", "skuId": sku_id, "description": s.description,
        "category": {"serviceDisplayName": "Vertex AI", "resourceFamily": "ApplicationServices",
                     "resourceGroup": "Training", "usageType": s.usage_type},
        "serviceRegions": list(s.regions), "serviceProviderName": "Google",
        "pricingInfo": [{
            "summary": "", "effectiveTime": "2026-11-01T08:00:00Z", "currencyConversionRate": rate,
            "pricingExpression": {
                "usageUnit": s.usage_unit, "displayQuantity": 1,
                "usageUnitDescription": "hour" if s.usage_unit == "h" else "gibibyte hour",
                "baseUnit": "s" if s.usage_unit == "h" else "By.s", "baseUnitDescription": "second",
                "baseUnitConversionFactor": 3600 if s.usage_unit == "h" else 3865470566400,
                "tieredRates": [{"startUsageAmount": 0, "unitPrice": {
                    "currencyCode": currency, "units": str(units), "nanos": round((price - units) * 1e9)}}]}}],
    }
