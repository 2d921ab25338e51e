import datetime
import json
import logging

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..lib import mapping

_logger = logging.getLogger(__name__)

DF_ACK_STATES = [
    ("to_decide", "To Acknowledge"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("cancelled", "Cancelled"),
    ("failed", "Refused by Amazon"),
]
ACK_STATE_OF_DOCUMENT = {"to_send": "sent", "sending": "sent", "sent": "sent",
                         "unknown": "sent", "accepted": "accepted", "failed": "failed"}
MANAGER_GROUP = "acorn_amazon_vendor.group_amazon_vendor_manager"
# A delivery promise missed longer ago than this is a matter for Amazon's claims, not an alert.
DELIVER_ALERT_WINDOW = datetime.timedelta(days=30)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    amazon_df_account_id = fields.Many2one(
        "amazon.vendor.account", string="Amazon DF Account", readonly=True, copy=False,
        index="btree_not_null",
        help="Set on Amazon Direct Fulfillment orders: Amazon's customer order, shipped by you "
             "to the customer.")
    amazon_df_order = fields.Boolean(string="Direct Fulfillment Order",
                                     compute="_compute_amazon_df_order", store=True)
    amazon_df_number = fields.Char(string="Amazon DF Order", readonly=True, copy=False,
                                   index="btree_not_null")
    amazon_df_customer_order = fields.Char(string="Customer Order", readonly=True, copy=False)
    amazon_df_status = fields.Char(string="Amazon DF Status", readonly=True, copy=False)
    amazon_df_ship_from = fields.Char(string="Amazon Warehouse", readonly=True, copy=False)
    amazon_df_ship_method = fields.Char(string="Ship Method", readonly=True, copy=False)
    amazon_df_ship_by = fields.Datetime(string="Ship By", readonly=True, copy=False)
    amazon_df_deliver_by = fields.Datetime(string="Deliver By", readonly=True, copy=False)
    amazon_df_priority = fields.Boolean(string="Priority Shipment", readonly=True, copy=False)
    amazon_df_gift = fields.Boolean(string="Gift", readonly=True, copy=False)
    amazon_df_pslip_required = fields.Boolean(string="Packing Slip Required", readonly=True,
                                              copy=False)
    amazon_df_message = fields.Char(string="Message to Customer", readonly=True, copy=False)
    amazon_df_gift_note = fields.Text(
        string="Gift Wrap and Messages", readonly=True, copy=False,
        help="Per item, the gift wrap and the gift message to include (purged with the "
             "address).")
    amazon_df_scheduled_delivery = fields.Boolean(string="Scheduled Delivery", readonly=True,
                                                  copy=False)
    amazon_df_ack_state = fields.Selection(DF_ACK_STATES, string="DF Acknowledgement",
                                           readonly=True, copy=False)
    amazon_df_ack_document_id = fields.Many2one("amazon.vendor.document",
                                                string="DF Acknowledgement Document",
                                                readonly=True, copy=False)
    amazon_df_issues = fields.Text(string="DF Checks", readonly=True, copy=False)
    amazon_df_unknown_sku = fields.Boolean(
        string="Unknown Product", readonly=True, copy=False,
        help="An item of Amazon's order matches no product: cancelling tells Amazon the SKU "
             "is missing or invalid (code 02) rather than out of stock (03).")
    amazon_df_ship_alerted = fields.Boolean(string="Ship-by Alert Sent", readonly=True,
                                            copy=False)
    amazon_df_deliver_alerted = fields.Boolean(string="Deliver-by Alert Sent", readonly=True,
                                               copy=False)
    amazon_df_delivered_at = fields.Datetime(
        string="Delivered", compute="_compute_amazon_df_delivered_at",
        help="When the carrier delivered the last parcel (own-carrier status updates).")
    amazon_df_promise = fields.Selection(
        [("ok", "On Time"), ("soon", "Ship Soon"), ("late", "Ship-by Date Missed"),
         ("in_transit", "In Transit"), ("deliver_late", "Delivery Date Missed"),
         ("delivered", "Delivered")],
        string="Promise", compute="_compute_amazon_df_promise")
    amazon_df_address_ids = fields.One2many("amazon.vendor.df.address", "order_id",
                                            string="Customer Address", groups=MANAGER_GROUP)

    @api.depends("amazon_df_account_id")
    def _compute_amazon_df_order(self):
        for order in self:
            order.amazon_df_order = bool(order.amazon_df_account_id)

    def _amazon_df_own_carrier(self):
        """Whether the order's Amazon warehouse ships with the vendor's own carrier."""
        self.ensure_one()
        return any(wh.own_carrier for wh in self.amazon_df_account_id.df_warehouse_ids
                   if wh.code == self.amazon_df_ship_from)

    @api.depends("picking_ids.amazon_df_delivered_at")
    def _compute_amazon_df_delivered_at(self):
        for order in self:
            dates = order.picking_ids.filtered(lambda p: p.state == "done").mapped(
                "amazon_df_delivered_at")
            order.amazon_df_delivered_at = max(dates) if dates and all(dates) else False

    @api.depends("amazon_df_ship_by", "amazon_df_deliver_by", "amazon_df_status",
                 "amazon_df_delivered_at")
    def _compute_amazon_df_promise(self):
        now = fields.Datetime.now()
        for order in self:
            ship_by, deliver_by = order.amazon_df_ship_by, order.amazon_df_deliver_by
            own_carrier = order._amazon_df_own_carrier()
            if order.amazon_df_status == "CANCELLED" or not ship_by:
                order.amazon_df_promise = False
            elif order.amazon_df_status == "SHIPPED":
                # Amazon's carrier scans its own parcels: the delivery is followed by Amazon.
                if not own_carrier:
                    order.amazon_df_promise = False
                elif order.amazon_df_delivered_at:
                    order.amazon_df_promise = "delivered"
                elif deliver_by and deliver_by < now:
                    order.amazon_df_promise = "deliver_late"
                else:
                    order.amazon_df_promise = "in_transit"
            elif ship_by < now:
                order.amazon_df_promise = "late"
            elif ship_by - now <= datetime.timedelta(
                    hours=order.amazon_df_account_id.df_ship_alert_hours or 0):
                order.amazon_df_promise = "soon"
            else:
                order.amazon_df_promise = "ok"

    # -- import -----------------------------------------------------------------------------
    @api.model
    def _amazon_df_import_orders(self, account, orders):
        """Create the sale orders of a page of Amazon DF orders not seen before; the
        products, warehouses, countries and known orders are read once per page."""
        Document = self.env["amazon.vendor.document"].sudo()
        numbers = [o.get("purchaseOrderNumber") for o in orders if isinstance(o, dict)]
        known_docs = Document.search([("account_id", "=", account.id),
                                      ("kind", "=", "df_order"), ("external_id", "in", numbers)])
        known = set(known_docs.mapped("external_id"))
        self._amazon_df_follow_cancellations(known_docs, orders)
        parsed, failures = [], []
        for raw in orders:
            number = raw.get("purchaseOrderNumber") if isinstance(raw, dict) else None
            status = ((raw.get("orderDetails") or {}).get("orderStatus")
                      if isinstance(raw, dict) else None)
            if number in known or status in ("SHIPPED", "CANCELLED"):
                continue  # only open orders are new work (shipped ones were handled elsewhere)
            try:
                parsed.append((mapping.parse_order(raw), raw))
            except mapping.MappingError as exc:
                failures.append((number, str(exc)))
        if not parsed and not failures:
            return self.browse()
        by_sku, by_asin = self._amazon_df_products(account, [o for o, _r in parsed])
        warehouses = {w.code: w.warehouse_id for w in account.df_warehouse_ids}
        codes = {o["customer"]["countryCode"] for o, _r in parsed
                 if (o["customer"] or {}).get("countryCode")}
        countries = {c.code: c for c in self.env["res.country"].search([("code", "in",
                                                                         list(codes))])}
        states = {}
        for state in self.env["res.country.state"].search([("country_id", "in", [
                c.id for c in countries.values()])]):
            states[(state.country_id.code, state.code)] = state
        created = self.browse()
        for order, raw in parsed:
            try:
                with self.env.cr.savepoint():
                    created |= self._amazon_df_create(account, order, raw, by_sku, by_asin,
                                                      warehouses, countries, states)
            except Exception as exc:  # noqa: BLE001 - one order never stops the others
                _logger.info("DF order %s not imported: %s", order["number"], exc)
                failures.append((order["number"], f"{type(exc).__name__}: {exc}"))
        for number, message in failures:
            account._amazon_vendor_notify(
                account, _("Amazon DF order %s not imported", number or "?"), message,
                alert_type="po_import_failed")
        return created

    def _amazon_df_follow_cancellations(self, documents, orders):
        """Amazon cancelled an order we know (the customer cancelled before shipping)."""
        cancelled = {o.get("purchaseOrderNumber") for o in orders if isinstance(o, dict)
                     and (o.get("orderDetails") or {}).get("orderStatus") == "CANCELLED"}
        for doc in documents.filtered(lambda d: d.external_id in cancelled):
            sale = doc._linked_record()
            if not sale or sale.amazon_df_status == "CANCELLED":
                continue
            sale.amazon_df_status = "CANCELLED"
            if sale.state != "cancel" and not sale.picking_ids.filtered(
                    lambda p: p.state == "done"):
                sale._action_cancel()
            sale.amazon_df_account_id._amazon_vendor_notify(
                sale, _("Amazon cancelled DF order %s", sale.name),
                _("Amazon cancelled order %s: do not ship it.", sale.amazon_df_number),
                warning=True, alert_type="po_changed")

    @api.model
    def _amazon_df_products(self, account, orders):
        """({vendor SKU: product}, {ASIN: product}) of the items of ``orders``: one search."""
        skus = {i["vendor_sku"] for o in orders for i in o["items"] if i["vendor_sku"]}
        asins = {i["asin"] for o in orders for i in o["items"] if i["asin"]}
        Product = self.env["product.product"].sudo().with_company(account.company_id)
        products = Product.search(["|", ("default_code", "in", list(skus)),
                                   ("amazon_vendor_asin", "in", list(asins)),
                                   ("company_id", "in", [False, account.company_id.id])])
        return ({p.default_code: p for p in products if p.default_code},
                {p.amazon_vendor_asin: p for p in products if p.amazon_vendor_asin})

    @api.model
    def _amazon_df_check_order(self, account, order, by_sku, by_asin, warehouses,
                               have=()):
        """(line commands for the items whose product is known and not in ``have`` (product
        ids), the problems that stop accepting, whether an item matches no product, the
        warehouse)."""
        issues, lines, unknown_sku = [], [], False
        wrap = account.df_gift_wrap_product_id  # read once, gift or not: queries stay flat
        for item in order["items"]:
            product = by_sku.get(item["vendor_sku"]) or by_asin.get(item["asin"])
            if not product:
                unknown_sku = True
                issues.append(_("Unknown product %(sku)s (ASIN %(asin)s): map it, then "
                                "acknowledge the order.", sku=item["vendor_sku"] or "-",
                                asin=item["asin"] or "-"))
                continue
            if product.id in have:
                continue
            lines.append(Command.create({
                "product_id": product.id, "product_uom_qty": item["quantity"],
                "price_unit": float(item["net_price"]),
                "name": item["title"] or product.display_name,
            }))
            if item.get("gift_wrap") and wrap:
                lines.append(self._amazon_df_gift_wrap_line(account, item, product))
        currency = (account.pricelist_id.currency_id or account.company_id.currency_id).name
        if order["currency"] and order["currency"] != currency:
            # the invoice is in the order's currency: Amazon's prices cannot be sent as another
            issues.append(_("Amazon prices this order in %(order)s, the account's pricelist is "
                            "in %(ours)s: set a pricelist in %(order)s on the account, then "
                            "acknowledge the order.", order=order["currency"], ours=currency))
        warehouse = warehouses.get(order["ship_from"])
        if not warehouse:
            issues.append(_("Amazon warehouse %s is not mapped to an Odoo warehouse on the "
                            "account.", order["ship_from"] or "-"))
        return lines, issues, unknown_sku, warehouse

    @api.model
    def _amazon_df_gift_wrap_line(self, account, item, product):
        """The agreed charge for the gift-wrapped units of ``item``, in the order's currency
        (the account's pricelist's), tied to that item."""
        wrap = account.df_gift_wrap_product_id
        currency = account.pricelist_id.currency_id or account.company_id.currency_id
        price = wrap.currency_id._convert(wrap.lst_price, currency, account.company_id,
                                          fields.Date.today())
        return Command.create({
            "product_id": wrap.id, "product_uom_qty": item["quantity"], "price_unit": price,
            "name": _("Gift wrap %(wrap)s: %(item)s", wrap=item["gift_wrap"],
                      item=item["vendor_sku"] or item["asin"] or product.display_name),
            "amazon_df_gift_wrap_seq": item["seq"], "amazon_df_gift_wrap_for_id": product.id})

    def _amazon_df_deliver_gift_wrap(self):
        """A gift wrap is delivered with its item: as many units as the item's delivered."""
        for line in self.order_line.filtered("amazon_df_gift_wrap_seq"):
            items = line.order_id.order_line.filtered(
                lambda ln, w=line: ln.product_id == w.amazon_df_gift_wrap_for_id
                and not ln.amazon_df_gift_wrap_seq)
            line.qty_delivered = min(line.product_uom_qty, sum(items.mapped("qty_delivered")))

    def _amazon_df_recheck(self):
        """Before an order is answered: products mapped, pricelist or warehouses set since the
        import count now (the items found get their lines; the checks are made again)."""
        for sale in self.filtered(lambda o: o.amazon_df_account_id
                                  and o.state in ("draft", "sent")):
            account = sale.amazon_df_account_id
            order = sale._amazon_df_neutral()
            lines, issues, unknown_sku, warehouse = self._amazon_df_check_order(
                account, order, *self._amazon_df_products(account, [order]),
                {w.code: w.warehouse_id for w in account.df_warehouse_ids},
                have=set(sale.order_line.product_id.ids))
            values = {"order_line": lines, "amazon_df_issues": "\n".join(issues) or False,
                      "amazon_df_unknown_sku": unknown_sku}
            if warehouse and warehouse != sale.warehouse_id:
                values["warehouse_id"] = warehouse.id
            sale.sudo().write(values)

    def _amazon_df_create(self, account, order, raw, by_sku, by_asin, warehouses, countries,
                          states):
        customer = order["customer"] or {}
        country = countries.get(customer.get("countryCode"))
        state = states.get((customer.get("countryCode"), customer.get("stateOrRegion")))
        amazon = account.partner_id or account.company_id.partner_id
        vals = mapping.partner_vals({k: customer.get(k) for k in (
            "city", "postalCode", "countryCode")}, country.id if country else False,
            state.id if state else False)
        vals.update(name=_("Amazon customer %s", order["customer_order"] or order["number"]),
                    parent_id=False, company_id=account.company_id.id)
        partner = self.env["res.partner"].sudo().create(vals)
        lines, issues, unknown_sku, warehouse = self._amazon_df_check_order(
            account, order, by_sku, by_asin, warehouses)
        sale = self.sudo().with_company(account.company_id).create({
            "partner_id": amazon.id, "partner_invoice_id": amazon.id,
            "partner_shipping_id": partner.id, "company_id": account.company_id.id,
            "client_order_ref": order["customer_order"] or order["number"],
            "date_order": order["order_date"].replace(tzinfo=None),
            # the delivery is scheduled on the day it must leave, not when the customer gets it
            "commitment_date": order["required_ship_date"].replace(tzinfo=None),
            "pricelist_id": account.pricelist_id.id or False,
            "warehouse_id": warehouse.id if warehouse else account.warehouse_id.id or False,
            "amazon_df_account_id": account.id, "amazon_df_number": order["number"],
            "amazon_df_customer_order": order["customer_order"],
            "amazon_df_status": order["status"], "amazon_df_ship_from": order["ship_from"],
            "amazon_df_ship_method": order["ship_method"],
            "amazon_df_ship_by": order["required_ship_date"].replace(tzinfo=None),
            "amazon_df_deliver_by": order["promised_delivery_date"]
            and order["promised_delivery_date"].replace(tzinfo=None),
            "amazon_df_priority": order["priority"], "amazon_df_gift": order["gift"],
            "amazon_df_pslip_required": order["pslip_required"],
            "amazon_df_message": order["message"][:250],
            "amazon_df_gift_note": mapping.gift_note(order) or False,
            "amazon_df_scheduled_delivery": order["scheduled_delivery"],
            "amazon_df_ack_state": "to_decide" if order["status"] == "NEW" else "accepted",
            "amazon_df_issues": "\n".join(issues) or False,
            "amazon_df_unknown_sku": unknown_sku,
            "order_line": lines,
        })
        self.env["amazon.vendor.df.address"].sudo().create({
            "order_id": sale.id, "name": customer.get("name"),
            "attention": customer.get("attention"), "street": customer.get("addressLine1"),
            "street2": ", ".join(v for v in (customer.get("addressLine2"),
                                             customer.get("addressLine3")) if v) or False,
            "phone": customer.get("phone")})
        stored = json.loads(json.dumps(raw))
        (stored.get("orderDetails") or {}).pop("shipToParty", None)  # never in the ledger
        doc = self.env["amazon.vendor.document"].sudo().create({
            "account_id": account.id, "kind": "df_order", "external_id": order["number"],
            "res_model": "sale.order", "res_id": sale.id,
            "payload_in": self.env["amazon.vendor.document"]._encode_payload(stored)})
        doc.state = "processed"
        if lines and not issues and order["status"] in ("NEW", "ACCEPTED"):
            sale.action_confirm()
        elif issues:
            account._amazon_vendor_todo(sale, _("Amazon DF order needs attention"), issues)
        return sale

    # -- acknowledgement --------------------------------------------------------------------
    def _amazon_df_queue_acknowledgement(self, code=mapping.ACCEPT_CODE):
        Document = self.env["amazon.vendor.document"].sudo()
        docs = Document
        now = datetime.datetime.now(datetime.UTC)
        for order in self:
            if order.amazon_df_ack_state not in ("to_decide", "failed"):
                raise UserError(_("%s was already acknowledged.", order.name))
            neutral = order._amazon_df_neutral()
            body = mapping.acknowledgement_request([mapping.acknowledgement(
                neutral, order.name, now, code)])
            doc = Document._queue_outbound(order.amazon_df_account_id, "df_acknowledgement",
                                           order.amazon_df_number, order, body)
            order.sudo().write({"amazon_df_ack_document_id": doc.id,
                                "amazon_df_ack_state": "sent"})
            docs |= doc
        return docs

    def _amazon_df_neutral(self):
        """The order as stored in the ledger (neutral dict, without the address)."""
        self.ensure_one()
        doc = self.env["amazon.vendor.document"].sudo().search([
            ("account_id", "=", self.amazon_df_account_id.id), ("kind", "=", "df_order"),
            ("external_id", "=", self.amazon_df_number)], limit=1)
        if not doc:
            raise UserError(_("The Amazon order of %s is not in the ledger.", self.name))
        return mapping.parse_order(doc._get_payload("payload_in"))

    def _amazon_df_check_user(self):
        if not self.env.su and not self.env.user.has_group(
                "acorn_amazon_vendor.group_amazon_vendor_user"):
            raise UserError(_("Only Amazon Vendor users may answer Amazon's orders."))

    def action_amazon_df_acknowledge(self):
        self._amazon_df_check_user()
        orders = self.filtered("amazon_df_account_id")
        orders._amazon_df_recheck()
        for order in orders.filtered(lambda o: o.state in ("draft", "sent")):
            if order.amazon_df_issues:
                raise UserError(_("%(order)s cannot be accepted yet:\n%(issues)s",
                                  order=order.name, issues=order.amazon_df_issues))
            order.action_confirm()
        orders._amazon_df_queue_acknowledgement()._send_to_amazon()
        return True

    def action_amazon_df_reject(self):
        """Cancel the order at Amazon: missing/invalid SKU (02) when an item matches no
        product, else out of stock (03)."""
        self._amazon_df_check_user()
        orders = self.filtered("amazon_df_account_id")
        orders._amazon_df_recheck()
        docs = orders.filtered("amazon_df_unknown_sku")._amazon_df_queue_acknowledgement(
            code=mapping.INVALID_SKU_CODE)
        docs |= orders.filtered(lambda o: not o.amazon_df_unknown_sku)\
            ._amazon_df_queue_acknowledgement(code=mapping.OUT_OF_STOCK_CODE)
        docs._send_to_amazon()
        return True

    def _amazon_vendor_document_settled(self, document):
        if not document.kind.startswith("df_"):
            return super()._amazon_vendor_document_settled(document)
        if document.kind == "df_acknowledgement":
            state = ACK_STATE_OF_DOCUMENT.get(document.state)
            body = document._get_payload("payload_out") or {}
            code = ((body.get("orderAcknowledgements") or [{}])[0].get(
                "acknowledgementStatus") or {}).get("code")
            if state == "accepted":
                if code == mapping.ACCEPT_CODE:
                    self.amazon_df_status = "ACCEPTED"
                else:
                    state = "cancelled"
                    self.amazon_df_status = "CANCELLED"
                    self._action_cancel()
            if state:
                self.amazon_df_ack_state = state
            if document.state == "failed":
                self.message_post(body=_("Amazon refused the acknowledgement: %s",
                                         document.error_message))
        return None

    # -- promises ---------------------------------------------------------------------------
    @api.model
    def _amazon_df_alert_ship_by(self):
        """Alert (once) on DF orders not shipped that come within the account's alert hours
        of their ship-by date, or passed it."""
        now = fields.Datetime.now()
        orders = self.search([("amazon_df_account_id", "!=", False),
                              ("amazon_df_ship_alerted", "=", False),
                              ("amazon_df_status", "in", ("NEW", "ACCEPTED")),
                              ("state", "!=", "cancel"), ("amazon_df_ship_by", "!=", False)])
        for order in orders:
            account = order.amazon_df_account_id
            if order.amazon_df_ship_by - datetime.timedelta(
                    hours=account.df_ship_alert_hours) > now:
                continue
            missed = order.amazon_df_ship_by < now
            message = _("Amazon DF order %(order)s must ship by %(date)s (%(method)s); it is "
                        "not shipped yet.", order=order.name,
                        date=fields.Datetime.to_string(order.amazon_df_ship_by),
                        method=order.amazon_df_ship_method or "-")
            if missed:
                message = _("Amazon DF order %(order)s missed its ship-by date %(date)s: ship "
                            "it now; Amazon measures late shipments.", order=order.name,
                            date=fields.Datetime.to_string(order.amazon_df_ship_by))
            account._amazon_vendor_notify(
                order, _("Amazon DF: ship %s", order.name), message, warning=True,
                deadline=order.amazon_df_ship_by.date(), alert_type="df_ship_by")
            order.amazon_df_ship_alerted = True

    @api.model
    def _amazon_df_alert_deliver_by(self):
        """Alert (once) on DF orders whose deliver-by date comes within the account's alert
        hours, or passed, without a delivery: not shipped yet (any account), or shipped with
        the vendor's own carrier and no delivery scan sent (Amazon follows its own carrier)."""
        now = fields.Datetime.now()
        # Bounded: parcels Amazon's carrier follows are never alerted, so without a window
        # every shipped order would be read again at each run, forever.
        hours = max(self.env["amazon.vendor.account"].sudo().search([
            ("df_enabled", "=", True)]).mapped("df_ship_alert_hours") or [0])
        orders = self.search([("amazon_df_account_id", "!=", False),
                              ("amazon_df_deliver_alerted", "=", False),
                              ("amazon_df_status", "in", ("NEW", "ACCEPTED", "SHIPPED")),
                              ("state", "!=", "cancel"),
                              ("amazon_df_deliver_by", ">=", now - DELIVER_ALERT_WINDOW),
                              ("amazon_df_deliver_by", "<=", now + datetime.timedelta(
                                  hours=hours))])
        for order in orders:
            account = order.amazon_df_account_id
            deliver_by = order.amazon_df_deliver_by
            if deliver_by - datetime.timedelta(hours=account.df_ship_alert_hours) > now:
                continue
            shipped = order.amazon_df_status == "SHIPPED"
            if shipped and (not order._amazon_df_own_carrier() or order.amazon_df_delivered_at):
                continue
            date = fields.Datetime.to_string(deliver_by)
            if not shipped:
                message = _("Amazon DF order %(order)s was promised to the customer by "
                            "%(date)s and is not shipped yet: ship it with the fastest "
                            "method, or cancel it with Amazon.", order=order.name, date=date)
            elif deliver_by < now:
                message = _("Amazon DF order %(order)s was promised to the customer by "
                            "%(date)s and no delivery was reported: check with the carrier "
                            "and send its status to Amazon.", order=order.name, date=date)
            else:
                message = _("Amazon DF order %(order)s must reach the customer by %(date)s; "
                            "the carrier has not reported it delivered yet.", order=order.name,
                            date=date)
            account._amazon_vendor_notify(
                order, _("Amazon DF: delivery promise of %s", order.name), message,
                warning=True, deadline=deliver_by.date(), alert_type="df_deliver_by")
            order.amazon_df_deliver_alerted = True

    # -- personal data ----------------------------------------------------------------------
    @api.model
    def _amazon_df_purge_addresses(self, now=None):
        """Purge customer names, streets and phones (and Amazon's labels, packing slips and
        customer invoices, which print them) the account's number of days after delivery."""
        now = now or fields.Datetime.now()
        Address = self.env["amazon.vendor.df.address"].sudo()
        addresses = Address.search([("purged", "=", False)])
        due = Address
        for address in addresses:
            order = address.order_id
            account = order.amazon_df_account_id
            done = order.picking_ids.filtered(lambda p: p.state == "done")
            # After delivery: the carrier's delivery scan when there is one, else shipping.
            dates = [d for d in done.mapped("date_done") + done.mapped(
                "amazon_df_delivered_at") if d]
            if order.state == "cancel":
                dates.append(order.write_date)
            if dates and max(dates) + datetime.timedelta(
                    days=account.df_address_retention_days) <= now:
                due |= address
        if not due:
            return due
        due._purge()
        orders = due.order_id
        orders.filtered("amazon_df_gift_note").write({"amazon_df_gift_note": False})
        orders.partner_shipping_id.sudo().write({"name": _("Amazon customer (purged)"),
                                                 "street": False, "street2": False,
                                                 "phone": False, "email": False})
        self.env["ir.attachment"].sudo().search([
            ("res_model", "=", "stock.picking"), ("res_id", "in", orders.picking_ids.ids),
            ("description", "=", "amazon_df_personal")]).unlink()
        return due
