import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import mapping

TAX_TYPE_BY_COUNTRY = {"US": "ST", "CA": "GST"}  # elsewhere: VAT


class AccountMove(models.Model):
    _inherit = "account.move"

    amazon_df_account_id = fields.Many2one(
        "amazon.vendor.account", string="Amazon DF Account", compute="_compute_amazon_df",
        store=True, index="btree_not_null")
    amazon_df_document_id = fields.Many2one("amazon.vendor.document", string="DF Invoice",
                                            readonly=True, copy=False)
    amazon_df_state = fields.Selection(related="amazon_df_document_id.state",
                                       string="Amazon DF Invoice Status")

    @api.depends("invoice_line_ids.sale_line_ids.order_id.amazon_df_account_id")
    def _compute_amazon_df(self):
        for move in self:
            orders = move.invoice_line_ids.sale_line_ids.order_id
            move.amazon_df_account_id = orders.amazon_df_account_id[:1]

    def _post(self, soft=True):
        for move in self.filtered(lambda m: m.amazon_df_account_id
                                  and m.move_type == "out_invoice"):
            move._amazon_df_check_gift_wraps()
        posted = super()._post(soft)
        for move in posted.filtered(lambda m: m.amazon_df_account_id
                                    and m.move_type == "out_invoice"):
            move._amazon_df_queue_invoice()
        return posted

    def _amazon_df_check_gift_wraps(self):
        """A gift wrap is Amazon's charge on its item: posted without the item, Amazon could
        never be charged for it (it refuses a charge without its item)."""
        lines = self.invoice_line_ids.sale_line_ids
        for wrap in lines.filtered("amazon_df_gift_wrap_seq"):
            items = lines.filtered(lambda ln, w=wrap: ln.order_id == w.order_id
                                   and ln.product_id == w.amazon_df_gift_wrap_for_id
                                   and not ln.amazon_df_gift_wrap_seq)
            if not items:
                raise UserError(_("The gift wrap of item %(item)s of Amazon order %(order)s is "
                                  "invoiced without the item: invoice them together.",
                                  item=wrap.amazon_df_gift_wrap_seq,
                                  order=wrap.order_id.amazon_df_number))

    def _amazon_df_invoice_body(self):
        """Payments v1 invoice: one line per order item invoiced, netCost the order's price,
        the taxes in one total; the total adds up as Amazon adds it."""
        self.ensure_one()
        lines, ship_from, orders = [], set(), {}
        products = self.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
        # a gift wrap is Amazon's GIFTWRAP charge on the item it wraps, not an item
        gift_wraps = products.filtered(lambda ln: ln.sale_line_ids.amazon_df_gift_wrap_seq)
        for line in products - gift_wraps:
            order = line.sale_line_ids.order_id[:1]
            if not order.amazon_df_account_id:
                raise UserError(_("Line %s is not from an Amazon DF order.", line.name))
            if order.id not in orders:
                orders[order.id] = order._amazon_df_neutral()
            neutral = orders[order.id]
            ship_from.add(neutral["ship_from"])
            product = line.product_id
            item = next((i for i in neutral["items"] if i["vendor_sku"] == product.default_code
                         or (i["asin"] and i["asin"] == product.amazon_vendor_asin)), None)
            if item is None:
                raise UserError(_("%(product)s is not an item of Amazon order %(order)s.",
                                  product=product.display_name, order=neutral["number"]))
            lines.append({"order": neutral["number"], "seq": item["seq"], "asin": item["asin"],
                          "vendor_sku": item["vendor_sku"], "quantity": int(line.quantity),
                          "net_cost": item["net_price"]})
        for line in gift_wraps:
            wrap = line.sale_line_ids[:1]
            number = wrap.order_id.amazon_df_number
            item = next((i for i in lines if i["order"] == number
                         and i["seq"] == wrap.amazon_df_gift_wrap_seq), None)
            if item is None:
                raise UserError(_("The gift wrap of item %(item)s of Amazon order %(order)s is "
                                  "invoiced without the item: invoice them together.",
                                  item=wrap.amazon_df_gift_wrap_seq, order=number))
            item.setdefault("charges", []).append(
                {"type": "GIFTWRAP", "amount": f"{line.price_subtotal:.2f}"})
        if len(ship_from) != 1:
            raise UserError(_("An Amazon DF invoice covers orders of one warehouse."))
        account = self.amazon_df_account_id
        country = (self.company_id.country_id.code or "")
        taxes = []
        if self.amount_tax:
            taxes.append({"type": TAX_TYPE_BY_COUNTRY.get(country, "VAT"),
                          "amount": f"{self.amount_tax:.2f}",
                          "taxable": f"{self.amount_untaxed:.2f}"})
        when = datetime.datetime.combine(self.invoice_date or fields.Date.today(),
                                         datetime.time(12))
        # remitToParty: the vendor code Amazon ordered from (an account may have several)
        selling = {n["selling_party"] for n in orders.values() if n.get("selling_party")}
        if len(selling) > 1:
            raise UserError(_("An Amazon DF invoice covers orders of one vendor code."))
        detail = mapping.invoice(self.name, min(when, fields.Datetime.now()),
                                 selling.pop() if selling else account.party_ids[:1].code,
                                 ship_from.pop(),
                                 self.currency_id.name, lines, taxes=taxes)
        return mapping.invoice_body([detail])

    def _amazon_df_known_to_amazon(self):
        """Plain words when Amazon has (or may have) this invoice number already, else ''."""
        doc = self.amazon_df_document_id
        if doc.state not in ("accepted", "sent", "sending", "unknown"):
            return ""
        return _("Amazon has DF invoice %(name)s already (%(state)s): an invoice number is "
                 "never sent twice; correct it with a new invoice once Amazon's answer is in.",
                 name=self.name, state=dict(doc._fields["state"]._description_selection(
                     self.env)).get(doc.state, doc.state))

    def _amazon_df_queue_invoice(self):
        self.ensure_one()
        known = self._amazon_df_known_to_amazon()
        if known:  # posted again after a reset to draft: nothing goes to Amazon
            self.message_post(body=known)
            return False
        try:
            body = self._amazon_df_invoice_body()
        except (UserError, mapping.MappingError, ValueError) as exc:
            self.amazon_df_account_id._amazon_vendor_todo(
                self, _("Amazon DF invoice not sent"), [str(exc)])
            return False
        doc = self.env["amazon.vendor.document"]._queue_outbound(
            self.amazon_df_account_id, "df_invoice", self.name, self, body)
        self.amazon_df_document_id = doc
        return doc

    def action_amazon_df_send(self):
        for move in self:
            if move.state != "posted":
                raise UserError(_("Post the invoice before sending it to Amazon."))
            known = move._amazon_df_known_to_amazon()
            if known:
                raise UserError(known)
            doc = move._amazon_df_queue_invoice()
            if doc:
                doc._send_to_amazon()
        return True

    def _amazon_vendor_document_settled(self, document):
        if not document.kind.startswith("df_"):
            return super()._amazon_vendor_document_settled(document)
        if document.state == "failed":
            self.message_post(body=_("Amazon refused invoice %(name)s: %(error)s",
                                     name=self.name, error=document.error_message))
        elif document.state == "accepted":
            self.message_post(body=_("Amazon accepted invoice %s.", self.name))
        return None
