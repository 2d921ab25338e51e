"""Amazon's published usage plans of the pricing-related operations, added to the shared table
(``usage_plans.USAGE_PLANS``) when the transport or the simulator imports this module.

Catalog Items 2022-04-01: getCatalogItem and searchCatalogItems 2 requests/s, burst 2.
Listings Items 2021-08-01: getListingsItem 5 requests/s, burst 10.
Product Pricing v0: getPricing and getCompetitivePricing 0.5 requests/s, burst 1.
"""
from .usage_plans import USAGE_PLANS

PRICING_PLANS = {
    "getCatalogItem": (2.0, 2),
    "searchCatalogItems": (2.0, 2),
    "getListingsItem": (5.0, 10),
    "getPricing": (0.5, 1),
    "getCompetitivePricing": (0.5, 1),
}
USAGE_PLANS.update(PRICING_PLANS)
