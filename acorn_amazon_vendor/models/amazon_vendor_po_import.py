"""Purchase orders from Amazon into the ledger: windows, pages, watermark, idempotent upsert,
then into quotations; one purchase order Odoo cannot take never holds back the others.

Two runs for one account never overlap (advisory lock: the second skips quietly); every PO is
upserted on the ledger's unique key and turned into at most one sale order (unique index), so
a run killed halfway is completed by the next one without duplicates.
"""
import datetime
import json
import logging

from psycopg2 import errors as pgerrors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..lib import amazon_dates
from ..lib.mapping.purchase_order import (
    MAX_IDENTIFIER,
    parse_purchase_order,
)
from ..lib.transport import AmazonApiError

_logger = logging.getLogger(__name__)

FIRST_IMPORT_DAYS = 30
# Stable advisory-lock namespace (Python's hash() differs between processes).
IMPORT_LOCK_NAMESPACE = 727_100


class ImportBusy(Exception):
    """Another worker or server is importing this account right now."""


def amazon_changed_at(order):
    """purchaseOrderChangedDate as the ORM stores it; False when absent or unreadable."""
    details = order.get("orderDetails")
    value = details.get("purchaseOrderChangedDate") if isinstance(details, dict) else None
    parsed = amazon_dates.parse_date_time(value)
    return amazon_dates.naive_utc(parsed) if parsed else False


