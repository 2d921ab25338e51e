import datetime
import logging

from odoo import _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError
from odoo.exceptions import UserError, ValidationError

from ..lib import amazon_prices

_logger = logging.getLogger(__name__)

FREQUENCIES = [("daily", "Daily"), ("weekly", "Weekly"), ("off", "Off")]
FREQUENCY_DAYS = {"daily": 1, "weekly": 7}

PRICING_BATCH = 20  # ASINs per getCompetitivePricing call (Amazon's maximum)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    pricing_frequency = fields.Selection(
        FREQUENCIES, string="Price Monitoring", default="daily", required=True,
        help="How often the monitoring pass compares Amazon's prices and margins with yours.")
    pricing_last_run = fields.Datetime(string="Last Monitoring Pass", readonly=True, copy=False)
    pricing_asp_window_days = fields.Integer(
        string="Selling Price Window (days)", default=7,
        help="Amazon's average selling price is taken over the sales of the last days.")
    pricing_check_map = fields.Boolean(
        string="Alert Below MAP", default=True,
        help="Alert when Amazon's average selling price is below the product's MAP.")
    pricing_asp_below_list_pct = fields.Float(
        string="Alert Below List Price by (%)", default=15.0,
        help="Alert when Amazon sells more than this percentage under the list price.")
    pricing_min_net_ppm_pct = fields.Float(
        string="Minimum Net PPM (%)", default=5.0,
        help="Alert when Amazon's net pure product margin falls below this: the items Amazon "
             "is likely to stop ordering or to claim price support for.")
    pricing_check_po_cost = fields.Boolean(
        string="Check PO Costs", default=True,
        help="Alert, before the acknowledgement, on purchase order lines whose cost differs "
             "from the agreed cost (they cause price-variance deductions).")
    pricing_check_cost_on_file = fields.Boolean(
        string="Check Amazon's Cost on File", default=True,
        help="Alert when the cost Amazon has on file differs from the agreed cost.")
    pricing_cost_tolerance_pct = fields.Float(
        string="Cost Tolerance (%)", default=0.5,
        help="Cost differences up to this percentage are not reported.")
    pricing_target_margin_pct = fields.Float(
        string="Target Margin (%)", default=20.0,
        help="Your own margin on the agreed cost over the product's cost: suggested costs never "
             "go below it, and a cost under it is suggested up to it.")
    pricing_observed_gap_pct = fields.Float(
        string="Suggest List Price Below Market by (%)", default=10.0,
        help="When observed competitor or retailer prices are lower than Amazon's list price "
             "by more than this, a list-price change is suggested.")
    pricing_seller_account_id = fields.Many2one(
        "amazon.vendor.account", string="Seller Authorization for Competitor Prices",
        domain="[('id', '!=', id), ('company_id', '=', company_id)]",
        help="Amazon does not give vendor-only applications the Pricing role that competitor "
             "offers (Product Pricing API) need. If your company also has a seller "
             "authorization with that role, link it here: a daily job then reads competitor "
             "prices through it (and the linked authorization is not monitored as a vendor "
             "account); otherwise import observed prices from a file.")
    pricing_alert_count = fields.Integer(compute="_compute_pricing_counts")
    pricing_suggestion_count = fields.Integer(compute="_compute_pricing_counts")

    @api.constrains("pricing_seller_account_id", "company_id")
    def _check_pricing_seller_account(self):
        for account in self:
            seller = account.pricing_seller_account_id
            if seller and (seller == account or seller.company_id != account.company_id):
                raise ValidationError(_(
                    "The seller authorization for competitor prices must be another account "
                    "of the same company (%s).", account.company_id.name))

    def _compute_pricing_counts(self):
        alerts = dict(self.env["amazon.vendor.price.alert"]._read_group(
            [("account_id", "in", self.ids), ("state", "=", "open")], ["account_id"],
            ["__count"]))
        suggestions = dict(self.env["amazon.vendor.price.suggestion"]._read_group(
            [("account_id", "in", self.ids), ("state", "=", "new")], ["account_id"],
            ["__count"]))
        for account in self:
            account.pricing_alert_count = alerts.get(account, 0)
            account.pricing_suggestion_count = suggestions.get(account, 0)

    def _amazon_pricing_settings(self):
        self.ensure_one()
        return {"asp_below_list_pct": self.pricing_asp_below_list_pct,
                "check_map": self.pricing_check_map,
                "min_net_ppm_pct": self.pricing_min_net_ppm_pct,
                "cost_tolerance_pct": self.pricing_cost_tolerance_pct,
                "check_cost_on_file": self.pricing_check_cost_on_file,
                "target_margin_pct": self.pricing_target_margin_pct,
                "observed_gap_pct": self.pricing_observed_gap_pct}

    # -- reports: the forecast addon's fetch and archive ------------------------------------
    # The forecast fetch brings the Sales and Inventory reports (their revenue and cost
    # columns are kept by this addon's archive, see amazon_vendor_document.py); the pricing
    # pass asks the same machinery for the two reports only pricing reads.
    def _amazon_vendor_report_request(self, report_type, today):
        if report_type == amazon_prices.NPPM:
            # the last seven complete days, one row per day and ASIN
            end = today - datetime.timedelta(days=1)
            start = end - datetime.timedelta(days=6)
            return {"reportOptions": {"reportPeriod": "DAY"},
                    "dataStartTime": f"{start.isoformat()}T00:00:00Z",
                    "dataEndTime": f"{end.isoformat()}T23:59:59Z"}
        if report_type == amazon_prices.RT_SALES:
            # the last 24 complete hours; the currency is the marketplace's
            now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
            start = now - datetime.timedelta(hours=24)
            return {"dataStartTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "dataEndTime": now.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return super()._amazon_vendor_report_request(report_type, today)

    def _amazon_pricing_fetch_reports(self, wait=120.0):
        return self._fetch_amazon_reports(report_types=amazon_prices.PRICING_REPORT_TYPES,
                                          wait=wait)

    # -- catalogue prices and cost on file ---------------------------------------------------
    def _amazon_pricing_products(self):
        """The account company's products that carry an ASIN."""
        self.ensure_one()
        return self.env["product.product"].search([
            ("amazon_vendor_asin", "!=", False),
            ("company_id", "in", [False, self.company_id.id])])

    def action_amazon_pricing_read_prices(self):
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can read Amazon's prices for an account."))
        count = self.sudo()._amazon_pricing_read_prices()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success", "sticky": False,
            "message": _("Amazon's list price and cost on file read for %s products.", count)}}

    def _amazon_pricing_read_prices(self):
        """Amazon's list price (Catalog Items, 20 ASINs a call) and cost on file (Listings
        Items procurement, one call per SKU) of every product; a failure is recorded on the
        account and the other accounts go on."""
        count = 0
        now = fields.Datetime.now()
        for account in self:
            products = account._amazon_pricing_products()
            if not products:
                continue
            marketplace = account.marketplace_ids[:1].marketplace_id
            vendor_code = account.party_ids[:1].code
            try:
                with account._amazon_vendor_api() as api:
                    prices = {}
                    for item in api.iter_catalog_items(products.mapped("amazon_vendor_asin"),
                                                       marketplace):
                        price, _currency = amazon_prices.catalog_list_price(item, marketplace)
                        if price is not None:
                            prices[item.get("asin")] = float(price)
                    costs = {}
                    if vendor_code:
                        for product in products.filtered("default_code"):
                            try:
                                listing = api.get_listings_item(
                                    vendor_code, product.default_code, marketplace)
                            except AmazonApiError as exc:
                                if exc.kind != "not_found":
                                    raise
                                continue
                            cost, _currency = amazon_prices.procurement_cost(listing)
                            if cost is not None:
                                costs[product.id] = float(cost)
            except AmazonApiError as exc:
                _logger.info("Amazon prices of account %s not read: %s", account.id, exc.kind)
                account.message_post(body=_("Amazon's prices could not be read: %s",
                                            exc.message))
                continue
            count += account._amazon_pricing_store_prices(products, prices, costs, now)
        return count

    def _amazon_pricing_store_prices(self, products, prices, costs, now):
        """Keep what Amazon said of ``products`` in this account's marketplace (``prices``
        by ASIN, ``costs`` by product id), on the account's own row of each product: another
        account (marketplace) keeps its own. Returns the number of products read."""
        self.ensure_one()
        Price = self.env["amazon.vendor.product.price"].sudo()
        templates = products.product_tmpl_id
        rows = {r.product_tmpl_id: r for r in Price.search(
            [("account_id", "=", self.id), ("product_tmpl_id", "in", templates.ids)])}
        currency = self.marketplace_ids[:1].currency_id or self.company_id.currency_id
        missing = templates.filtered(lambda t: t not in rows)
        for row in Price.create([{"account_id": self.id, "product_tmpl_id": t.id,
                                  "currency_id": currency.id} for t in missing]):
            rows[row.product_tmpl_id] = row
        for product in products:
            values = {"checked_at": now, "currency_id": currency.id}
            if rows[product.product_tmpl_id].currency_id != currency:
                # the account's marketplace changed: figures of the former one are not kept
                values.update(list_price=0.0, cost_on_file=0.0)
            if product.amazon_vendor_asin in prices:
                values["list_price"] = prices[product.amazon_vendor_asin]
            if product.id in costs:
                values["cost_on_file"] = costs[product.id]
            rows[product.product_tmpl_id].write(values)
        return len(products)

    def action_amazon_pricing_competitor_prices(self):
        """Ask Amazon for competitor prices now (the scheduled pass does it too when a seller
        authorization is linked) and explain Amazon's refusal plainly."""
        self.ensure_one()
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can ask Amazon for competitor prices."))
        if not self._amazon_pricing_products():
            raise UserError(_("No product of this account has an ASIN."))
        if not self.marketplace_ids:
            raise UserError(_("Set the marketplaces of account %s first.", self.name))
        seller = self.sudo().pricing_seller_account_id
        if seller and not seller.active:
            # archived, e.g. on a copied database: its credentials are gone on purpose
            raise UserError(_("The seller authorization %s linked for competitor prices is "
                              "archived.", seller.name))
        try:
            result = self.sudo()._amazon_pricing_read_competitor_prices()
        except AmazonApiError as exc:
            if exc.kind == "forbidden":
                raise UserError(_(
                    "Amazon refused the request for competitor prices: the Product Pricing API "
                    "needs the Pricing role, which Amazon does not grant to vendor-only "
                    "applications. Link a seller authorization that has this role in "
                    "'Seller Authorization for Competitor Prices', or import observed prices "
                    "from a file (Amazon Vendor > Pricing > Import Observed Prices).\n\n"
                    "Amazon's answer: %s", exc.message)) from None
            raise UserError(_("Amazon did not answer the request for competitor prices: %s",
                              exc.message)) from None
        message = self._amazon_pricing_competitor_message(result)
        stopped = result["stopped"]
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success" if stopped is None else "warning",
            "sticky": stopped is not None, "message": message}}

    def _amazon_pricing_read_competitor_prices(self):
        """Competitor offers need Amazon's Pricing role: ask through the linked seller
        authorization (else the account itself), 20 ASINs a call, in each marketplace of the
        account. Amazon allows one call every two seconds: the products read longest ago come
        first, so what one run's wait budget cannot cover is read by the next.

        Returns {count, asked, total, stopped}: ``stopped`` is Amazon's error that ended the
        reading after some products were read (what was read is kept); an error before any
        product was read is raised (AmazonApiError)."""
        self.ensure_one()
        source = self.pricing_seller_account_id or self
        products = self._amazon_pricing_products()
        if not products:
            return {"count": 0, "asked": 0, "stopped": None, "total": 0}
        Observation = self.env["amazon.vendor.price.observation"]
        # products without an Amazon price for the longest time first
        last = dict(Observation._read_group(
            [("product_id", "in", products.ids), ("origin", "=", "pricing_api")],
            ["product_id"], ["date:max"]))
        products = products.sorted(lambda p: (bool(last.get(p)), last.get(p) or False, p.id))
        count = asked = 0
        stopped = None
        try:
            with source._amazon_vendor_api() as api:
                for marketplace in self.marketplace_ids:
                    for start in range(0, len(products), PRICING_BATCH):
                        batch = products[start:start + PRICING_BATCH]
                        payload = api.get_competitive_pricing(
                            batch.mapped("amazon_vendor_asin"), marketplace.marketplace_id)
                        count += Observation._amazon_pricing_from_competitive(
                            self, batch, payload, marketplace)
                        asked += len(batch)
        except AmazonApiError as exc:
            if exc.kind == "forbidden" or not asked:
                raise
            stopped = exc  # keep what was read (throttled, or Amazon stopped answering)
        return {"count": count, "asked": asked, "stopped": stopped,
                "total": len(products) * len(self.marketplace_ids)}

    def _amazon_pricing_competitor_message(self, result):
        message = _("%(count)s competitor prices recorded for %(asked)s of %(total)s products "
                    "and marketplaces.", count=result["count"], asked=result["asked"],
                    total=result["total"])
        stopped = result["stopped"]
        if stopped is not None and stopped.kind == "throttled":
            message += " " + _("Amazon's quota is used up for now: press again in a while for "
                               "the rest (the products read longest ago come first).")
        elif stopped is not None:
            message += " " + _("Amazon stopped answering (%s): press again later for the rest "
                               "(the products read longest ago come first).", stopped.message)
        return message

    def _amazon_pricing_cron_competitor_prices(self):
        """The scheduled pass reads competitor prices for the accounts linked to a seller
        authorization (without one Amazon refuses a vendor application every time). A refusal
        or an outage is said on the account; the other accounts go on."""
        for account in self.filtered(lambda a: a.pricing_seller_account_id.active
                                     and a.marketplace_ids):
            try:
                result = account._amazon_pricing_read_competitor_prices()
            except AmazonApiError as exc:
                _logger.info("Competitor prices of account %s not read: %s", account.id,
                             exc.kind)
                account.message_post(body=_(
                    "Competitor prices could not be read through %(seller)s: %(reason)s",
                    seller=account.pricing_seller_account_id.name, reason=exc.message))
                continue
            if result["stopped"] is not None:
                # the rest comes with the next pass, products read longest ago first
                _logger.info("Competitor prices of account %s: %s of %s read (%s)", account.id,
                             result["asked"], result["total"], result["stopped"].kind)

    # -- monitoring --------------------------------------------------------------------------
    def action_amazon_pricing_monitor(self):
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can run the price monitoring."))
        summary = self.sudo()._amazon_pricing_monitor()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success", "sticky": False,
            "message": _("%(products)s products monitored, %(alerts)s new alerts, "
                         "%(suggestions)s new suggestions.",
                         products=summary["products_monitored"],
                         alerts=sum(summary["alerts"].values()),
                         suggestions=summary["suggestions"])}}

    @api.model
    def _amazon_pricing_monitored(self):
        """The accounts whose prices are monitored: a seller authorization linked for
        competitor prices is no vendor account (Amazon would refuse it the vendor reports)."""
        accounts = self.search([("active", "=", True), ("pricing_frequency", "!=", "off")])
        return accounts - self.search([("pricing_seller_account_id", "!=", False)]) \
            .pricing_seller_account_id

    @api.model
    def _cron_amazon_pricing(self):
        now = fields.Datetime.now()
        due = self._amazon_pricing_monitored().filtered(
            lambda a: not a.pricing_last_run or (now - a.pricing_last_run).total_seconds()
            >= FREQUENCY_DAYS[a.pricing_frequency] * 86400 - 3600)
        due._amazon_pricing_read_prices()
        due._amazon_pricing_fetch_reports()
        due._amazon_pricing_monitor()

    @api.model
    def _cron_amazon_pricing_competitors(self):
        """Competitor prices in a daily job of their own (its own wait budget and transaction:
        the waits Amazon imposes never delay the monitoring, which compares the latest read),
        for every monitored account, whichever of the two jobs runs first."""
        self._amazon_pricing_monitored()._amazon_pricing_cron_competitor_prices()

    def action_view_pricing_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_pricing.action_amazon_vendor_price_alert")
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def action_view_pricing_suggestions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_pricing.action_amazon_vendor_price_suggestion")
        action["domain"] = [("account_id", "=", self.id)]
        return action
