import base64
import datetime
import logging
import time

from odoo import _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from ..lib import report_documents
from ..lib.report_documents import FORECAST, INVENTORY, SALES

_logger = logging.getLogger(__name__)

REPORT_TYPES = [(FORECAST, "Forecast"), (INVENTORY, "Inventory"), (SALES, "Sales")]
ROW_MODELS = {FORECAST: "amazon.vendor.report.forecast",
              INVENTORY: "amazon.vendor.report.inventory",
              SALES: "amazon.vendor.report.sales"}
DONE, FAILED = "DONE", ("CANCELLED", "FATAL")
POLL_SECONDS = 2.0
PENDING_DAYS = 3  # a report Amazon has not produced by then is given up


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    report_type = fields.Selection(REPORT_TYPES, readonly=True, index=True)
    report_row_count = fields.Integer(string="Report Rows", readonly=True)
    report_marketplace_id = fields.Many2one("amazon.vendor.marketplace", string="Marketplace",
                                            readonly=True)
    report_date = fields.Date(readonly=True, index=True,
                              help="When Amazon generated the forecast, or the last day the "
                                   "report covers.")

    def _amazon_vendor_archive_report(self, raw, compression):
        """Keep the document exactly as received, then its rows; a document that cannot be
        read is archived all the same and marked failed."""
        self.ensure_one()
        self.write({"payload_in": base64.b64encode(raw), "amazon_status": "DONE"})
        try:
            parsed = report_documents.parse_report(
                report_documents.decode_document(raw, compression))
        except report_documents.ReportDocumentError as exc:
            self._set_state("failed", error_message=str(exc))
            return
        rows = parsed["rows"]
        asins = {row["asin"] for row in rows}
        company = self.account_id.company_id
        products = self.env["product.product"].search(
            [("amazon_vendor_asin", "in", list(asins)),
             ("company_id", "in", [False, company.id])], order="id") if asins else []
        by_asin = {}
        for product in products:  # the oldest active product of this company wins
            by_asin.setdefault(product.amazon_vendor_asin, product.id)
        self.env[ROW_MODELS[parsed["report_type"]]].create([
            dict(row, document_id=self.id, account_id=self.account_id.id,
                 product_id=by_asin.get(row["asin"], False)) for row in rows])
        message = _("%(rows)s rows archived.", rows=len(rows))
        if parsed["skipped"]:
            message = _("%(rows)s rows archived, %(skipped)s incomplete rows skipped.",
                        rows=len(rows), skipped=parsed["skipped"])
        dates = [row.get("generation_date") or row.get("end_date") for row in rows]
        self._set_state("processed", report_type=parsed["report_type"],
                        report_row_count=len(rows), error_message=False,
                        report_date=max(dates) if dates else False)
        self.message_post(body=message)

    @api.model
    def _cron_fetch_amazon_reports(self):
        accounts = self.env["amazon.vendor.account"].search([("active", "=", True)])
        accounts._fetch_amazon_reports()


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    last_report_fetch_at = fields.Datetime(string="Reports Fetched", readonly=True, copy=False)

    @staticmethod
    def _amazon_vendor_report_request(report_type, today):
        """createReport options: last complete retail week for sales/inventory, Amazon's
        current forecast otherwise."""
        if report_type == FORECAST:
            return {"reportOptions": {"sellingProgram": "RETAIL"}}
        start, end = report_documents.amazon_weeks(today, 1)
        return {"reportOptions": {"reportPeriod": "WEEK", "distributorView": "MANUFACTURING",
                                  "sellingProgram": "RETAIL"},
                "dataStartTime": f"{start.isoformat()}T00:00:00Z",
                "dataEndTime": f"{end.isoformat()}T23:59:59Z"}

    def action_fetch_amazon_reports(self):
        # the button is for managers (view); rows are written by the system
        self.check_access("write")
        imported = self.sudo()._fetch_amazon_reports()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success" if imported else "warning", "sticky": False,
            "message": _("%s Amazon reports received.", len(imported)) if imported else _(
                "No report received yet: see the account's messages; reports Amazon is still "
                "preparing are collected by the next fetch.")}}

    def _fetch_amazon_reports(self, report_types=(FORECAST, INVENTORY, SALES), wait=120.0):
        """Request the vendor reports, wait for them within ``wait`` seconds and archive each
        document as received. Reports not ready in time stay in the ledger without payload
        and are collected by the next fetch; a failing account does not stop the others."""
        Document = self.env["amazon.vendor.document"]
        today = fields.Date.context_today(self)
        imported = Document
        for account in self:
            try:
                with account._amazon_vendor_api() as api:
                    pending = Document.search([("account_id", "=", account.id),
                                               ("kind", "=", "report"),
                                               ("state", "=", "received"),
                                               ("report_type", "!=", False)])
                    for marketplace in account.marketplace_ids:
                        for report_type in report_types:
                            report_id = api.create_report(
                                report_type, [marketplace.marketplace_id],
                                **self._amazon_vendor_report_request(report_type, today))
                            pending |= Document.create({
                                "account_id": account.id, "kind": "report",
                                "external_id": report_id, "report_type": report_type,
                                "report_marketplace_id": marketplace.id})
                    imported |= account._collect_amazon_reports(api, pending, wait)
                account.last_report_fetch_at = fields.Datetime.now()
            except AmazonApiError as exc:
                _logger.info("Amazon reports of account %s not fetched: %s", account.id,
                             exc.message)
                account.message_post(body=_("Amazon reports could not be fetched: %s",
                                            exc.message))
        return imported

    def _collect_amazon_reports(self, api, documents, wait):
        """Poll and download each report; one that fails is recorded and the others go on."""
        self.ensure_one()
        polls = int(wait // POLL_SECONDS)  # counted, not timed: the clock may stand still
        waiting, done = documents, documents.browse()
        stale_before = fields.Datetime.now() - datetime.timedelta(days=PENDING_DAYS)
        while waiting:
            for doc in waiting:
                try:
                    status = api.get_report(doc.external_id)
                    state = status.get("processingStatus")
                    if state == DONE:
                        raw, compression = api.download_report_document(
                            status["reportDocumentId"])
                        doc._amazon_vendor_archive_report(raw, compression)
                        done |= doc
                    elif state in FAILED:
                        doc._set_state("failed", amazon_status=state, error_message=_(
                            "Amazon did not produce the report (%s).", state))
                        done |= doc
                    elif doc.create_date < stale_before:
                        doc._set_state("failed", amazon_status=state, error_message=_(
                            "Amazon has not produced the report in %s days.", PENDING_DAYS))
                        done |= doc
                except AmazonApiError as exc:
                    if not exc.retryable:  # Amazon refuses this one: no use asking again
                        doc._set_state("failed", error_message=exc.message)
                    done |= doc
            waiting -= done
            if not waiting or polls <= 0:
                break
            polls -= 1
            time.sleep(POLL_SECONDS)
        return done.filtered(lambda d: d.state == "processed")
