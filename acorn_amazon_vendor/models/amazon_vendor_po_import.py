"""Purchase orders from Amazon into the ledger: windows, pages, watermark, idempotent upsert."""
import datetime
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.mapping.purchase_order import parse_purchase_order
from ..lib.transport import AmazonApiError

_logger = logging.getLogger(__name__)

FIRST_IMPORT_DAYS = 30
# Stable advisory-lock namespace (Python's hash() differs between processes).
IMPORT_LOCK_NAMESPACE = 727_100


def parse_amazon_datetime(value):
    """Amazon's ISO 8601 (``2026-11-20T10:00:00Z``) as a naive UTC datetime for the ORM."""
    if not value:
        return False
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    def _due_for(self, duty):
        """Accounts whose ``duty`` (import, send, poll) interval has elapsed."""
        now = fields.Datetime.now()
        return self.filtered(lambda a: not a[f"last_{duty}_at"] or a[f"last_{duty}_at"]
                             + datetime.timedelta(minutes=a[f"{duty}_interval"]) <= now)

    @api.model
    def _cron_import_purchase_orders(self):
        accounts = self.search([])._due_for("import")
        for done, account in enumerate(accounts, 1):
            try:
                account._import_purchase_orders()
            except AmazonApiError as exc:
                # Recorded, not raised: the other accounts still import.
                account.message_post(body=_("Purchase order import failed: %s", exc))
            account.last_import_at = fields.Datetime.now()
            if self.env.context.get("ir_cron_progress_id"):
                self.env.cr.commit()
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(accounts) - done)

    def action_sync_now(self):
        self.ensure_one()
        try:
            stats = self._import_purchase_orders()
        except AmazonApiError as exc:
            raise UserError(self._explain_error(exc, self._get_transport_config())) from None
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Amazon purchase orders"),
                "message": _("%(new)s new, %(changed)s changed, %(same)s unchanged.", **stats),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _import_purchase_orders(self, now=None):
        """Read POs created, then changed, since the watermark minus the look-back.

        Two runs on one account never overlap (advisory lock); every PO is upserted on the
        ledger's unique key, so a run killed halfway is completed by the next one.
        """
        self.ensure_one()
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                            (IMPORT_LOCK_NAMESPACE, self.id))
        if not self.env.cr.fetchone()[0]:
            raise UserError(_("An import is already running for %s.", self.name))
        now = (now or fields.Datetime.now()).replace(microsecond=0)
        start = (self.import_watermark or now - datetime.timedelta(days=FIRST_IMPORT_DAYS)) \
            - datetime.timedelta(hours=self.import_lookback_hours)
        start = max(start, now - datetime.timedelta(days=FIRST_IMPORT_DAYS * 6))
        stats = {"new": 0, "changed": 0, "same": 0}
        utc = datetime.UTC
        # One pass per vendor code (orderingVendorCode); none configured = the whole group.
        filters = [{"orderingVendorCode": code} for code in
                   self.party_ids.filtered("active").mapped("code")] or [{}]
        with self._amazon_vendor_api() as api:
            for field in ("created", "changed"):
                for extra in filters:
                    for _ws, _we, orders in api.iter_purchase_order_pages(
                            start.replace(tzinfo=utc), now.replace(tzinfo=utc),
                            window_field=field, **extra):
                        for key, count in self._upsert_purchase_orders(orders).items():
                            stats[key] += count
        self.import_watermark = now
        self.env["amazon.vendor.document"].search([
            ("account_id", "=", self.id), ("kind", "=", "purchase_order"),
            ("state", "=", "received")])._amazon_vendor_process_purchase_orders()
        _logger.info("Amazon Vendor account %s: purchase orders %s", self.id, stats)
        return stats

    def _upsert_purchase_orders(self, orders):
        """One search and one create per page, whatever its size."""
        Document = self.env["amazon.vendor.document"]
        by_number = {o["purchaseOrderNumber"]: o for o in orders if o.get("purchaseOrderNumber")}
        existing = {d.external_id: d for d in Document.search([
            ("account_id", "=", self.id), ("kind", "=", "purchase_order"),
            ("external_id", "in", list(by_number))])}
        stats = {"new": 0, "changed": 0, "same": 0}
        to_create = []
        for number, order in by_number.items():
            digest = Document._hash_payload(order)
            details = order.get("orderDetails") or {}
            values = {
                "payload_in": Document._encode_payload(order),
                "payload_hash": digest,
                "amazon_changed_at": parse_amazon_datetime(
                    details.get("purchaseOrderChangedDate")),
            }
            doc = existing.get(number)
            if doc is None:
                to_create.append(dict(values, account_id=self.id, kind="purchase_order",
                                      external_id=number))
                stats["new"] += 1
            elif doc.payload_hash != digest:
                doc._set_state("received", **values)
                doc.message_post(body=_("Amazon changed this purchase order."))
                stats["changed"] += 1
            else:
                stats["same"] += 1
        if to_create:
            Document.create(to_create)
        return stats


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    def _amazon_vendor_process_purchase_orders(self):
        """Received purchase orders -> sale orders (new) or change handling (known)."""
        received = self.filtered(lambda d: d.kind == "purchase_order" and d.state == "received")
        orders = self.env["sale.order"].search([("amazon_vendor_document_id", "in", received.ids)])
        by_doc = {o.amazon_vendor_document_id: o for o in orders}
        for doc in received.filtered(lambda d: d in by_doc):
            by_doc[doc]._amazon_vendor_register_change(
                parse_purchase_order(doc._get_payload("payload_in")))
            doc._set_state("processed", settled_at=fields.Datetime.now())
        new = received.filtered(lambda d: d not in by_doc)
        # Orders Amazon already counts as acknowledged or closed were handled elsewhere
        # (e.g. by hand in Vendor Central): kept in the ledger, not turned into quotations.
        handled = new.filtered(
            lambda d: (d._get_payload("payload_in") or {}).get("purchaseOrderState") != "New")
        handled._set_state("processed")
        new -= handled
        created = self.env["sale.order"]
        for account in new.account_id:
            created |= self.env["sale.order"]._amazon_vendor_create_from_documents(
                new.filtered(lambda d, a=account: d.account_id == a))
        return created
