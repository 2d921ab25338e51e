"""The Amazon Vendor dashboard's figures: one row per purchase order, per delivery shipped and
per invoice, each dated by its own event, with the measures of the chargeback rates."""
import pytz

from odoo import api, fields, models, tools
from odoo.addons.acorn_amazon_vendor.models.amazon_vendor_marketplace import REGIONS
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

# {rate: (numerator, denominator)}: the core's dashboard rates (amazon.vendor.account).
RATES = {
    "ack_on_time_rate": ("ack_on_time_count", "ack_count"),
    "confirmation_rate": ("confirmed_qty", "ack_ordered_qty"),
    "fill_rate": ("shipped_qty", "confirmed_qty"),
    "asn_on_time_rate": ("asn_on_time_count", "shipment_count"),
    "acceptance_rate": ("accepted_count", "answered_count"),
}
MEASURES = ("order_count", "ordered_qty", "ack_ordered_qty", "confirmed_qty", "shipped_qty",
            "ack_count", "ack_on_time_count", "shipment_count", "asn_on_time_count",
            "invoice_count", "answered_count", "accepted_count", "amount_total",
            "open_amount")


class AmazonVendorReport(models.Model):
    """Rows of three kinds, so that one pivot shows every rate per account, marketplace or
    fulfilment centre:

    - ``order``: an Amazon purchase order, dated by its PO date. Quantities count on
      acknowledged orders only, acknowledgements per acknowledgement sent (on time when sent
      by the order's acknowledgement deadline).
    - ``shipment``: a delivery shipped to Amazon (done picking), dated when shipped; on time
      when its ASN was sent by the ASN deadline.
    - ``invoice``: a posted invoice or credit note, dated by its invoice date: Amazon's answer
      (accepted or refused) and what Amazon still owes, by due date.

    Rates are ratios of sums over a group (see ``_read_group_select``), never averages of
    rates, and follow ``amazon.vendor.account._dashboard_rates``.
    """
    _name = "amazon.vendor.report"
    _description = "Amazon Vendor Dashboard Figures"
    _auto = False
    _order = "date desc, id desc"
    # What the query reads: pending writes to it are flushed before every read.
    _depends = {
        "sale.order": ["amazon_vendor_account_id", "amazon_vendor_po_date", "company_id",
                       "state", "amazon_vendor_ack_state", "amazon_vendor_ack_deadline",
                       "partner_shipping_id", "amazon_vendor_ship_to_code"],
        "sale.order.line": ["order_id", "amazon_vendor_item_sequence",
                            "amazon_vendor_ordered_qty", "amazon_vendor_accepted_qty",
                            "amazon_vendor_backordered_qty", "qty_delivered",
                            "invoice_lines"],
        "stock.picking": ["amazon_vendor_account_id", "company_id", "picking_type_id",
                          "amazon_vendor_asn_document_id", "amazon_vendor_asn_deadline",
                          "sale_id", "state", "date_done"],
        "stock.picking.type": ["code"],
        "account.move": ["amazon_vendor_account_id", "amazon_vendor_document_id", "company_id",
                         "state", "move_type", "invoice_date", "invoice_date_due",
                         "amount_total_signed", "amount_residual_signed"],
        "account.move.line": ["move_id"],
        "amazon.vendor.document": ["kind", "res_model", "res_id", "sent_at", "state"],
        "amazon.vendor.account": ["region", "marketplace_ids"],
        "amazon.vendor.marketplace": ["country_id", "sequence"],
        "res.partner": ["country_id"],
    }

    kind = fields.Selection([("order", "Purchase Order"), ("shipment", "Shipment"),
                             ("invoice", "Invoice")], readonly=True)
    date = fields.Datetime(readonly=True, depends_context=("tz",),
                           help="PO date, shipping date or invoice date, after the kind.")
    date_due = fields.Date(string="Due Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    # Amounts of every company are converted into the current company's currency (today's
    # rates, as Odoo's Invoice Analysis does): a sum over a US and a European company adds
    # dollars to dollars, not to euros.
    currency_id = fields.Many2one("res.currency", readonly=True, depends_context=("company",))
    account_id = fields.Many2one("amazon.vendor.account", string="Vendor Account", readonly=True)
    region = fields.Selection(REGIONS, readonly=True)
    marketplace_id = fields.Many2one("amazon.vendor.marketplace", readonly=True)
    ship_to_code = fields.Char(string="Fulfilment Centre", readonly=True)

    order_count = fields.Integer(string="Purchase Orders", readonly=True)
    ordered_qty = fields.Integer(string="Ordered", readonly=True, help="Units Amazon ordered.")
    ack_ordered_qty = fields.Integer(
        string="Ordered (Acknowledged)", readonly=True,
        help="Units Amazon ordered on the purchase orders already acknowledged.")
    confirmed_qty = fields.Integer(
        string="Confirmed", readonly=True,
        help="Units accepted or backordered in the acknowledgement.")
    shipped_qty = fields.Float(string="Shipped", readonly=True,
                               help="Units delivered on the acknowledged purchase orders.")
    ack_count = fields.Integer(string="Acknowledgements", readonly=True,
                               help="Acknowledgements sent to Amazon.")
    ack_on_time_count = fields.Integer(
        string="Acknowledged on Time", readonly=True,
        help="Acknowledgements sent by the account's acknowledgement deadline.")
    shipment_count = fields.Integer(string="Shipments", readonly=True)
    asn_on_time_count = fields.Integer(
        string="ASNs on Time", readonly=True,
        help="Shipments whose ASN was sent to Amazon by its deadline.")
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    answered_count = fields.Integer(
        string="Answered by Amazon", readonly=True,
        help="Invoices and credit notes Amazon accepted or refused.")
    accepted_count = fields.Integer(string="Accepted by Amazon", readonly=True)
    amount_total = fields.Monetary(
        string="Invoiced", readonly=True, currency_field="currency_id",
        depends_context=("company",),
        help="In the current company's currency, at today's rates.")
    open_amount = fields.Monetary(
        string="Open Receivable", readonly=True, currency_field="currency_id",
        depends_context=("company",),
        help="What Amazon has not paid yet (credit notes deduct), in the current company's "
             "currency at today's rates.")

    ack_on_time_rate = fields.Float(
        string="Acknowledged on Time (%)", readonly=True, aggregator="avg",
        help="Acknowledgements sent on time / acknowledgements sent.")
    confirmation_rate = fields.Float(
        string="Confirmation Rate (%)", readonly=True, aggregator="avg",
        help="Units confirmed (accepted or backordered) / units ordered, on acknowledged "
             "purchase orders.")
    fill_rate = fields.Float(
        string="Fill Rate (%)", readonly=True, aggregator="avg",
        help="Units shipped / units confirmed: what was delivered of what was promised.")
    asn_on_time_rate = fields.Float(
        string="ASN on Time (%)", readonly=True, aggregator="avg",
        help="Shipments with an ASN sent by its deadline / shipments.")
    acceptance_rate = fields.Float(
        string="Invoices Accepted (%)", readonly=True, aggregator="avg",
        help="Invoices and credit notes accepted / accepted or refused by Amazon.")

    def _read_group_select(self, aggregate_spec, query):
        """A rate of a group is the ratio of its sums, never the average of its rows' rates;
        a group without a denominator has no rate (NULL)."""
        if aggregate_spec == "__count":
            return super()._read_group_select(aggregate_spec, query)
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname not in RATES or func not in ("avg", "sum", "max", "min"):
            return super()._read_group_select(aggregate_spec, query)
        numerator, denominator = RATES[fname]
        super()._read_group_select(f"{fname}:avg", query)  # the usual checks
        return SQL(
            "ROUND(100.0 * SUM(%(num)s)::numeric / NULLIF(SUM(%(den)s), 0)::numeric, 1)",
            num=self._field_to_sql(self._table, numerator, query),
            den=self._field_to_sql(self._table, denominator, query))

    # -- the view ---------------------------------------------------------------------------
    @api.model
    def _marketplace_join(self):
        """``mk.id``: Amazon's purchase orders do not name their marketplace; it is the
        account's marketplace in the country of the fulfilment centre, else the account's
        first marketplace."""
        field = self.env["amazon.vendor.account"]._fields["marketplace_ids"]
        return SQL("""
            LEFT JOIN res_partner ship ON ship.id = so.partner_shipping_id
            LEFT JOIN LATERAL (
                SELECT m.id
                  FROM %(rel)s r
                  JOIN amazon_vendor_marketplace m ON m.id = r.%(col2)s
                 WHERE r.%(col1)s = a.id
                 ORDER BY (m.country_id IS NOT DISTINCT FROM ship.country_id) DESC,
                          m.sequence, m.id
                 LIMIT 1) mk ON TRUE""",
                   rel=SQL.identifier(field.relation), col1=SQL.identifier(field.column1),
                   col2=SQL.identifier(field.column2))

    @api.model
    def _select(self, kind, values):
        """One branch of the union: every measure, 0 unless ``values`` gives it."""
        columns = [SQL("%s AS %s", values.get(name, SQL("0")), SQL.identifier(name))
                   for name in MEASURES]
        rates = [SQL("%s AS %s", values.get(name, SQL("NULL::numeric")), SQL.identifier(name))
                 for name in RATES]
        return SQL("""%(id)s AS id, %(kind)s AS kind, %(date)s AS date,
                      %(date_due)s AS date_due, %(order)s AS order_id,
                      %(picking)s AS picking_id, %(move)s AS move_id,
                      %(company)s AS company_id, %(currency)s AS currency_id,
                      a.id AS account_id,
                      a.region, mk.id AS marketplace_id,
                      so.amazon_vendor_ship_to_code AS ship_to_code, %(measures)s""",
                   id=values["id"], kind=kind, date=values["date"],
                   date_due=values.get("date_due", SQL("NULL::date")),
                   order=values.get("order_id", SQL("so.id")),
                   picking=values.get("picking_id", SQL("NULL::integer")),
                   move=values.get("move_id", SQL("NULL::integer")),
                   company=values["company_id"], currency=self.env.company.currency_id.id,
                   measures=SQL(", ").join(columns + rates))

    def _query(self):
        # Row ids: 3 * record id + kind, unique across the three kinds.
        orders = self._select("order", {
            "id": SQL("so.id * 3"), "date": SQL("so.amazon_vendor_po_date"),
            "company_id": SQL("so.company_id"),
            "order_count": SQL("1"),
            "ordered_qty": SQL("COALESCE(lines.ordered_qty, 0)"),
            "ack_ordered_qty": SQL("acked.ordered_qty"),
            "confirmed_qty": SQL("acked.confirmed_qty"),
            "shipped_qty": SQL("acked.shipped_qty"),
            "ack_count": SQL("COALESCE(acks.ack_count, 0)"),
            "ack_on_time_count": SQL("COALESCE(acks.ack_on_time_count, 0)"),
            "ack_on_time_rate": SQL(
                "ROUND(100.0 * acks.ack_on_time_count / NULLIF(acks.ack_count, 0), 1)"),
            "confirmation_rate": SQL(
                "ROUND(100.0 * acked.confirmed_qty / NULLIF(acked.ordered_qty, 0), 1)"),
            "fill_rate": SQL("ROUND((100.0 * acked.shipped_qty "
                             "/ NULLIF(acked.confirmed_qty, 0))::numeric, 1)"),
        })
        shipments = self._select("shipment", {
            "id": SQL("p.id * 3 + 1"), "date": SQL("p.date_done"),
            "company_id": SQL("p.company_id"), "picking_id": SQL("p.id"),
            "shipment_count": SQL("1"), "asn_on_time_count": SQL("on_time.flag"),
            "asn_on_time_rate": SQL("100.0 * on_time.flag"),
        })
        invoices = self._select("invoice", {
            # A date, where the other rows have a moment: midday of that day in the reader's
            # time zone, which the filters and week buckets convert back to the same day.
            "id": SQL("m.id * 3 + 2"),
            "date": SQL("((m.invoice_date + INTERVAL '12 hours') AT TIME ZONE %s) "
                        "AT TIME ZONE 'UTC'", self._reader_tz()),
            "date_due": SQL("m.invoice_date_due"), "company_id": SQL("m.company_id"),
            "move_id": SQL("m.id"), "invoice_count": SQL("1"),
            # Answered by Amazon: sent, then accepted or refused (not stopped by Odoo's checks).
            "answered_count": SQL("(d.sent_at IS NOT NULL "
                                  "AND d.state IN ('accepted', 'failed'))::int"),
            "accepted_count": SQL("(d.state = 'accepted')::int"),
            "amount_total": SQL("m.amount_total_signed * account_currency_table.rate"),
            "open_amount": SQL("m.amount_residual_signed * account_currency_table.rate"),
            "acceptance_rate": SQL(
                "CASE WHEN d.sent_at IS NULL THEN NULL "
                "WHEN d.state = 'accepted' THEN 100.0 WHEN d.state = 'failed' THEN 0.0 END"),
        })
        return SQL("""
            WITH lines AS (
                SELECT l.order_id,
                       SUM(l.amazon_vendor_ordered_qty) AS ordered_qty,
                       SUM(COALESCE(l.amazon_vendor_accepted_qty, 0)
                           + COALESCE(l.amazon_vendor_backordered_qty, 0)) AS confirmed_qty,
                       SUM(l.qty_delivered) AS shipped_qty
                  FROM sale_order_line l
                 WHERE l.amazon_vendor_item_sequence IS NOT NULL
                 GROUP BY l.order_id
            ), acks AS (
                -- Per purchase order, its first acknowledgement Amazon did not refuse.
                SELECT d.res_id AS order_id, 1 AS ack_count,
                       (MIN(d.sent_at) <= MIN(o.amazon_vendor_ack_deadline))::int
                           AS ack_on_time_count
                  FROM amazon_vendor_document d
                  JOIN sale_order o ON o.id = d.res_id
                 WHERE d.kind = 'acknowledgement' AND d.res_model = 'sale.order'
                   AND d.sent_at IS NOT NULL AND d.state != 'failed'
                 GROUP BY d.res_id
            )
            SELECT %(orders)s
              FROM sale_order so
              JOIN amazon_vendor_account a ON a.id = so.amazon_vendor_account_id
              LEFT JOIN lines ON lines.order_id = so.id
              LEFT JOIN acks ON acks.order_id = so.id
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN s.acked THEN COALESCE(lines.ordered_qty, 0) ELSE 0 END
                             AS ordered_qty,
                         CASE WHEN s.acked THEN COALESCE(lines.confirmed_qty, 0) ELSE 0 END
                             AS confirmed_qty,
                         CASE WHEN s.acked THEN COALESCE(lines.shipped_qty, 0) ELSE 0 END
                             AS shipped_qty
                    FROM (SELECT COALESCE(so.amazon_vendor_ack_state IN ('sent', 'accepted'),
                                          FALSE) AS acked) s) acked
              %(marketplace)s
             WHERE so.state != 'cancel'
            UNION ALL
            SELECT %(shipments)s
              FROM stock_picking p
              JOIN amazon_vendor_account a ON a.id = p.amazon_vendor_account_id
              -- Deliveries to Amazon only: not returns, nor the pick/pack steps before them.
              JOIN stock_picking_type pt ON pt.id = p.picking_type_id AND pt.code = 'outgoing'
              LEFT JOIN amazon_vendor_document d ON d.id = p.amazon_vendor_asn_document_id
              LEFT JOIN sale_order so ON so.id = p.sale_id
              CROSS JOIN LATERAL (
                  SELECT COALESCE((d.sent_at <= p.amazon_vendor_asn_deadline
                                   AND d.state != 'failed')::int, 0) AS flag
              ) on_time
              %(marketplace)s
             WHERE p.state = 'done'
            UNION ALL
            SELECT %(invoices)s
              FROM account_move m
              JOIN amazon_vendor_account a ON a.id = m.amazon_vendor_account_id
              JOIN %(currency_table)s ON account_currency_table.company_id = m.company_id
              LEFT JOIN amazon_vendor_document d ON d.id = m.amazon_vendor_document_id
              -- An invoice may bill several purchase orders: its first one places it.
              LEFT JOIN LATERAL (
                  SELECT sol.order_id AS id
                    FROM account_move_line aml
                    JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                    JOIN sale_order_line sol ON sol.id = rel.order_line_id
                   WHERE aml.move_id = m.id
                   ORDER BY sol.order_id
                   LIMIT 1) first_order ON TRUE
              LEFT JOIN sale_order so ON so.id = first_order.id
              %(marketplace)s
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
        """, orders=orders, shipments=shipments, invoices=invoices,
                   marketplace=self._marketplace_join(), currency_table=self._currency_table())

    @api.model
    def _currency_table(self):
        """``account_currency_table(company_id, rate)``: per company (archived ones too), the
        factor from its currency into the current company's at today's rate, by Odoo's usual
        lookup (the current company's or shared rates, the oldest when none is older than
        today, 1 without any). Inline values: no temporary table on a read (read-only
        replicas), one query for every currency."""
        target = self.env.company.currency_id
        companies = self.env["res.company"].sudo().with_context(active_test=False).search([])
        rates = (companies.currency_id | target)._get_rates(
            self.env.company, fields.Date.context_today(self))
        rows = [SQL("(%s, %s::numeric)", company.id,
                    rates[target.id] / rates[company.currency_id.id]) for company in companies]
        return SQL("(VALUES %s) AS account_currency_table(company_id, rate)",
                   SQL(", ").join(rows))

    @api.model
    def _reader_tz(self):
        """The time zone the dates are grouped and filtered in (Odoo's read_group converts
        datetimes with the context's), UTC without one."""
        tz = self.env.context.get("tz")
        return tz if tz in pytz.all_timezones_set else "UTC"

    def init(self):
        # The figures were a database view until the amounts were converted per reader.
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        # Built per read: the currency and time zone are the reader's.
        return self._query()
