"""Files from Amazon: fetched, kept before they are removed from the server, then read.

Purchase orders (850 / ORDERS) go through the same import as the API's (the ledger, the
quotations, the checks), and so do their changes (860 / ORDCHG,
amazon_vendor_edi_order_change.py); each file gets our functional acknowledgement; Amazon's
own 997 / CONTRL settle the files we sent. A file that cannot be read is kept, refused whole
with the segment and element at fault, and answered with a rejecting acknowledgement."""
import base64
import logging

from odoo import _, api, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from ..lib import codecs
from ..lib.envelope import EdiError
from ..lib.sniff import sniff
from ..lib.transport import EdiTransportError, as2
from .edi_error_words import translate_error

_logger = logging.getLogger(__name__)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    @api.model
    def _cron_edi_receive(self):
        accounts = self.search([("edi_enabled", "=", True), ("edi_transport", "=", "sftp")])
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for done, account in enumerate(accounts, 1):
            try:
                if in_cron:  # commits as it goes: no savepoint can span it
                    account._edi_receive(commit=True)
                else:
                    with self.env.cr.savepoint():
                        account._edi_receive()
            except EdiTransportError as exc:
                if in_cron:
                    self.env.cr.rollback()
                account.message_post(body=_("Amazon's EDI files could not be fetched: %s",
                                            exc))
            except Exception as exc:  # noqa: BLE001 - one account never stops the others
                if in_cron:
                    self.env.cr.rollback()
                _logger.info("Amazon Vendor account %s: EDI receive failed (%s: %s)",
                             account.id, type(exc).__name__, exc)
                account.message_post(body=_("Amazon's EDI files could not be read: "
                                            "%(type)s: %(error)s", type=type(exc).__name__,
                                            error=exc))
            if in_cron:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron keeps done work
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(accounts) - done)

    def _edi_receive(self, commit=False):
        """Fetch every waiting file (kept in Odoo before it is removed from the server), then
        read what was fetched, and any file kept earlier but never read (a run that stopped
        between the two). Returns the new interchanges."""
        self.ensure_one()
        Interchange = self.env["amazon.vendor.edi.interchange"].sudo()
        fetched = Interchange
        with self._edi_transport() as transport:
            names = transport.list_incoming()
            # the same file kept earlier (its removal failed) is not stored again
            kept = {(i.file_name, i.file) for i in Interchange.search([
                ("account_id", "=", self.id), ("direction", "=", "in"),
                ("file_name", "in", names)])}
            in_parts = self._edi_kept_parts(names)
            for name in names:
                # one file that cannot be fetched or removed never stops the others
                downloaded = False
                try:
                    data = transport.download(name)
                    downloaded = True
                    if (name, base64.b64encode(data)) not in kept \
                            and not self._edi_kept_in_parts(in_parts, name, data):
                        fetched |= self._edi_store_incoming(name, data)
                        if commit:
                            # kept before Amazon's copy goes
                            self.env.cr.commit()  # pylint: disable=invalid-commit
                    transport.remove(name)
                except (EdiTransportError, OSError) as exc:
                    _logger.info("Amazon Vendor account %s: EDI file %s left on the server (%s)",
                                 self.id, name, exc)
                    # fetched, it is kept (now or by an earlier run)
                    message = _(
                        "Amazon's EDI file %(name)s is kept in Odoo but could not be removed "
                        "from the server: %(error)s. It is not kept twice; check the folder's "
                        "rights.", name=name, error=exc) if downloaded else _(
                        "Amazon's EDI file %(name)s could not be fetched: %(error)s. The other "
                        "files are read; check the file or the folder's rights.",
                        name=name, error=exc)
                    self._amazon_vendor_notify(
                        self, _("Amazon EDI file %s left on the server", name), message,
                        warning=True)
        left = Interchange.search([("account_id", "=", self.id), ("direction", "=", "in"),
                                   ("state", "=", "received"), ("id", "not in", fetched.ids)],
                                  order="id")
        (left | fetched.filtered(lambda i: i.state == "received"))._edi_process()
        return fetched

    def _edi_kept_parts(self, names):
        """{(file name, content)} of the parts of the files among ``names`` kept in parts
        ("name (k/n)", _edi_store_parts): a copy of such a file has neither their name nor
        their content, but cuts into the same parts."""
        wanted = set(names)
        parts = self.env["amazon.vendor.edi.interchange"].search(
            [("account_id", "=", self.id), ("direction", "=", "in"),
             ("file_name", "=like", "% (%/%)")]).filtered(
            lambda p: p.file_name.rsplit(" (", 1)[0] in wanted)
        return {(p.file_name, p.file) for p in parts}

    @api.model
    def _edi_kept_in_parts(self, in_parts, name, data):
        if not any(kept.startswith(f"{name} (") for kept, _file in in_parts):
            return False  # no file of this name was kept in parts: no need to cut this one
        try:
            standard = sniff(data)[0]
        except EdiError:
            return False
        parts = codecs.split_by_kind(standard, data)
        return len(parts) > 1 and all(
            (f"{name} ({number}/{len(parts)})", base64.b64encode(part)) in in_parts
            for number, part in enumerate(parts, 1))

    def _edi_receive_as2(self, headers, body):
        """An AS2 message from Amazon (the HTTP route hands it here): decrypted and verified,
        kept, read, and answered with a signed MDN. Returns the MDN's (headers, body)."""
        self.ensure_one()
        routing = self.sudo()
        try:
            message = as2.parse_incoming(
                headers, body, routing.edi_as2_private_key, self.edi_as2_certificate,
                self.edi_as2_partner_certificate, require_signature=True,
                require_encryption=True, our_as2_id=self.edi_as2_our_id,
                partner_as2_id=self.edi_as2_amazon_id)
        except EdiTransportError as exc:
            details = exc.details or {}
            _logger.info("Amazon Vendor account %s: AS2 message refused (%s)", self.id,
                         exc.kind)
            return as2.build_mdn(details.get("message_id"), self.edi_as2_our_id,
                                 self.edi_as2_amazon_id, error=exc.kind,
                                 our_key_pem=routing.edi_as2_private_key,
                                 our_cert_pem=self.edi_as2_certificate,
                                 mic_alg=details.get("mic_alg") or "sha256")
        payload, filename, mic, message_id = message
        received = self._edi_store_incoming(filename or f"{message_id}.edi", payload)
        received.filtered(lambda i: i.state == "received")._edi_process()
        mdn = as2.build_mdn(message_id, self.edi_as2_our_id, self.edi_as2_amazon_id, mic,
                            our_key_pem=routing.edi_as2_private_key,
                            our_cert_pem=self.edi_as2_certificate,
                            mic_alg=message.mic_alg or "sha256")
        url = as2.mdn_delivery_url(headers)
        if url and as2.same_host(url, self.edi_as2_url):
            # Amazon asked for it later, at its URL (amazon_vendor_edi_async_mdn.py)
            received[:1]._edi_queue_async_mdn(url, *mdn)
            return {}, b""
        if url:  # the header is not signed: never post to a host other than Amazon's
            _logger.info("Amazon Vendor account %s: asynchronous MDN asked for another host "
                         "than Amazon's AS2 URL: answered in the response", self.id)
        return mdn

    def _edi_store_incoming(self, name, data):
        """One interchange per file and kind of document it holds (_edi_store_parts); a
        control number already received is kept as a failed duplicate (never processed
        twice), a gap is said."""
        Interchange = self.env["amazon.vendor.edi.interchange"].sudo()
        values = {"account_id": self.id, "direction": "in", "file_name": name,
                  "file": base64.b64encode(data), "state": "received",
                  "standard": self.edi_standard}
        try:
            standard, kind, message_type = sniff(data)
            control = codecs.interchange_control(standard, data)
        except EdiError as exc:
            record = Interchange.create(dict(values, state="failed", result=str(exc)))
            self._amazon_vendor_notify(record, _("Amazon EDI file %s could not be read", name),
                                       str(exc), warning=True)
            return record
        sender = codecs.interchange_sender(standard, data)
        values.update(standard=standard, kind=kind, message_type=message_type,
                      interchange_control=str(control), sender=sender)
        # a sender numbers its own files (Amazon's test and production systems apart); files
        # kept before senders were recorded count for every sender
        same_sender = [("account_id", "=", self.id), ("direction", "=", "in"),
                       ("sender", "in", [sender, ""])]
        earlier = Interchange.search(same_sender + [("interchange_control", "=", str(control))],
                                     limit=1)
        if earlier:
            return Interchange.create(dict(values, state="failed", interchange_control=False,
                                           result=_(
                "Duplicate: interchange control number %(control)s was already received in "
                "%(file)s; this copy is kept but not processed.", control=control,
                file=earlier.file_name)))
        last = Interchange.search(same_sender + [("interchange_control", "!=", False)],
                                  order="id desc", limit=1)
        parts = codecs.split_by_kind(standard, data)
        record = Interchange.create(values) if len(parts) == 1 \
            else self._edi_store_parts(name, data, parts, values)
        if last and str(last.interchange_control).isdigit() and str(control).isdigit() \
                and int(control) > int(last.interchange_control) + 1:
            record[:1].message_post(body=_(
                "Control numbers %(first)s to %(last)s were never received: ask Amazon whether "
                "files were lost.", first=int(last.interchange_control) + 1,
                last=int(control) - 1))
        return record

    def _edi_store_parts(self, name, data, parts, values):
        """A file carrying documents of several kinds (X12 groups of 850s and a 997, say): one
        interchange per kind, each read and answered as a file of its own."""
        Interchange = self.env["amazon.vendor.edi.interchange"].sudo()
        records = Interchange
        for number, part in enumerate(parts, 1):
            # the control number is the file's: kept on its first part (a later copy of the
            # file is told a duplicate by it)
            part_values = dict(values, file_name=f"{name} ({number}/{len(parts)})",
                               file=base64.b64encode(part),
                               interchange_control=values["interchange_control"]
                               if number == 1 else False)
            try:
                _standard, kind, message_type = sniff(part)
            except EdiError as exc:
                record = Interchange.create(dict(part_values, state="failed", result=str(exc)))
                self._amazon_vendor_notify(
                    record, _("Amazon EDI file %s could not be read", name), str(exc),
                    warning=True)
            else:
                record = Interchange.create(dict(part_values, kind=kind,
                                                 message_type=message_type))
            # Amazon's file as received goes with its first part: nothing of it is lost
            record.message_post(body=_(
                "Part %(number)s of %(count)s of Amazon's file %(file)s, which carries documents "
                "of several kinds: each kind is read and acknowledged as a file of its own.",
                number=number, count=len(parts), file=name),
                attachments=[(name, data)] if number == 1 else None)
            records |= record
        return records


