"""Alert rules and suggestion rules of the price monitoring pass. Pure functions, no ORM.

``figures`` of one product (floats or None): asp (Amazon's average selling price), list_price
(Amazon's list price, else the vendor's MSRP), map_price, net_ppm (fraction), front_margin
(fraction), agreed_cost, cost_on_file, own_cost (what the product costs the vendor),
observed_price (lowest observed competitor or retailer price), exposure_units (Amazon's
on-hand plus open PO units).

``settings``: asp_below_list_pct, check_map, min_net_ppm_pct, cost_tolerance_pct,
check_cost_on_file, target_margin_pct, observed_gap_pct.
"""
ASP_BELOW_MAP = "asp_below_map"
ASP_BELOW_LIST = "asp_below_list"
LOW_NET_PPM = "low_net_ppm"
PO_COST = "po_cost"
COST_ON_FILE = "cost_on_file"
ALERT_KINDS = (ASP_BELOW_MAP, ASP_BELOW_LIST, LOW_NET_PPM, PO_COST, COST_ON_FILE)

COST, LIST_PRICE = "cost", "list_price"
ALIGN_COST, FUND_MARGIN, TARGET_MARGIN, MARKET_PRICE = (
    "align_cost_on_file", "fund_amazon_margin", "target_margin", "market_price")


def _pct(value, base):
    return (value - base) / base * 100.0 if base else 0.0


def cost_differs(cost, agreed, tolerance_pct):
    if not cost or not agreed:
        return False
    return abs(_pct(cost, agreed)) > tolerance_pct + 1e-9


def product_alerts(figures, settings):
    """[(kind, value, threshold)] the product breaks; values and thresholds as shown to
    people (money, or percentages)."""
    alerts = []
    asp, list_price, map_price = (figures.get(k) for k in ("asp", "list_price", "map_price"))
    if settings.get("check_map") and asp and map_price and asp < map_price - 0.005:
        alerts.append((ASP_BELOW_MAP, round(asp, 2), round(map_price, 2)))
    limit = settings.get("asp_below_list_pct")
    if asp and list_price and limit is not None:
        below = -_pct(asp, list_price)
        if below > limit + 1e-9:
            alerts.append((ASP_BELOW_LIST, round(below, 2), limit))
    ppm, minimum = figures.get("net_ppm"), settings.get("min_net_ppm_pct")
    if ppm is not None and minimum is not None and ppm * 100.0 < minimum - 1e-9:
        alerts.append((LOW_NET_PPM, round(ppm * 100.0, 2), minimum))
    if settings.get("check_cost_on_file") and cost_differs(
            figures.get("cost_on_file"), figures.get("agreed_cost"),
            settings.get("cost_tolerance_pct") or 0.0):
        alerts.append((COST_ON_FILE, figures["cost_on_file"], figures["agreed_cost"]))
    return alerts


def _floor_cost(figures, settings):
    """The lowest cost the vendor accepts: its own cost plus the target margin."""
    own, target = figures.get("own_cost"), settings.get("target_margin_pct") or 0.0
    if not own or target >= 100:
        return None
    return own / (1 - target / 100.0)


def product_suggestions(figures, settings):
    """[{kind, rule, proposed}] proposals for one product; at most one per kind."""
    out = {}
    agreed, on_file = figures.get("agreed_cost"), figures.get("cost_on_file")
    asp, ppm = figures.get("asp"), figures.get("net_ppm")
    floor = _floor_cost(figures, settings)
    current = agreed or on_file
    if settings.get("check_cost_on_file") and cost_differs(
            on_file, agreed, settings.get("cost_tolerance_pct") or 0.0):
        # the agreed cost as it is (Amazon keeps costs to the third decimal)
        out[COST] = {"kind": COST, "rule": ALIGN_COST, "proposed": round(agreed, 6)}
    minimum = settings.get("min_net_ppm_pct")
    if COST not in out and current and asp and ppm is not None and minimum is not None \
            and ppm * 100.0 < minimum:
        # a lower cost raises Amazon's margin one for one: fund the missing points
        proposed = current - (minimum / 100.0 - ppm) * asp
        if floor is not None:
            proposed = max(proposed, floor)
        if proposed < current - 0.005:
            out[COST] = {"kind": COST, "rule": FUND_MARGIN, "proposed": round(proposed, 2)}
    if COST not in out and current and floor is not None and current < floor - 0.005:
        out[COST] = {"kind": COST, "rule": TARGET_MARGIN, "proposed": round(floor, 2)}
    observed, list_price = figures.get("observed_price"), figures.get("list_price")
    gap = settings.get("observed_gap_pct")
    if observed and list_price and gap is not None and -_pct(observed, list_price) > gap:
        out[LIST_PRICE] = {"kind": LIST_PRICE, "rule": MARKET_PRICE,
                           "proposed": round(observed, 2)}
    return list(out.values())


def suggestion_effect(figures, kind, proposed, rule=None):
    """Expected effect of a proposal: price protection exposure (Amazon claims the cost
    decrease on the units it holds or has on order), margins before and after. Aligning
    Amazon's cost on file changes Amazon's cost: that is the current one."""
    current = (figures.get("cost_on_file") if rule == ALIGN_COST else None) \
        or figures.get("agreed_cost") or figures.get("cost_on_file") or 0.0
    units = figures.get("exposure_units") or 0.0
    own, asp = figures.get("own_cost"), figures.get("asp")
    effect = {"current": current, "exposure_units": units, "price_protection": 0.0,
              "margin_before": None, "margin_after": None,
              "amazon_margin_before": None, "amazon_margin_after": None}
    if kind == COST:
        effect["price_protection"] = round(max(0.0, current - proposed) * units, 2)
        if own:
            effect["margin_before"] = round((current - own) / current * 100.0, 2) \
                if current else None
            effect["margin_after"] = round((proposed - own) / proposed * 100.0, 2) \
                if proposed else None
        if asp:
            effect["amazon_margin_before"] = round((asp - current) / asp * 100.0, 2)
            effect["amazon_margin_after"] = round((asp - proposed) / asp * 100.0, 2)
    else:
        effect["current"] = figures.get("list_price") or 0.0
    return effect
