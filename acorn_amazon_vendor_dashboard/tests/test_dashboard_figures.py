import datetime
import json

import pytz

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import file_open

from .common import DashboardCase

RATES = ["ack_on_time_rate:avg", "confirmation_rate:avg", "fill_rate:avg",
         "asn_on_time_rate:avg", "acceptance_rate:avg"]


@tagged("post_install", "-at_install")
class TestDashboardFigures(DashboardCase):
    def test_figures_by_hand_and_like_the_kanban(self):
        scenario = self._build_scenario()
        invoice = scenario["invoice"]
        self.assertEqual(scenario["asn"].state, "accepted")
        self.assertEqual(invoice.amazon_vendor_state, "accepted")
        Report = self.env["amazon.vendor.report"]
        rows = Report.search([("account_id", "=", self.account.id)])
        self.assertEqual(sorted(rows.mapped("kind")),
                         ["invoice", "order", "order", "order", "shipment"])
        self.assertEqual(set(rows.mapped("region")), {"NA"})
        self.assertEqual(rows.marketplace_id, self.marketplace_us)
        self.assertEqual(set(rows.mapped("ship_to_code")), {"ABE2", "LAX9"})

        [totals] = Report._read_group(
            [("account_id", "=", self.account.id)], [],
            ["order_count:sum", "ack_count:sum", "ack_on_time_count:sum",
             "ack_ordered_qty:sum", "confirmed_qty:sum", "shipped_qty:sum",
             "shipment_count:sum", "asn_on_time_count:sum", "answered_count:sum",
             "accepted_count:sum", "open_amount:sum", *RATES])
        # 3 POs; 2 acknowledged (1 on time); 10 + 5 units ordered on them, 10 + 3 confirmed;
        # 6 shipped; 1 shipment with its ASN on time; 1 invoice, accepted.
        self.assertEqual(totals[:10], (3, 2, 1, 15, 13, 6.0, 1, 1, 1, 1))
        self.assertAlmostEqual(totals[10], invoice.amount_residual_signed)
        self.assertAlmostEqual(invoice.amount_untaxed,
                               6 * float(self._item(0)["net_cost"]), places=2)
        # Ratios of sums: 1/2, 13/15, 6/13, 1/1, 1/1.
        self.assertEqual([float(r) for r in totals[11:]], [50.0, 86.7, 46.2, 100.0, 100.0])
        # The kanban's rates (core) say the same.
        account = self.account
        account.invalidate_recordset()
        self.assertEqual([account.rate_ack_on_time, account.rate_confirmation, account.rate_fill,
                          account.rate_asn_on_time, account.rate_invoice_acceptance],
                         [50.0, 86.7, 46.2, 100.0, 100.0])

        # Per fulfilment centre: ABE2 has the on-time PO (10/10 confirmed, 6/10 shipped) and
        # the unacknowledged one; LAX9 the late one (3/5 confirmed, nothing shipped: a real
        # 0 %) and no shipment or invoice (no rate, not 0 %: the ORM reads NULL as False).
        per_centre = {code: values for code, *values in Report._read_group(
            [("account_id", "=", self.account.id)], ["ship_to_code"],
            ["order_count:sum", *RATES])}
        self.assertEqual(per_centre["ABE2"], [2, 100.0, 100.0, 60.0, 100.0, 100.0])
        self.assertEqual(per_centre["LAX9"], [1, 0.0, 60.0, 0.0, False, False])

        # By week, as the charts read them: a week without a shipment has no ASN point.
        weeks = Report.read_group([("shipment_count", ">", 0)], ["asn_on_time_rate"],
                                  ["date:week"])
        self.assertEqual([w["asn_on_time_rate"] for w in weeks], [100.0])

        # A return of that delivery is not a shipment to Amazon (no ASN owed for it).
        picking = scenario["picking"]
        wizard = self.env["stock.return.picking"].with_context(
            active_id=picking.id, active_model="stock.picking").create({})
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(sum(Report.search([("kind", "=", "shipment")]).mapped(
            "shipment_count")), 1, "the return is not counted as a shipment")
        account.invalidate_recordset()
        self.assertEqual(account.rate_asn_on_time, 100.0)

        stockouts = self.env["amazon.vendor.report.stockout"].search([])
        self.assertEqual(stockouts.plan_id, scenario["plan"])
        self.assertEqual((stockouts.risk_count, stockouts.shortage_qty), (1, 42.0))
        # The core's kanban counts the same risks.
        self.assertEqual(account.dashboard_stockout_risk, 1)

    def test_acknowledged_on_time_counts_each_order_once_and_no_refused_send(self):
        scenario = self._build_scenario()
        on_time, late = scenario["orders"]["PO000001"], scenario["orders"]["PO000003"]
        Document = self.env["amazon.vendor.document"]
        # The on-time order acknowledged again later (a correction): still one order, on time.
        Document.create({"account_id": self.account.id, "kind": "acknowledgement",
                         "external_id": "ACK-AGAIN", "res_model": "sale.order",
                         "res_id": on_time.id, "state": "accepted",
                         "sent_at": on_time.amazon_vendor_ack_deadline
                         + datetime.timedelta(hours=5)})
        # The late order: an early send Amazon refused does not make it on time.
        Document.create({"account_id": self.account.id, "kind": "acknowledgement",
                         "external_id": "ACK-REFUSED", "res_model": "sale.order",
                         "res_id": late.id, "state": "failed",
                         "sent_at": late.amazon_vendor_ack_deadline
                         - datetime.timedelta(hours=5)})
        [totals] = self.env["amazon.vendor.report"]._read_group(
            [("account_id", "=", self.account.id)], [],
            ["ack_count:sum", "ack_on_time_count:sum", "ack_on_time_rate:avg"])
        self.assertEqual(tuple(totals), (2, 1, 50.0))
        self.account.invalidate_recordset()
        self.assertEqual(self.account.rate_ack_on_time, 50.0, "the kanban agrees")

    def test_changes_not_yet_written_to_the_database_are_counted(self):
        invoice = self._build_scenario()["invoice"]
        Report = self.env["amazon.vendor.report"]
        [(accepted,)] = Report._read_group([("kind", "=", "invoice")], [],
                                           ["accepted_count:sum"])
        self.assertEqual(accepted, 1)
        # Amazon refuses it after all: the figures read the change before Odoo writes it.
        invoice.amazon_vendor_document_id.state = "failed"
        [(accepted, answered)] = Report._read_group(
            [("kind", "=", "invoice")], [], ["accepted_count:sum", "answered_count:sum"])
        self.assertEqual((accepted, answered), (0, 1))

    def test_an_invoice_stays_on_its_date_in_every_time_zone(self):
        invoice = self._build_scenario()["invoice"]
        # Midday in the reader's zone: New Zealand (UTC+12/+13) and Kiribati (UTC+14) too,
        # which midday UTC would have put on the next day.
        for tz in ("Pacific/Pago_Pago", "America/Los_Angeles", "Europe/Berlin",
                   "Asia/Shanghai", "Asia/Tokyo", "Pacific/Auckland", "Pacific/Kiritimati"):
            Report = self.env["amazon.vendor.report"].with_context(tz=tz)
            [(day, count)] = Report._read_group([("kind", "=", "invoice")], ["date:day"],
                                                ["invoice_count:sum"])
            self.assertEqual((day.date(), count), (invoice.invoice_date, 1), tz)
            # A period filter sends the bounds of the reader's days in UTC.
            zone = pytz.timezone(tz if tz in pytz.all_timezones_set else "UTC")
            day_start = zone.localize(datetime.datetime.combine(
                invoice.invoice_date, datetime.time())).astimezone(pytz.utc)
            [(count,)] = Report._read_group(
                [("kind", "=", "invoice"),
                 ("date", ">=", day_start.replace(tzinfo=None)),
                 ("date", "<", (day_start + datetime.timedelta(days=1)).replace(tzinfo=None))],
                [], ["invoice_count:sum"])
            self.assertEqual(count, 1, tz)

    def test_receivables_in_the_current_company_currency(self):
        invoice = self._build_scenario()["invoice"]
        home = invoice.company_id.currency_id
        abroad = self.env.ref("base.EUR" if home != self.env.ref("base.EUR") else "base.USD")
        abroad.active = True
        europe = self.env["res.company"].create({"name": "Vendor Europe GmbH",
                                                 "currency_id": abroad.id})
        # In the European company's books 1 unit of its currency buys 1.25 of the home one.
        self.env["res.currency.rate"].create({
            "currency_id": home.id, "company_id": europe.id, "rate": 1.25,
            "name": fields.Date.today() - datetime.timedelta(days=3)})
        Report = self.env["amazon.vendor.report"]
        measures = ["open_amount:sum", "amount_total:sum"]
        [(currency, *amounts)] = Report._read_group([("kind", "=", "invoice")], ["currency_id"],
                                                    measures)
        self.assertEqual(currency, home)
        self.assertEqual(amounts, [invoice.amount_residual_signed, invoice.amount_total_signed])
        [(currency, *amounts)] = Report.with_company(europe)._read_group(
            [("kind", "=", "invoice")], ["currency_id"], measures)
        self.assertEqual(currency, abroad)
        self.assertAlmostEqual(amounts[0], invoice.amount_residual_signed / 1.25, places=2)
        self.assertAlmostEqual(amounts[1], invoice.amount_total_signed / 1.25, places=2)
        self.assertTrue(amounts[0])
        # Read on records, the amounts follow the current company too (not another's cache).
        rows = Report.search([("kind", "=", "invoice")])
        self.assertEqual(rows.open_amount, invoice.amount_residual_signed)
        in_europe = rows.with_company(europe)
        self.assertEqual(in_europe.currency_id, abroad)
        self.assertAlmostEqual(in_europe.open_amount, invoice.amount_residual_signed / 1.25,
                               places=2)
        # A company that keeps no rate of its own converts as Odoo does everywhere else
        # (shared rates, else 1:1), not by a different rule.
        bare = self.env["res.company"].create({"name": "Vendor Bare Ltd",
                                               "currency_id": abroad.id})
        [(amount,)] = Report.with_company(bare)._read_group(
            [("kind", "=", "invoice")], [], ["open_amount:sum"])
        self.assertAlmostEqual(amount, home._convert(
            invoice.amount_residual_signed, abroad, bare, fields.Date.today(), round=False),
            places=2)

    def test_company_isolation(self):
        self._build_scenario()
        other = self.env["res.company"].create({"name": "Other Vendor Ltd"})
        group = self.env.ref("acorn_amazon_vendor.group_amazon_vendor_user")
        outsider = self.env["res.users"].create({
            "name": "Other planner", "login": "dashboard_outsider",
            "company_id": other.id, "company_ids": [Command.set(other.ids)],
            "groups_id": [Command.set(group.ids)]})
        insider = self.env["res.users"].create({
            "name": "Planner", "login": "dashboard_insider",
            "company_id": self.env.company.id,
            "company_ids": [Command.set(self.env.company.ids)],
            "groups_id": [Command.set(group.ids)]})
        for model in ("amazon.vendor.report", "amazon.vendor.report.stockout"):
            self.assertFalse(self.env[model].with_user(outsider).search([]), model)
            self.assertFalse(self.env[model].with_user(outsider)._read_group(
                [], ["company_id"], ["__count"]), model)
            self.assertTrue(self.env[model].with_user(insider).search([]), model)
        self.assertEqual(self.env["amazon.vendor.report"].with_user(insider).search_count(
            [("kind", "=", "order")]), 3)

    def test_dashboard_is_published_for_amazon_vendor_users(self):
        dashboard = self.env.ref(
            "acorn_amazon_vendor_dashboard.spreadsheet_dashboard_amazon_vendor")
        self.assertEqual(dashboard.group_ids, self.env.ref(
            "acorn_amazon_vendor.group_amazon_vendor_user") | self.env.ref(
            "acorn_amazon_vendor.group_amazon_vendor_manager"))
        with file_open("acorn_amazon_vendor_dashboard/data/files/"
                       "amazon_vendor_dashboard.json") as handle:
            data = json.load(handle)
        self.assertEqual(data["version"], 21)
        # Every pivot, list and Odoo chart is matched to the filters that apply to its model.
        sources = list(data["pivots"].values()) + list(data["lists"].values()) + [
            f["data"] for s in data["sheets"] for f in s["figures"]
            if f["data"]["type"].startswith("odoo_")]
        filters = {f["id"] for f in data["globalFilters"]}
        for source in sources:
            self.assertEqual(set(source["fieldMatching"]), filters)
        # The constraint of spreadsheet.mixin checked its fields and models at install; a
        # user of the group loads it.
        user = self.env["res.users"].create({
            "name": "Amazon user", "login": "dashboard_reader",
            "groups_id": [Command.set(self.env.ref(
                "acorn_amazon_vendor.group_amazon_vendor_user").ids)]})
        snapshot = dashboard.with_user(user).get_readonly_dashboard()["snapshot"]
        self.assertEqual(len(snapshot["sheets"][0]["figures"]), 16)