def po_number(order):
    """The ledger key of a PO: Amazon's number when usable, else None."""
    number = order.get("purchaseOrderNumber") if isinstance(order, dict) else None
    if isinstance(number, str) and 0 < len(number.strip()) <= MAX_IDENTIFIER \
            and number.isprintable():
        return number.strip()
    return None


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    def _due_for(self, duty):
        """Accounts whose ``duty`` (import, send, poll) interval has elapsed."""
        now = fields.Datetime.now()
        return self.filtered(lambda a: not a[f"last_{duty}_at"] or a[f"last_{duty}_at"]
                             + datetime.timedelta(minutes=a[f"{duty}_interval"]) <= now)

    def _amazon_vendor_mark_run(self, duty):
        """Record when ``duty`` last ran; another worker recording it at the same moment is
        as good (its transaction wins, nothing is lost)."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(SQL(
                    "UPDATE amazon_vendor_account SET %s = %s WHERE id IN %s",
                    SQL.identifier(f"last_{duty}_at"), fields.Datetime.now(), tuple(self.ids)),
                    log_exceptions=False)
        except (pgerrors.SerializationFailure, pgerrors.LockNotAvailable):
            _logger.info("Amazon Vendor accounts %s: %s time recorded by another worker",
                         self.ids, duty)
        self.invalidate_recordset([f"last_{duty}_at"])

    @api.model
    def _cron_import_purchase_orders(self):
        """Import every due account; one account failing never stops the others, and an
        account another worker is importing (or has just imported) is skipped quietly."""
        accounts = self.search([])._due_for("import")
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for done, account in enumerate(accounts, 1):
            try:
                if in_cron:
                    account._import_purchase_orders(commit=True)
                else:
                    with self.env.cr.savepoint():
                        account._import_purchase_orders()
                        account._amazon_vendor_mark_run("import")
            except ImportBusy:
                _logger.info("Amazon Vendor account %s: import already running elsewhere, "
                             "skipped", account.id)
            except Exception as exc:  # noqa: BLE001 - recorded, the other accounts still import
                if in_cron:
                    self.env.cr.rollback()
                account._amazon_vendor_import_failed(exc)
                account._amazon_vendor_mark_run("import")
            if in_cron:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron keeps done work
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(accounts) - done)

    def _amazon_vendor_import_failed(self, exc):
        self.ensure_one()
        if isinstance(exc, AmazonApiError):
            reason = self._explain_error(exc, self._get_transport_config())
        else:
            _logger.info("Amazon Vendor account %s: import failed (%s: %s)", self.id,
                         type(exc).__name__, exc)
            reason = _("%(type)s: %(error)s", type=type(exc).__name__, error=exc)
        self.message_post(body=_("Purchase order import failed: %s", reason))
        self._amazon_vendor_alert_import_failed(reason)

    def _amazon_vendor_alert_import_failed(self, reason):
        """Hook: tell people a whole import run failed (see amazon_vendor_import_alert.py)."""
        return False

    def action_sync_now(self):
        self.ensure_one()
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can import purchase orders from Amazon."))
        try:
            stats = self._import_purchase_orders()
        except ImportBusy:
            raise UserError(_("An import is already running for %s: try again in a minute.",
                              self.name)) from None
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

    def _import_purchase_orders(self, now=None, commit=False):
        """Read POs created, then changed, since the watermark minus the look-back.

        ``commit`` (crons): each page is committed as it lands, and a session lock keeps
        other workers out for the whole run; otherwise everything stays in the caller's
        transaction. Raises ImportBusy when another run holds the account.
        """
        self.ensure_one()
        lock = "pg_try_advisory_lock" if commit else "pg_try_advisory_xact_lock"
        self.env.cr.execute(f"SELECT {lock}(%s, %s)", (IMPORT_LOCK_NAMESPACE, self.id))
        if not self.env.cr.fetchone()[0]:
            raise ImportBusy(self.name)
        try:
            if commit:
                # The lock may come free just after another worker imported this account:
                # read its last run again (this transaction began with the lock).
                self.invalidate_recordset(["last_import_at"])
                if not self._due_for("import"):
                    raise ImportBusy(self.name)
            stats = self._import_purchase_orders_locked(now, commit)
            if commit:  # recorded before the lock goes, so the next worker sees it
                self._amazon_vendor_mark_run("import")
                self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron keeps done work
            return stats
        except BaseException:
            if commit:  # leave a clean transaction for the unlock and the caller's record
                self.env.cr.rollback()
            raise
        finally:
            if commit:
                self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)",
                                    (IMPORT_LOCK_NAMESPACE, self.id))

    def _import_purchase_orders_locked(self, now, commit):
        now = (now or fields.Datetime.now()).replace(microsecond=0)
        start = (self.import_watermark or now - datetime.timedelta(days=FIRST_IMPORT_DAYS)) \
            - datetime.timedelta(hours=self.import_lookback_hours)
        start = max(start, now - datetime.timedelta(days=FIRST_IMPORT_DAYS * 6))
        stats = {"new": 0, "changed": 0, "same": 0, "unreadable": 0}
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
                        if commit:
                            self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron keeps done work
        self.import_watermark = now
        self.env["amazon.vendor.document"].search([
            ("account_id", "=", self.id), ("kind", "=", "purchase_order"),
            ("state", "=", "received")])._amazon_vendor_process_purchase_orders()
        _logger.info("Amazon Vendor account %s: purchase orders %s", self.id, stats)
        return stats

    def _upsert_purchase_orders(self, orders):
        """One search and one create per page, whatever its size; when the page fails, each
        purchase order is stored on its own so that one bad order never blocks the rest."""
        Document = self.env["amazon.vendor.document"].sudo()
        if not isinstance(orders, list):
            # Never read past a page Amazon garbled: the watermark stays, the next run reads
            # the window again.
            raise AmazonApiError("malformed", _(
                "Amazon's page of purchase orders is not a list (%s): the import stops here "
                "and reads this window again next time.", type(orders).__name__))
        try:
            with self.env.cr.savepoint():
                return self._upsert_page(Document, orders)
        except Exception as exc:  # noqa: BLE001
            _logger.info("Amazon Vendor account %s: page of %s purchase orders failed (%s), "
                         "storing them one by one", self.id, len(orders), exc)
        stats = {"new": 0, "changed": 0, "same": 0, "unreadable": 0}
        for order in orders:
            try:
                with self.env.cr.savepoint():
                    for key, count in self._upsert_page(Document, [order]).items():
                        stats[key] += count
            except Exception as exc:  # noqa: BLE001
                stats["unreadable"] += 1
                self.message_post(body=_(
                    "Amazon purchase order %(number)s could not be stored: %(error)s",
                    number=po_number(order) or "?", error=exc))
        return stats

    def _upsert_page(self, Document, orders):
        stats = {"new": 0, "changed": 0, "same": 0, "unreadable": 0}
        by_number = {}
        for order in orders:
            number = po_number(order)
            if number is None:
                # Kept in the ledger all the same (nothing lost), under a key of its own.
                number = f"?{Document._hash_payload(order)[:16]}"
                stats["unreadable"] += 1
            by_number[number] = order
        existing = {d.external_id: d for d in Document.search([
            ("account_id", "=", self.id), ("kind", "=", "purchase_order"),
            ("external_id", "in", list(by_number))])}
        to_create = []
        for number, order in by_number.items():
            digest = Document._hash_payload(order)
            values = {
                # Whatever Amazon sent is kept as JSON, even when it is not an object.
                "payload_in": Document._encode_payload(
                    order if isinstance(order, dict) else json.dumps(order)),
                "payload_hash": digest,
                "amazon_changed_at": amazon_changed_at(order) if isinstance(order, dict)
                else False,
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
        """Received purchase orders -> sale orders (new) or change handling (known).

        Each document is claimed first (another worker processing it is skipped); a change
        that cannot be read fails its document only."""
        received = self.sudo().filtered(
            lambda d: d.kind == "purchase_order" and d.state == "received")
        received = received._amazon_vendor_claim_many(("received",))
        orders = self.env["sale.order"].search([("amazon_vendor_document_id", "in", received.ids)])
        by_doc = {o.amazon_vendor_document_id: o for o in orders}
        for doc in received.filtered(lambda d: d in by_doc):
            try:
                with self.env.cr.savepoint():
                    by_doc[doc]._amazon_vendor_register_change(
                        parse_purchase_order(doc._get_payload("payload_in")))
                    doc._set_state("processed", settled_at=fields.Datetime.now(),
                                   error_message=False)
            except Exception as exc:  # noqa: BLE001 - one order never blocks the others
                doc._amazon_vendor_po_failed(str(exc), by_doc[doc])
        new = received.filtered(lambda d: d not in by_doc)
        # Orders Amazon already counts as acknowledged or closed were handled elsewhere
        # (e.g. by hand in Vendor Central): kept in the ledger, not turned into quotations.
        handled = new.filtered(lambda d: d._amazon_vendor_po_state() not in ("New", None))
        handled._set_state("processed")
        new -= handled
        created = self.env["sale.order"]
        for account in new.account_id:
            created |= self.env["sale.order"]._amazon_vendor_create_from_documents(
                new.filtered(lambda d, a=account: d.account_id == a))
        return created

    def _amazon_vendor_po_state(self):
        try:
            payload = self._get_payload("payload_in")
        except UserError:
            return None
        return payload.get("purchaseOrderState") if isinstance(payload, dict) else None

    def _amazon_vendor_po_failed(self, reason, order=None):
        """A purchase order Odoo cannot take: failed with the reason, people alerted."""
        self.ensure_one()
        message = _(
            "Amazon purchase order %(number)s cannot be processed: %(reason)s. Amazon still "
            "expects an acknowledgement: ask Amazon (Vendor Central > Contact us) to correct the "
            "order or answer it in Vendor Central, then press \"Process again\" here.",
            number=self.external_id, reason=str(reason).rstrip("."))
        self._set_state("failed", error_message=message)
        if order:
            order.message_post(body=message)
        self._amazon_vendor_alert(message)

    def _amazon_vendor_claim_many(self, states):
        """The documents of ``self`` this transaction could lock while still in ``states``."""
        if not self:
            return self
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM amazon_vendor_document WHERE id IN %s AND state IN %s "
                    "FOR NO KEY UPDATE SKIP LOCKED", (tuple(self.ids), tuple(states)),
                    log_exceptions=False)
                ids = {row[0] for row in self.env.cr.fetchall()}
        except (pgerrors.SerializationFailure, pgerrors.LockNotAvailable):
            ids = {doc.id for doc in self if doc._amazon_vendor_claim(states)}
        claimed = self.filtered(lambda d: d.id in ids)
        claimed.invalidate_recordset(["state"])
        return claimed

    def action_process_again(self):
        """A failed purchase order, after its cause was fixed (account, mapping, Amazon)."""
        self._check_manager()
        docs = self.filtered(lambda d: d.kind == "purchase_order" and d.state == "failed")
        if docs != self:
            raise UserError(_("Only failed purchase orders can be processed again."))
        docs._set_state("received", error_message=False)
        docs._amazon_vendor_process_purchase_orders()
        return True
