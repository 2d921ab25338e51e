"""Per-account figures for the Amazon Vendor dashboard: work to do and the chargeback rates."""
import datetime

from odoo import _, fields, models

RATE_PERIOD = datetime.timedelta(days=90)
RATES = ("ack_on_time", "confirmation", "fill", "asn_on_time", "invoice_acceptance")


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    dashboard_to_acknowledge = fields.Integer(compute="_compute_dashboard")
    dashboard_ack_overdue = fields.Integer(compute="_compute_dashboard")
    dashboard_next_deadline = fields.Datetime(compute="_compute_dashboard")
    dashboard_deliveries_due = fields.Integer(compute="_compute_dashboard")
    dashboard_asn_late = fields.Integer(compute="_compute_dashboard")
    dashboard_invoices_refused = fields.Integer(compute="_compute_dashboard")
    dashboard_invoices_no_answer = fields.Integer(compute="_compute_dashboard")
    dashboard_documents_stuck = fields.Integer(compute="_compute_dashboard")
    dashboard_changed_orders = fields.Integer(compute="_compute_dashboard")
    dashboard_orders_failed = fields.Integer(compute="_compute_dashboard")
    dashboard_documents_unknown = fields.Integer(compute="_compute_dashboard")
    rate_ack_on_time = fields.Float(string="Acknowledged on Time (%)", compute="_compute_dashboard")
    rate_confirmation = fields.Float(string="Confirmation Rate (%)", compute="_compute_dashboard")
    rate_fill = fields.Float(string="Fill Rate (%)", compute="_compute_dashboard")
    rate_asn_on_time = fields.Float(string="ASN on Time (%)", compute="_compute_dashboard")
    rate_invoice_acceptance = fields.Float(string="Invoices Accepted (%)",
                                           compute="_compute_dashboard")

    def _dashboard_domains(self):
        """Domains behind each figure, so every number opens its records."""
        now = fields.Datetime.now()
        return {
            # A refused acknowledgement needs an answer even once the order is confirmed.
            "to_acknowledge": ("sale.order", [
                "|", "&", ("amazon_vendor_ack_state", "in", ("to_acknowledge", "to_approve")),
                ("state", "in", ("draft", "sent")),
                "&", ("amazon_vendor_ack_state", "=", "failed"), ("state", "!=", "cancel")]),
            "ack_overdue": ("sale.order", [
                "|", "&", ("amazon_vendor_ack_state", "in", ("to_acknowledge", "to_approve")),
                ("state", "in", ("draft", "sent")),
                ("amazon_vendor_ack_state", "=", "queued"),  # confirmed, not at Amazon yet
                ("amazon_vendor_ack_deadline", "<", now)]),
            "changed_orders": ("sale.order", [("amazon_vendor_changed", "=", True)]),
            "deliveries_due": ("stock.picking", [
                ("picking_type_code", "=", "outgoing"),
                ("state", "in", ("confirmed", "waiting", "assigned"))]),
            # Not submitted by the deadline, or refused: one submitted in time is not late
            # while Amazon has not answered.
            "asn_late": ("stock.picking",
                         self.env["stock.picking"]._amazon_vendor_late_asn_domain(now)),
            # Refused = failed only; submitted without an answer yet is counted apart.
            "invoices_refused": ("account.move", [
                ("amazon_vendor_document_id.state", "=", "failed")]),
            "invoices_no_answer": ("account.move", [
                ("amazon_vendor_document_id.state", "=", "sent")]),
            # Purchase orders Odoo could not take: Amazon still expects an acknowledgement.
            "orders_failed": ("amazon.vendor.document", [
                ("kind", "=", "purchase_order"), ("state", "=", "failed")]),
            "documents_unknown": ("amazon.vendor.document", [("state", "=", "unknown")]),
            "documents_stuck": ("amazon.vendor.document", [
                ("state", "=", "sent"), ("sent_at", "<", now - datetime.timedelta(hours=1))]),
        }

    def _compute_dashboard(self):
        figures = {a.id: {} for a in self}
        for key, (model, domain) in self._dashboard_domains().items():
            field = "account_id" if model == "amazon.vendor.document" else \
                "amazon_vendor_account_id"
            for account, count in self.env[model]._read_group(
                    [(field, "in", self.ids)] + domain, [field], ["__count"]):
                figures[account.id][key] = count
        deadlines = dict(self.env["sale.order"]._read_group(
            [("amazon_vendor_account_id", "in", self.ids)]
            + self._dashboard_domains()["to_acknowledge"][1],
            ["amazon_vendor_account_id"], ["amazon_vendor_ack_deadline:min"]))
        rates = self._dashboard_rates()
        for account in self:
            values = figures[account.id]
            for key in ("to_acknowledge", "ack_overdue", "deliveries_due", "asn_late",
                        "invoices_refused", "invoices_no_answer", "documents_stuck",
                        "changed_orders", "orders_failed", "documents_unknown"):
                account[f"dashboard_{key}"] = values.get(key, 0)
            account.dashboard_next_deadline = deadlines.get(account, False)
            for key in RATES:
                account[f"rate_{key}"] = rates.get(account.id, {}).get(key, 0.0)

    def _dashboard_rates(self):
        """The rates that decide chargebacks, over the last 90 days, in a few grouped reads."""
        since = fields.Datetime.now() - RATE_PERIOD
        lines = self.env["sale.order.line"]._read_group(
            [("amazon_vendor_account_id", "in", self.ids),
             ("order_id.amazon_vendor_po_date", ">=", since),
             ("amazon_vendor_item_sequence", "!=", False),
             ("order_id.amazon_vendor_ack_state", "in", ("sent", "accepted")),
             ("order_id.state", "!=", "cancel")],
            ["amazon_vendor_account_id"],
            ["amazon_vendor_ordered_qty:sum", "amazon_vendor_accepted_qty:sum",
             "amazon_vendor_backordered_qty:sum", "qty_delivered:sum"])
        # Per purchase order, its first acknowledgement Amazon did not refuse (a resend of the
        # same order does not count twice; a refused one was no acknowledgement).
        first_acks = {}
        for ack in self.env["amazon.vendor.document"].search_read(
                [("account_id", "in", self.ids), ("kind", "=", "acknowledgement"),
                 ("sent_at", ">=", since), ("res_model", "=", "sale.order"),
                 ("state", "!=", "failed")],
                ["account_id", "sent_at", "res_id"], order="sent_at, id"):
            first_acks.setdefault(ack["res_id"], ack)
        acks = list(first_acks.values())
        deadlines = {o["id"]: o["amazon_vendor_ack_deadline"] for o in self.env[
            "sale.order"].search_read([("id", "in", [a["res_id"] for a in acks])],
                                      ["amazon_vendor_ack_deadline"])}
        asns = self.env["stock.picking"].search_read(
            # Deliveries to Amazon only: not returns, nor the pick/pack steps before them.
            [("amazon_vendor_account_id", "in", self.ids), ("state", "=", "done"),
             ("picking_type_code", "=", "outgoing"), ("date_done", ">=", since)],
            ["amazon_vendor_account_id", "amazon_vendor_asn_deadline",
             "amazon_vendor_asn_document_id"])
        asn_sent = {d["id"]: d["sent_at"] for d in self.env["amazon.vendor.document"].search_read(
            [("id", "in", [a["amazon_vendor_asn_document_id"][0] for a in asns
                           if a["amazon_vendor_asn_document_id"]]),
             ("state", "!=", "failed")], ["sent_at"])}  # a refused ASN was never on time
        invoices = self.env["amazon.vendor.document"]._read_group(
            [("account_id", "in", self.ids), ("kind", "in", ("invoice", "credit_note")),
             ("state", "in", ("accepted", "failed")), ("sent_at", ">=", since)],
            ["account_id", "state"], ["__count"])

        def percent(part, whole):
            return round(100.0 * part / whole, 1) if whole else 0.0

        rates = {a.id: {} for a in self}
        for account, ordered, accepted, backordered, delivered in lines:
            rates[account.id]["confirmation"] = percent(accepted + backordered, ordered)
            rates[account.id]["fill"] = percent(delivered, accepted + backordered)
        for account in self:
            own = [a for a in acks if a["account_id"][0] == account.id]
            on_time = [a for a in own if deadlines.get(a["res_id"])
                       and a["sent_at"] <= deadlines[a["res_id"]]]
            rates[account.id]["ack_on_time"] = percent(len(on_time), len(own))
            shipped = [a for a in asns if a["amazon_vendor_account_id"]
                       and a["amazon_vendor_account_id"][0] == account.id]
            timely = [a for a in shipped if a["amazon_vendor_asn_document_id"]
                      and asn_sent.get(a["amazon_vendor_asn_document_id"][0])
                      and a["amazon_vendor_asn_deadline"]
                      and asn_sent[a["amazon_vendor_asn_document_id"][0]]
                      <= a["amazon_vendor_asn_deadline"]]
            rates[account.id]["asn_on_time"] = percent(len(timely), len(shipped))
            done = {state: count for acc, state, count in invoices if acc == account}
            rates[account.id]["invoice_acceptance"] = percent(
                done.get("accepted", 0), done.get("accepted", 0) + done.get("failed", 0))
        return rates

    def action_dashboard_open(self):
        """Open the records behind one dashboard figure (the button's name in context)."""
        self.ensure_one()
        key = self.env.context.get("dashboard_figure")
        model, domain = self._dashboard_domains()[key]
        field = "account_id" if model == "amazon.vendor.document" else "amazon_vendor_account_id"
        return {
            "type": "ir.actions.act_window", "res_model": model, "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [(field, "=", self.id)] + domain,
            "name": _("%(account)s: %(figure)s", account=self.name,
                      figure=self.env.context.get("dashboard_label", key)),
        }