class AmazonVendorEdiInterchange(models.Model):
    _inherit = "amazon.vendor.edi.interchange"

    def _edi_process(self):
        for interchange in self:
            try:
                with self.env.cr.savepoint():
                    interchange._edi_process_one()
            except EdiError as exc:
                interchange._edi_refuse(exc)
            except Exception as exc:  # noqa: BLE001 - one file never stops the others
                _logger.info("Amazon EDI file %s: processing failed (%s: %s)", interchange.id,
                             type(exc).__name__, exc)
                interchange.write({"state": "failed", "result": _(
                    "Unexpected problem while reading this file (%(type)s: %(error)s).",
                    type=type(exc).__name__, error=exc)})

    def _edi_data(self):
        return base64.b64decode(self.with_context(bin_size=False).file or b"")

    def _edi_process_one(self):
        account = self.account_id
        data = self._edi_data()
        # TA1s (X12) may open any interchange, before its groups, or make up a file alone
        envelope_lines = self._edi_apply_envelope_answers(
            codecs.read_interchange_acks(self.standard, data)) \
            if self.standard == "x12" and b"TA1" in data else []
        if self.kind == "purchase_order":
            received = codecs.read_purchase_orders(self.standard, data)
            orders = self._edi_in_account_currency(list(received.orders))
            # a copy of an 850 Amazon sends again after changing the order would undo the
            # change: kept in the file, not applied
            changed = set(self.env["amazon.vendor.document"].sudo().search([
                ("account_id", "=", account.id), ("kind", "=", "purchase_order"),
                ("external_id", "in", [o.get("purchaseOrderNumber") for o in orders]),
                ("amazon_changed_at", "!=", False)]).mapped("external_id"))
            applied = [o for o in orders if o.get("purchaseOrderNumber") not in changed]
            if applied:
                account._upsert_purchase_orders(applied)
            self._edi_settle_orders(
                received, [order.get("purchaseOrderNumber") for order in orders],
                [_("%s purchase orders read.", len(orders))] + [
                    self.env._("%s: Amazon changed this order since; this copy of the order "
                               "is kept, not applied.", number) for number in sorted(changed)],
                _("Amazon EDI file %s: purchase orders refused", self.file_name))
        elif self.kind == "purchase_order_change":
            self._edi_apply_order_changes(data)  # amazon_vendor_edi_order_change.py
        elif self.kind == "functional_ack":
            self._edi_apply_answers(codecs.read_answers(self.standard, data))
            self.state = "processed"
        elif self.kind == "interchange_ack":
            self.write({"state": "processed", "result": False})
        elif self.kind == "remittance" and "amazon.vendor.remittance" in self.env:
            self._edi_book_remittances(codecs.MODULES[self.standard].read_remittance(data))
        else:
            self.write({"state": "processed", "result": _(
                "Kept: %s files are not read by Odoo yet.", self.message_type)})
        if envelope_lines:
            self.result = "\n".join(envelope_lines + [self.result or ""]).strip()

    def _edi_in_account_currency(self, orders):
        """Amazon's retail 850 names no currency (no CUR): its prices are in the account's
        marketplace currency."""
        account = self.account_id
        currency = (account.marketplace_ids[:1].currency_id
                    or account.company_id.currency_id).name
        for order in orders:
            for item in (order.get("orderDetails") or {}).get("items") or []:
                for key in ("netCost", "listPrice"):
                    money = item.get(key)
                    if isinstance(money, dict) and not money.get("currencyCode"):
                        money["currencyCode"] = currency
        return orders

    def _edi_settle_orders(self, received, numbers, lines, title, refused=None):
        """What a file of purchase orders (850 / ORDERS) or of their changes (860 / ORDCHG) ends
        with, once its orders are in the ledger: the ones Odoo has not taken yet go to
        quotations (or to the review of a confirmed order), the file says what it carried and
        what was refused, our functional acknowledgement answers it (``refused``:
        {ReceivedOrders key: EdiError} of documents read but refused), the account's people hear
        of refusals."""
        documents = self.env["amazon.vendor.document"].sudo().search([
            ("account_id", "=", self.account_id.id), ("kind", "=", "purchase_order"),
            ("external_id", "in", numbers)])
        documents.filtered(lambda d: d.state == "received")\
            ._amazon_vendor_process_purchase_orders()
        # an EDIFACT refusal names no X12 segment (the change's reader is shared)
        refusals = list(received.refused) + [
            (key[1], error if self.standard == "x12" else error.message)
            for key, error in (refused or {}).items()]
        lines = lines + [self.env._("Transaction %(control)s refused: %(error)s",
                                    control=control, error=error)
                         for control, error in refusals]
        self.write({"state": "failed" if refusals and not documents else "processed",
                    "document_ids": [(6, 0, documents.ids)],
                    "transaction_controls": ",".join(str(c) for c in received.controls),
                    "result": "\n".join(lines)})
        if refusals:
            self.account_id._amazon_vendor_notify(self, title, "\n".join(lines), warning=True)
        self._edi_answer_safely(received, refused=refused)  # last: nothing undoes it now

    def _edi_book_remittances(self, remittances):
        """Amazon's 820: the payments addon stores, matches and books it as it does the
        Finance API's remittances (a payment already known is not stored twice)."""
        Remittance = self.env["amazon.vendor.remittance"].sudo()
        known = set(Remittance.search([("account_id", "=", self.account_id.id)]).mapped(
            "unique_payment_id"))
        new = [r for r in remittances if r.unique_payment_id not in known]
        stored = Remittance._amazon_vendor_store(self.account_id, new) if new \
            else Remittance
        stored._amazon_vendor_match()
        stored.filtered(lambda r: r.state == "draft")._amazon_vendor_book_each()
        self.write({"state": "processed", "result": _(
            "%(new)s payments read, %(booked)s booked, %(known)s already known.",
            new=len(stored),
            booked=len(stored.filtered(lambda r: r.state in ("reconciling", "booked"))),
            known=len(remittances) - len(new))})
        self._edi_answer_safely(None)

    def _edi_sent_files(self, answers, lines):
        """(answer, the file we sent that it answers) for each of Amazon's ``answers``; one
        to a control number Odoo never sent is said in ``lines``."""
        # the accounts sending under one EDI id share its numbers, and Amazon's answers may
        # reach any of them
        accounts = self.account_id._edi_pair_accounts()
        for answer in answers:
            sent = self.sudo().search([
                ("account_id", "in", accounts.ids), ("direction", "=", "out"),
                ("interchange_control", "=", str(answer.interchange_control))], limit=1)
            if sent:
                yield answer, sent
            else:
                lines.append(_("Acknowledges control number %s, which Odoo never sent.",
                               answer.interchange_control))

    def _edi_apply_answers(self, answers):
        """Settle the files we sent that Amazon's 997 / CONTRL answers."""
        lines = []
        for answer, sent in self._edi_sent_files(answers, lines):
            sent.write({"state": "accepted" if answer.accepted else "rejected",
                        "answered_by_id": self.id,
                        "result": "\n".join(translate_error(self.env, error)
                                             for error in answer.errors) or (
                            _("Accepted by Amazon.") if answer.accepted
                            else _("Rejected by Amazon."))})
            lines.append(_("%(file)s: %(state)s", file=sent.file_name,
                           state=_("accepted") if answer.accepted else _("rejected")))
        self.result = "\n".join(lines)

    def _edi_apply_envelope_answers(self, answers):
        """Amazon's TA1s: a refused envelope rejects the file we sent (nothing inside it was
        read, no 997 will come); a received one is noted while its 997 is awaited. Returns
        the lines saying what each answered."""
        lines = []
        for answer, sent in self._edi_sent_files(answers, lines):
            words = [translate_error(self.env, error) for error in answer.errors]
            if not answer.accepted:
                refused = "\n".join([_("Amazon refused the envelope of this file (TA1): "
                                       "nothing in it was read.")] + words)
                sent.write({"state": "rejected", "answered_by_id": self.id, "result": refused})
                lines.append(_("%(file)s: envelope refused", file=sent.file_name))
                if sent.kind in ("functional_ack", "interchange_ack"):
                    # no document fails with it: a person answers Amazon's file again
                    self.account_id._amazon_vendor_notify(
                        sent, _("Amazon refused our acknowledgement %s", sent.file_name),
                        refused, warning=True)
                continue
            if sent.state == "sent":
                sent.result = "\n".join([_("Amazon received this file (TA1); its functional "
                                           "acknowledgement (997) is awaited.")] + words)
            lines.append(_("%(file)s: envelope received", file=sent.file_name))
        return lines

    def _edi_answer_safely(self, received, error=None, refused=None):
        """Our acknowledgement failing to leave never undoes what the file brought: said on
        the file, to be answered by hand."""
        try:
            with self.env.cr.savepoint():
                self._edi_answer(received, error=error, refused=refused)
        except (EdiError, EdiTransportError, AmazonApiError) as exc:
            self.message_post(body=_("Our functional acknowledgement of this file could not "
                                     "be sent: %s", exc))

    def _edi_refuse(self, error):
        """A file that cannot be read: failed with the spot, answered with a rejection."""
        self.write({"state": "failed", "result": str(error)})
        if self.kind in ("purchase_order", "purchase_order_change"):
            self._edi_answer_safely(None, error=error)
        self.account_id._amazon_vendor_notify(
            self, _("Amazon EDI file %s could not be read", self.file_name), str(error),
            warning=True)

    def _edi_answer(self, received, error=None, refused=None):
        """Our functional acknowledgement of a file Amazon sent (``refused``: {ReceivedOrders
        key: EdiError} of documents read but refused by what they ask)."""
        account = self.account_id
        control = account._edi_next_control()
        envelope = account._edi_envelope(control)
        kind = "functional_ack"
        try:
            data = codecs.write_answer(self.standard, received, self._edi_data(), envelope,
                                       error=error, refused=refused)
        except EdiError:
            # A file refused (``error``) whose envelope cannot be read has no groups for a
            # 997: its TA1 refuses it. Any other failure to write is ours: said, not sent.
            data = error and codecs.write_envelope_refusal(self.standard, self._edi_data(),
                                                           error, envelope)
            if not data:
                raise
            kind = "interchange_ack"
        message_type = codecs.MESSAGE_TYPES[self.standard][kind]
        name = account._edi_file_name(message_type, control)
        account._edi_upload(name, data)
        self.create({"account_id": account.id, "direction": "out", "standard": self.standard,
                     "message_type": message_type, "kind": kind,
                     "interchange_control": str(control), "file_name": name,
                     "file": base64.b64encode(data), "state": "accepted",
                     "result": _("Acknowledges %s.", self.file_name)})
