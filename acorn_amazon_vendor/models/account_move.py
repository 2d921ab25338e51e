"""Customer invoices and credit notes of Amazon orders -> Amazon invoices, through the ledger."""
import dataclasses
import datetime
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.mapping.invoice import (
    CREDIT_NOTE_COUNTRIES,
    Allowance,
    Charge,
    Invoice,
    InvoiceError,
    InvoiceLine,
    Party,
    Tax,
    build_invoice,
    check_invoice,
    invoice_total,
)


def decimal(value):
    return Decimal(str(value))


class AccountMove(models.Model):
    _inherit = "account.move"

    amazon_vendor_account_id = fields.Many2one(
        "amazon.vendor.account", compute="_compute_amazon_vendor",
        store=True, index="btree_not_null")
    amazon_vendor_po_numbers = fields.Char(string="Amazon POs", compute="_compute_amazon_vendor",
                                           store=True)
    amazon_vendor_document_id = fields.Many2one("amazon.vendor.document", string="Amazon Document",
                                                readonly=True, copy=False)
    amazon_vendor_state = fields.Selection(related="amazon_vendor_document_id.state",
                                           string="Amazon Status")
    amazon_vendor_ever_accepted = fields.Boolean(
        related="amazon_vendor_document_id.ever_accepted", string="Accepted by Amazon Once")
    amazon_vendor_error = fields.Text(related="amazon_vendor_document_id.error_message",
                                      string="Amazon Error")
    amazon_vendor_issues = fields.Text(string="Amazon Checks", readonly=True, copy=False)

    @api.depends("invoice_line_ids.sale_line_ids.order_id.amazon_vendor_account_id")
    def _compute_amazon_vendor(self):
        for move in self:
            orders = move.invoice_line_ids.sale_line_ids.order_id.filtered(
                "amazon_vendor_account_id")
            move.amazon_vendor_account_id = orders.amazon_vendor_account_id[:1]
            move.amazon_vendor_po_numbers = ", ".join(
                sorted(set(orders.mapped("amazon_vendor_po_number")))) or False

    # -- neutral invoice ----------------------------------------------------------------------
    def _amazon_vendor_party(self, partner, party_id, tax_id=""):
        return Party(
            party_id=party_id or "", name=partner.commercial_partner_id.name or partner.name or "",
            street=partner.street or "", street2=partner.street2 or "", city=partner.city or "",
            state_code=partner.state_id.code or "", zip=partner.zip or "",
            country_code=partner.country_id.code or "", tax_registration=tax_id or "")

    def _amazon_vendor_invoice(self):
        """This move as the neutral Invoice of the mapping layer."""
        self.ensure_one()
        currency = self.currency_id
        orders = self.invoice_line_ids.sale_line_ids.order_id.filtered("amazon_vendor_account_id")
        first = orders[:1]
        company = self.company_id
        lines, charges, allowances, tax_totals = [], [], [], {}
        for line in self.invoice_line_ids.filtered(lambda ln: ln.display_type == "product"):
            sale_line = line.sale_line_ids.filtered("amazon_vendor_item_sequence")[:1]
            product = line.product_id.product_tmpl_id
            taxes = line.tax_ids.compute_all(
                line.price_unit, currency, line.quantity, line.product_id, self.partner_id,
                is_refund=self.move_type == "out_refund")
            for tax_result in taxes["taxes"]:
                tax = self.env["account.tax"].browse(tax_result["id"])
                key = (tax.amazon_vendor_tax_type or "VAT", decimal(tax.amount))
                total = tax_totals.setdefault(key, [Decimal(0), Decimal(0)])
                total[0] += decimal(tax_result["base"])
                total[1] += decimal(tax_result["amount"])
            amount = decimal(currency.round(abs(line.price_subtotal)))
            if product.amazon_vendor_charge_type:
                charges.append(Charge(product.amazon_vendor_charge_type, amount, line.name or ""))
            elif product.amazon_vendor_allowance_type or line.price_subtotal < 0:
                allowances.append(Allowance(product.amazon_vendor_allowance_type or "Discount",
                                            amount, line.name or ""))
            elif sale_line:
                order = sale_line.order_id
                eaches = int(round(line.product_uom_id._compute_quantity(
                    line.quantity, sale_line.product_uom)))
                size = sale_line.amazon_vendor_unit_size
                cases = sale_line.amazon_vendor_uom == "Cases" and size \
                    and not eaches % size
                price = decimal(line.price_unit)
                cost = sale_line._amazon_vendor_net_cost_exact()
                lines.append(InvoiceLine(
                    item_sequence=len(lines) + 1, po_number=order.amazon_vendor_po_number,
                    asin=sale_line.amazon_vendor_asin or "",
                    vendor_sku=sale_line.amazon_vendor_vendor_sku or "",
                    quantity=eaches // sale_line.amazon_vendor_unit_size if cases else eaches,
                    unit_of_measure="Cases" if cases else "Eaches",
                    unit_size=sale_line.amazon_vendor_unit_size if cases else 1,
                    # Amazon's cost exactly as it sent it when the price is that cost (a
                    # credit note's cost is the credited amount: its own price).
                    net_cost=cost if cost is not None and cost == price
                    and self.move_type == "out_invoice" else price,
                    po_item_sequence=sale_line.amazon_vendor_item_sequence))
            else:
                raise UserError(_(
                    "Invoice line %(line)s comes from no Amazon purchase order item and is not an "
                    "Amazon charge or allowance product.", line=line.name))
        taxes = tuple(Tax(tax_type, rate, base, amount)
                      for (tax_type, rate), (base, amount) in tax_totals.items())
        po_dates = {o.amazon_vendor_po_number: o.amazon_vendor_po_date for o in orders}
        # Noon of the invoice date, never later than now (Amazon refuses a future date, and
        # today's date in Asia is still tomorrow in UTC), never before a PO it invoices.
        date = min(datetime.datetime.combine(self.invoice_date or fields.Date.today(),
                                             datetime.time(12)), fields.Datetime.now())
        date = max([date] + [d for d in po_dates.values() if d])
        warehouse = first.warehouse_id.partner_id or company.partner_id
        term = self.invoice_payment_term_id
        payment_terms = None
        if term:
            payment_terms = {"type": "Basic",
                             "net_due_days": max(term.line_ids.mapped("nb_days") or [0])}
            if term.early_discount:
                payment_terms.update(discount_percent=decimal(term.discount_percentage),
                                     discount_due_days=term.discount_days)
        vendor_code = first._amazon_vendor_selling_code() \
            or self.amazon_vendor_account_id.party_ids[:1].code or ""
        # Amazon's VAT number as its order gave it (EU invoices name the buyer's), else the
        # one kept on the Amazon customer
        bill_to_tax = first._amazon_vendor_ordered_bill_to()
        return Invoice(
            number=self.name,
            invoice_type="CreditNote" if self.move_type == "out_refund" else "Invoice",
            date=date, currency=currency.name,
            remit_to=self._amazon_vendor_party(company.partner_id, vendor_code, company.vat),
            bill_to=dataclasses.replace(self._amazon_vendor_party(
                self.partner_id, self.partner_id.amazon_vendor_party_id
                or first.amazon_vendor_bill_to_id.amazon_vendor_party_id or "",
                bill_to_tax.tax_registration or self.partner_id.commercial_partner_id.vat),
                tax_registration_type=bill_to_tax.tax_registration_type or "VAT"),
            ship_from=self._amazon_vendor_party(warehouse, vendor_code),
            ship_to=self._amazon_vendor_party(first.partner_shipping_id,
                                              first.amazon_vendor_ship_to_code),
            lines=tuple(lines), payment_terms=payment_terms, taxes=taxes,
            charges=tuple(charges), allowances=tuple(allowances),
            reference_invoice_number=self.reversed_entry_id.name or "" if
            self.move_type == "out_refund" else "",
            po_dates=po_dates)

    def _amazon_vendor_problems(self, invoice):
        """What blocks sending, with the data only Odoo knows (PO costs, shipped, invoiced)."""
        sale_lines = self.invoice_line_ids.sale_line_ids.filtered("amazon_vendor_item_sequence")
        key = lambda sl: (sl.order_id.amazon_vendor_po_number, sl.amazon_vendor_item_sequence)  # noqa: E731
        po_costs = {key(sl): (sl._amazon_vendor_net_cost_exact() or Decimal(0),
                              sl.currency_id.name) for sl in sale_lines}
        shipped = {key(sl): int(sl.qty_delivered) for sl in sale_lines}
        this_move = {}
        for line in self.invoice_line_ids:
            for sl in line.sale_line_ids & sale_lines:
                this_move[key(sl)] = this_move.get(key(sl), 0) + int(line.quantity)
        posted = self.state == "posted"
        already = {key(sl): int(sl.qty_invoiced) - (this_move.get(key(sl), 0) if posted else 0)
                   for sl in sale_lines}
        accepted = set(self.env["amazon.vendor.document"].search([
            ("account_id", "=", self.amazon_vendor_account_id.id),
            ("kind", "in", ("invoice", "credit_note")),
            "|", ("state", "=", "accepted"), ("ever_accepted", "=", True),
            ("res_id", "!=", self.id)]).mapped("external_id"))
        problems = []
        for sale_line in sale_lines.filtered("amazon_vendor_cost_unit"):
            problems.append(_(
                "Amazon PO %(po)s item %(seq)s is priced per %(unit)s: Odoo invoices per unit "
                "and would be paid wrongly; invoice it in Vendor Central.",
                po=sale_line.order_id.amazon_vendor_po_number,
                seq=sale_line.amazon_vendor_item_sequence, unit=sale_line.amazon_vendor_cost_unit))
        if invoice.invoice_type == "Invoice":
            # A price Odoo had to round can never be Amazon's cost: say why, plainly.
            for line in self.invoice_line_ids.filtered(lambda ln: ln.display_type == "product"):
                for sale_line in line.sale_line_ids & sale_lines:
                    cost = sale_line._amazon_vendor_net_cost_exact()
                    if cost is None or decimal(line.price_unit) == cost:
                        continue
                    precision = sale_line._amazon_vendor_precision_problem(cost, _(
                        "Amazon PO %(po)s item %(seq)s", po=sale_line.order_id
                        .amazon_vendor_po_number, seq=sale_line.amazon_vendor_item_sequence))
                    if precision:
                        problems.append(precision + " " + _(
                            "Then reset this invoice to draft and set the price to %(cost)s: "
                            "an invoice at %(price)s would be refused (NetCostMismatch) or paid "
                            "at Amazon's cost.", cost=format(cost, "f"), price=line.price_unit))
        if invoice.invoice_type == "CreditNote":
            countries = {o.partner_shipping_id.country_id.code or "" for o in
                         sale_lines.order_id} - {""}
            refused = sorted(countries - set(CREDIT_NOTE_COUNTRIES))
            if refused:
                problems.append(_(
                    "Amazon accepts credit notes through the API only for %(supported)s; this "
                    "one is for %(countries)s. Keep it in Odoo and settle the credit with Amazon "
                    "in Vendor Central (Amazon deducts it from a payment).",
                    supported=", ".join(CREDIT_NOTE_COUNTRIES), countries=", ".join(refused)))
            problems += check_invoice(invoice, po_costs, dict.fromkeys(shipped, 10 ** 9), None,
                                      accepted)
        else:
            problems += check_invoice(invoice, po_costs, shipped, already, accepted)
        difference = self._amazon_vendor_total_difference(invoice)
        if abs(difference) > self._amazon_vendor_rounding_tolerance(invoice):
            problems.append(_(
                "The total sent to Amazon (%(amazon)s) would differ from the invoice total "
                "(%(odoo)s): use prices with at most the currency's decimals.",
                amazon=invoice_total(invoice), odoo=self.amount_total))
        return problems

    def _amazon_vendor_total_difference(self, invoice):
        """Amazon's invoiceTotal (sum of net cost x quantity, taxes...) minus Odoo's total."""
        return invoice_total(invoice) - decimal(self.currency_id.round(self.amount_total))

    def _amazon_vendor_rounding_tolerance(self, invoice):
        """Odoo rounds each line's subtotal, Amazon only the total: with costs finer than the
        currency, the totals may differ by up to half a currency unit per line."""
        return decimal(self.currency_id.rounding) / 2 * len(invoice.lines)

    # -- sending --------------------------------------------------------------------------------
    def _post(self, soft=True):
        posted = super()._post(soft)
        for move in posted.filtered(lambda m: m.amazon_vendor_account_id and m.is_sale_document()
                                    and m.amazon_vendor_account_id.invoice_auto_send):
            move._amazon_vendor_queue()
        return posted

    def _amazon_vendor_resend_refusal(self):
        """Why this invoice can no longer be sent, in plain words ('' when it can)."""
        self.ensure_one()
        doc = self.amazon_vendor_document_id
        if doc.ever_accepted or doc.state == "accepted":
            if self.move_type == "out_refund":
                return _("Amazon already accepted credit note %s: its number is used and it can "
                         "never be sent again. Correct it with a new invoice or credit note.",
                         self.name)
            return _("Amazon already accepted invoice %s: its number is used and it can never be "
                     "sent again. Correct it with a credit note (and a new invoice if needed).",
                     self.name)
        if doc.state in ("sending", "unknown"):
            return _("Amazon may already have %s: its outcome is being checked. Wait for "
                     "Amazon's answer before sending it again.", self.name)
        if doc.state == "sent":
            return _("Amazon has not answered about %s yet: wait for its answer before sending "
                     "it again.", self.name)
        return ""

    def _amazon_vendor_queue(self, raise_refusal=False):
        """Check, build and put the Amazon invoice in the ledger (the send cron sends it).

        A refused invoice is corrected and sent again under its own number (Amazon never
        registered it); one Amazon accepted is never sent again.
        """
        self.ensure_one()
        if self.state != "posted":
            raise UserError(_("Post the invoice before sending it to Amazon."))
        refusal = self._amazon_vendor_resend_refusal()
        if refusal:
            if raise_refusal:
                raise UserError(refusal)
            self.amazon_vendor_issues = refusal
            self.amazon_vendor_account_id._amazon_vendor_todo(
                self, _("Amazon invoice not sent"), [refusal])
            return False
        try:
            invoice = self._amazon_vendor_invoice()
            problems = self._amazon_vendor_problems(invoice)
            body = None if problems else build_invoice(invoice, fields.Datetime.now())
        except InvoiceError as exc:
            problems = exc.problems
        if problems:
            self.amazon_vendor_issues = "\n".join(problems)
            self.amazon_vendor_account_id._amazon_vendor_todo(
                self, _("Amazon invoice not sent: fix and send again"), problems)
            return False
        self.amazon_vendor_issues = False
        difference = self._amazon_vendor_total_difference(invoice)
        if difference:
            self.message_post(body=_(
                "Amazon will read a total of %(amazon)s (net costs x quantities, then rounded) "
                "for this invoice of %(odoo)s: a difference of %(difference)s from rounding "
                "each line.", amazon=invoice_total(invoice), odoo=self.amount_total,
                difference=difference))
        kind = "credit_note" if self.move_type == "out_refund" else "invoice"
        doc = self.env["amazon.vendor.document"]._queue_outbound(
            self.amazon_vendor_account_id, kind, self.name, self, body)
        self.amazon_vendor_document_id = doc
        return doc

    def action_amazon_vendor_send(self):
        for move in self:
            doc = move._amazon_vendor_queue(raise_refusal=True)
            if doc:
                doc._send_to_amazon()
        return True

    def _amazon_vendor_document_settled(self, document):
        if document.state == "failed":
            self.message_post(body=_("Amazon refused invoice %(name)s: %(error)s",
                                     name=self.name, error=document.error_message))
        elif document.state == "accepted":
            self.message_post(body=_("Amazon accepted invoice %s.", self.name))
