import json

from odoo.tests import HttpCase, tagged
from odoo.tools import file_open

from .common import DashboardCase

EXPECTED_PARAM = "acorn_amazon_vendor_dashboard.tour_expected"


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase, DashboardCase):
    def test_dashboard_shows_the_figures(self):
        """A manager opens Dashboards > Amazon Vendor and reads the figures the database holds
        (the kanban's own rates), the per-account table and a chart point per week."""
        self.account.name = "Amazon US (dashboard tour)"
        scenario = self._build_scenario()
        account = self.account
        account.invalidate_recordset()
        with file_open("acorn_amazon_vendor_dashboard/data/files/"
                       "amazon_vendor_dashboard.json") as handle:
            cells = json.load(handle)["sheets"][0]["cells"]
        first_account = next(xc for xc, cell in cells.items()
                             if cell["content"] == '=PIVOT.HEADER(4,"#account_id",1)')
        # Scorecards show fractions (0.0 %); the core rounds its rates to 0.1 %.
        expected = [
            ["Data", "B2", account.rate_ack_on_time / 100, 0.0006],
            ["Data", "B3", account.rate_confirmation / 100, 0.0006],
            ["Data", "B4", account.rate_fill / 100, 0.0006],
            ["Data", "B5", account.rate_asn_on_time / 100, 0.0006],
            ["Data", "B6", account.rate_invoice_acceptance / 100, 0.0006],
            ["Data", "B7", scenario["invoice"].amount_residual_signed, 0.005],
            ["Data", "B8", account.dashboard_stockout_risk, 0],
            ["Data", "B9", len(scenario["orders"]), 0],
            ["Dashboard", first_account, account.display_name, None],
        ]
        self.assertEqual([e[2] for e in expected[:5]], [0.5, 0.867, 0.462, 1.0, 1.0])
        self.env["ir.config_parameter"].sudo().set_param(EXPECTED_PARAM, json.dumps(expected))
        self.start_tour("/odoo", "acorn_amazon_vendor_dashboard_figures", login="admin")
