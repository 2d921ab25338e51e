"""The Amazon cycle over EDI through a loopback SFTP server: purchase orders in, our
functional acknowledgement, acknowledgements out settled by Amazon's 997, refusals."""
import base64
import copy
import dataclasses
import datetime
import os
import re
from decimal import Decimal
from unittest.mock import patch

from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import Remittance, RemittanceLine
from odoo.addons.acorn_amazon_vendor.tests.common import create_simulation_account
from odoo.addons.acorn_amazon_vendor.tests.test_multi_company import CompanyIsolationMixin
from odoo.exceptions import AccessError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import new_test_user, tagged

from ..lib import codecs, order_change
from ..lib.envelope import EdiError
from ..lib.transport import EdiTransportError
from ..lib.transport.sftp import SftpTransport
from ..models.edi_error_words import translate_error
from .common import AMAZON_ID, EdiCase


@tagged("post_install", "-at_install")
class TestEdiX12Cycle(EdiCase):
    standard = "x12"

    def _order(self, number, quantity=4):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], quantity * 10)
        return self._po(number, [(item, quantity, "Eaches", 1)])

    def _imported(self, number):
        self.amazon_sends_orders([self._order(number)])
        self.account._edi_receive()
        return self.env["sale.order"].search([("client_order_ref", "=", number)])

    def test_purchase_orders_arrive_as_files_and_are_acknowledged(self):
        first, second = self._order("EDIPO001"), self._order("EDIPO002")
        name = self.amazon_sends_orders([first, second])
        fetched = self.account._edi_receive()
        self.assertEqual(len(fetched), 1)
        self.assertEqual(fetched.state, "processed", fetched.result)
        self.assertEqual(fetched.message_type, "850")
        orders = self.env["sale.order"].search(
            [("client_order_ref", "in", ("EDIPO001", "EDIPO002"))])
        self.assertEqual(len(orders), 2, "the same import as the API's: quotations")
        self.assertEqual(orders.amazon_vendor_account_id, self.account)
        self.assertEqual(len(fetched.document_ids), 2)
        self.assertNotIn(name, os.listdir(self.server.download_path("acorn")),
                         "removed from Amazon's server once kept in Odoo")
        answers = self.take_uploaded("997")
        self.assertEqual(len(answers), 1, "our 997 for Amazon's file")
        results = codecs.MODULES["x12"].read_functional_ack(answers[0])
        self.assertEqual({r.group_control for r in results}, {self.amazon_control})
        self.assertTrue(all(r.accepted for r in results))
        # The same file again (a control number already received): kept, not processed.
        self.amazon_sends(fetched._edi_data(), name="again.edi")
        again = self.account._edi_receive()
        self.assertEqual(again.state, "failed")
        self.assertIn("Duplicate", again.result)
        self.assertEqual(self.env["sale.order"].search_count(
            [("client_order_ref", "in", ("EDIPO001", "EDIPO002"))]), 2)

    def test_acknowledgement_goes_as_855_and_amazons_997_settles_it(self):
        order = self._imported("EDIPO003")
        self.take_uploaded("997")
        order.action_amazon_vendor_propose()
        order.action_confirm()
        doc = self._ack(order.amazon_vendor_po_number)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        self.assertTrue(doc.transaction_id.startswith("EDI-"))
        files = self.take_uploaded("855")
        self.assertEqual(len(files), 1)
        parsed = codecs.MODULES["x12"].read_acknowledgement(files[0])
        self.assertEqual(parsed.documents[0]["purchaseOrderNumber"], "EDIPO003")
        self.assertEqual(parsed.test, True, "ISA15 T while the account is not in production")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "sent", "no answer until Amazon's 997")
        self.amazon_sends(codecs.MODULES["x12"].write_functional_ack(
            parsed, None, envelope=self.amazon_envelope()))
        self.account._edi_receive()
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", doc.error_message)
        sent = self.env["amazon.vendor.edi.interchange"].search(
            [("transaction_id", "=", doc.transaction_id)])
        self.assertEqual(sent.state, "accepted")
        self.assertEqual(doc.edi_interchange_ids, sent, "the file shows on the document")
        po_doc = order.amazon_vendor_document_id
        self.assertEqual(po_doc.edi_interchange_ids.message_type, "850")

    def _amazon_accepts(self, message_type, reader):
        files = self.take_uploaded(message_type)
        self.assertEqual(len(files), 1, f"one {message_type} file")
        parsed = getattr(codecs.MODULES["x12"], reader)(files[0])
        self.amazon_sends(codecs.MODULES["x12"].write_functional_ack(
            parsed, None, envelope=self.amazon_envelope()))
        self.account._edi_receive()
        return parsed.documents[0]

    def test_asn_and_invoice_go_as_856_and_810(self):
        self.env.company.amazon_vendor_gs1_prefix = "0614141"
        order = self._imported("EDIPO007")
        order.action_amazon_vendor_propose()
        order.action_confirm()
        ack = self._ack("EDIPO007")
        ack._send_to_amazon()
        self._amazon_accepts("855", "read_acknowledgement")
        self._pack_and_validate(order.picking_ids, [order.order_line.product_id])
        asn = order.picking_ids.amazon_vendor_asn_document_id
        self.assertEqual(asn.state, "to_send", order.picking_ids.amazon_vendor_asn_issues)
        asn._send_to_amazon()
        self.assertEqual(asn.state, "sent", asn.error_message)
        sent = self._amazon_accepts("856", "read_shipment_confirmation")
        self.assertEqual(sent["shipmentIdentifier"], asn.external_id)
        sscc = order.picking_ids.move_line_ids.result_package_id.amazon_vendor_sscc
        self.assertEqual(sent["cartons"][0]["cartonIdentifiers"][0]["containerIdentificationNumber"],
                         sscc, "the SSCC of the carton really packed")
        asn._poll_amazon_status()
        self.assertEqual(asn.state, "accepted", asn.error_message)
        move = order._create_invoices()
        move.action_post()
        invoice = move.amazon_vendor_document_id
        invoice._send_to_amazon()
        self.assertEqual(invoice.state, "sent", invoice.error_message)
        billed = self._amazon_accepts("810", "read_invoice")
        self.assertEqual(billed["id"], move.name)
        self.assertEqual(billed["invoiceTotal"]["amount"],
                         f"{move.amount_total:.2f}", "the total Odoo posted, to the cent")
        invoice._poll_amazon_status()
        self.assertEqual(invoice.state, "accepted", invoice.error_message)

    def test_a_rejecting_997_fails_the_document_with_the_spot(self):
        order = self._imported("EDIPO004")
        order.action_amazon_vendor_propose()
        order.action_confirm()
        doc = self._ack(order.amazon_vendor_po_number)
        doc._send_to_amazon()
        parsed = codecs.MODULES["x12"].read_acknowledgement(self.take_uploaded("855")[0])
        control = parsed.transactions[0].control_number
        error = EdiError("code value not valid", segment="BAK", position=2, element=2,
                         code="7")
        self.amazon_sends(codecs.MODULES["x12"].write_functional_ack(
            parsed, {control: [error]}, envelope=self.amazon_envelope()))
        self.account._edi_receive()
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "failed")
        self.assertIn("BAK02", doc.error_message, "the segment and element at fault")
        # The standard's reasons read in Chinese, the segment and element as they are.
        self.env["res.lang"]._activate_lang("zh_CN")
        chinese = translate_error(self.env(context={"lang": "zh_CN"}),
                                  "BAK02 (segment 2): invalid code value ('ZZ')")
        self.assertEqual(chinese, "BAK02 （第 2 段）: 无效的代码值 ('ZZ')")

    def _sent_acknowledgement(self, number):
        order = self._imported(number)
        self.take_uploaded("997")
        order.action_amazon_vendor_propose()
        order.action_confirm()
        doc = self._ack(number)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        return doc, codecs.MODULES["x12"].read_acknowledgement(self.take_uploaded("855")[0])

    def test_amazons_ta1_refusing_our_envelope_fails_the_document(self):
        x12 = codecs.MODULES["x12"]
        doc, parsed = self._sent_acknowledgement("EDIPO008")
        received = x12.InterchangeAck(parsed.control_number, parsed.date, parsed.time, "A",
                                      "000")
        self.amazon_sends(x12.interchange.write_acknowledgments(self.amazon_envelope(),
                                                                [received]))
        answer = self.account._edi_receive()
        self.assertEqual((answer.message_type, answer.kind, answer.state),
                         ("TA1", "interchange_ack", "processed"), answer.result)
        sent = self.env["amazon.vendor.edi.interchange"].search(
            [("transaction_id", "=", doc.transaction_id)])
        doc._poll_amazon_status()
        self.assertEqual((sent.state, doc.state), ("sent", "sent"),
                         "a received envelope still waits for the 997")
        self.assertIn("TA1", sent.result)
        refused = dataclasses.replace(received, code="R", note="025")
        self.amazon_sends(x12.interchange.write_acknowledgments(self.amazon_envelope(),
                                                                [refused]))
        self.account._edi_receive()
        doc._poll_amazon_status()
        self.assertEqual((sent.state, doc.state), ("rejected", "failed"))
        self.assertFalse(self.uploaded(), "acknowledgements are never acknowledged")
        self.assertIn(f"interchange {parsed.control_number:09d}: duplicate interchange "
                      "control number", doc.error_message)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(translate_error(self.env(context={"lang": "zh_CN"}),
                                         "interchange 000000042: duplicate interchange "
                                         "control number"), "交换 000000042: 交换控制号重复")

    def test_a_997_opening_with_a_ta1_settles_our_file(self):
        x12 = codecs.MODULES["x12"]
        doc, parsed = self._sent_acknowledgement("EDIPO011")
        received = x12.InterchangeAck(parsed.control_number, parsed.date, parsed.time, "A",
                                      "000")
        self.amazon_sends(x12.interchange.write(
            self.amazon_envelope(), "997", x12.ts997.write_body(parsed), [received]))
        answer = self.account._edi_receive()
        self.assertEqual((answer.kind, answer.state), ("functional_ack", "processed"))
        self.assertIn("envelope received", answer.result)
        self.assertIn("accepted", answer.result)
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", doc.error_message)

    def test_control_numbers_are_told_apart_per_sender(self):
        """Amazon's test and production systems (two EDI ids) number their files each on
        its own: a number the other one used is no duplicate; the same sender's is."""
        x12 = codecs.MODULES["x12"]
        first = self._received("EDIPO015")
        self.assertEqual((first.state, first.sender), ("processed", f"ZZ:{AMAZON_ID} (test)"))
        production = dataclasses.replace(self.amazon_envelope(), sender_id="AMAZONPROD",
                                         interchange_control=int(first.interchange_control),
                                         group_control=int(first.interchange_control))
        self.amazon_sends(x12.write_purchase_orders([self._order("EDIPO016")], production),
                          name="production.edi")
        other = self.account._edi_receive()
        self.assertEqual((other.state, other.sender), ("processed", "ZZ:AMAZONPROD (test)"),
                         other.result)
        self.assertEqual(other.interchange_control, first.interchange_control)
        self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO016")]))
        self.amazon_sends(other._edi_data(), name="production-again.edi")
        again = self.account._edi_receive()
        self.assertEqual(again.state, "failed")
        self.assertIn("Duplicate", again.result)
        # a file kept before senders were recorded (sender empty) counts for every sender
        legacy = self._received("EDIPO017")
        legacy.sender = ""
        self.amazon_sends(legacy._edi_data(), name="legacy-again.edi")
        self.assertIn("Duplicate", self.account._edi_receive().result)

    def _received(self, number):
        self.amazon_sends_orders([self._order(number)])
        return self.account._edi_receive()

    def test_a_file_of_purchase_orders_and_a_005010_997_is_read_as_both(self):
        """Amazon may put its 850s and its 997 of our files in one interchange, and
        acknowledges each of our groups in its version (a 005010 997): each kind is read and
        answered as a file of its own."""
        x12 = codecs.MODULES["x12"]
        doc, mixed, control = self._orders_and_997("EDIPO013", "EDIPO014")
        name = self.amazon_sends(mixed)
        fetched = self.account._edi_receive()
        self.assertEqual(sorted(fetched.mapped("message_type")), ["850", "997"])
        self.assertEqual(set(fetched.mapped("state")), {"processed"}, fetched.mapped("result"))
        self.assertEqual(fetched.sorted("id").mapped("interchange_control"),
                         [str(int(control)), False], "the file's number, on its first part")
        self.assertEqual(sorted(fetched.mapped("file_name")),
                         [f"{name} (1/2)", f"{name} (2/2)"])
        original = fetched.sorted("id")[0].message_ids.attachment_ids
        self.assertEqual((original.name, original.raw), (name, mixed),
                         "Amazon's file as received goes with its first part")
        self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO014")]))
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", doc.error_message)
        (ours,) = self.take_uploaded("997")
        results = x12.read_functional_ack(ours)
        self.assertEqual([r.functional_id for r in results], ["PO"],
                         "our 997 answers the 850 group; Amazon's 997 is not acknowledged")
        self.assertTrue(all(r.accepted for r in results))
        # the same file again: a duplicate, not read twice
        self.amazon_sends(mixed, name="again.edi")
        again = self.account._edi_receive()
        self.assertEqual((again.state, len(again)), ("failed", 1))
        self.assertIn("Duplicate", again.result)

    def _orders_and_997(self, acknowledged, ordered):
        """(our acknowledgement, one interchange of Amazon's 850 of ``ordered`` and its 005010
        997 of our 855 of ``acknowledged``, its control number)."""
        x12 = codecs.MODULES["x12"]
        doc, parsed = self._sent_acknowledgement(acknowledged)
        ack = x12.write_functional_ack(parsed, None, envelope=self.amazon_envelope())
        ack = ack.replace(b"*X*004010~", b"*X*005010~")  # GS08: the 997 in 005010
        self.assertIn(b"*X*005010~", ack)
        orders = x12.write_purchase_orders([self._order(ordered)], self.amazon_envelope())
        # one interchange: the 850 group, then the 997 group, IEA counting both
        head, group_850 = orders.split(b"~GS*", 1)
        group_850 = b"GS*" + group_850.rsplit(b"~IEA*", 1)[0] + b"~"
        group_997, _iea = ack.split(b"~GS*", 1)[1].rsplit(b"~IEA*", 1)
        control = head[90:99]
        return doc, head + b"~" + group_850 + b"GS*" + group_997 + b"~IEA*2*" + control + b"~", \
            control

    @staticmethod
    def _removal_fails(stuck):
        """The SFTP server refuses to remove the file ``stuck`` (the folder's rights)."""
        original = SftpTransport.remove

        def remove(transport, name):
            if name == stuck:
                raise EdiTransportError("permission denied", "permission")
            return original(transport, name)

        return patch.object(SftpTransport, "remove", remove)

    def test_a_file_kept_in_parts_but_left_on_the_server_is_not_kept_again(self):
        _doc, mixed, _control = self._orders_and_997("EDIPO0P1", "EDIPO0P2")
        stuck = self.amazon_sends(mixed, name="mixed_stuck.edi")
        Interchange = self.env["amazon.vendor.edi.interchange"]
        mine = [("direction", "=", "in"), ("file_name", "like", "mixed_stuck")]
        with self._removal_fails(stuck):
            self.account._edi_receive()
            self.assertEqual(Interchange.search_count(mine), 2, "kept as its two parts")
            self.account._edi_receive()  # still on the server: neither kept again nor a duplicate
            self.assertEqual(Interchange.search_count(mine), 2)
            self.assertIn(f"{stuck} left on the server",
                          " ".join(self.account.activity_ids.mapped("summary")))
        self.account._edi_receive()
        self.assertEqual(Interchange.search_count(mine), 2)
        self.assertEqual(set(Interchange.search(mine).mapped("state")), {"processed"})
        # another file of the same name (a new control number) is kept, and not again when it
        # too is left on the server
        _doc, other, _control = self._orders_and_997("EDIPO0P3", "EDIPO0P4")
        self.amazon_sends(other, name="mixed_stuck.edi")
        with self._removal_fails(stuck):
            self.account._edi_receive()
            self.assertEqual(Interchange.search_count(mine), 4)
            self.account._edi_receive()
            self.assertEqual(Interchange.search_count(mine), 4)
        self.account._edi_receive()
        self.assertEqual(Interchange.search_count(mine), 4)
        self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO0P4")]))

    def test_amazon_refusing_our_own_997_is_told(self):
        self._imported("EDIPO012")
        (ours,) = self.take_uploaded("997")
        ours = codecs.MODULES["x12"].read_interchange(ours)
        sent = self.env["amazon.vendor.edi.interchange"].search(
            [("direction", "=", "out"), ("kind", "=", "functional_ack"),
             ("interchange_control", "=", str(ours.control_number))])
        refused = codecs.MODULES["x12"].InterchangeAck(ours.control_number, ours.date,
                                                       ours.time, "R", "006")
        self.amazon_sends(codecs.MODULES["x12"].interchange.write_acknowledgments(
            self.amazon_envelope(), [refused]))
        self.account._edi_receive()
        self.assertEqual(sent.state, "rejected")
        self.assertIn("invalid interchange sender ID", sent.result)
        self.assertTrue(sent.activity_ids, "no document fails with it: people are told")

    def test_a_purchase_order_file_with_a_broken_envelope_gets_our_ta1(self):
        x12 = codecs.MODULES["x12"]
        text = x12.write_purchase_orders([self._order("EDIPO009")],
                                         self.amazon_envelope()).decode()
        # IEA02 no longer matches ISA13: nothing of the file can be trusted
        broken = text[:text.rindex("*") + 1] + "000000999~"
        self.amazon_sends(broken.encode())
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "failed")
        self.assertIn("IEA02", fetched.result)
        self.assertFalse(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO009")]))
        self.assertFalse(self.take_uploaded("997"), "no group to answer in a 997")
        answers = self.take_uploaded("TA1")
        self.assertEqual(len(answers), 1, "the envelope refused in a TA1")
        (ack,) = x12.read_interchange_acknowledgments(answers[0])
        self.assertEqual((ack.interchange_control, ack.code, ack.note),
                         (self.amazon_control, "R", "001"))
        ours = self.env["amazon.vendor.edi.interchange"].search(
            [("direction", "=", "out"), ("message_type", "=", "TA1")])
        self.assertEqual(ours.kind, "interchange_ack")

    def test_amazon_asking_for_a_ta1_gets_it_before_our_997(self):
        x12 = codecs.MODULES["x12"]
        text = x12.write_purchase_orders([self._order("EDIPO010")],
                                         self.amazon_envelope()).decode()
        asking = text[:100] + "1" + text[101:]  # ISA14: interchange acknowledgment requested
        self.assertEqual(asking.split("*")[14], "1")
        self.amazon_sends(asking.encode())
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "processed", fetched.result)
        (answer,) = self.take_uploaded("997")
        (ack,) = x12.read_interchange_acknowledgments(answer)
        self.assertEqual((ack.interchange_control, ack.code, ack.note),
                         (self.amazon_control, "A", "000"))
        self.assertTrue(all(r.accepted for r in x12.read_functional_ack(answer)))

    def test_an_850_without_cur_is_priced_in_the_accounts_currency(self):
        """Amazon's retail 850 has no CUR segment (only its Direct Fulfillment 850 does)."""
        text = codecs.MODULES["x12"].write_purchase_orders(
            [self._order("EDIPO0N1")], self.amazon_envelope()).decode()
        segment = text[text.index("CUR*"):]
        without = text.replace(segment[:segment.index("~") + 1], "")
        count = int(without[without.index("SE*") + 3:without.index("*", without.index("SE*") + 3)])
        without = without.replace(f"SE*{count}*", f"SE*{count - 1}*")
        self.amazon_sends(without.encode())
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "processed", fetched.result)
        order = self.env["sale.order"].search([("client_order_ref", "=", "EDIPO0N1")])
        self.assertTrue(order.order_line)
        line = order.order_line.filtered("product_id")
        self.assertEqual(line.amazon_vendor_net_cost_text, self._item(0)["net_cost"])
        stored = order.amazon_vendor_document_id._get_payload("payload_in")
        cost = stored["orderDetails"]["items"][0]["netCost"]
        self.assertEqual(cost["currencyCode"], self.account.marketplace_ids[:1].currency_id.name)

    def test_a_file_that_cannot_be_removed_never_stops_the_others(self):
        stuck = self.amazon_sends(codecs.MODULES["x12"].write_purchase_orders(
            [self._order("EDIPO0R1")], self.amazon_envelope()), name="a_stuck.edi")
        self.amazon_sends(codecs.MODULES["x12"].write_purchase_orders(
            [self._order("EDIPO0R2")], self.amazon_envelope()), name="b_next.edi")
        Interchange = self.env["amazon.vendor.edi.interchange"]
        with self._removal_fails(stuck):
            self.account._edi_receive()
            self.assertEqual(Interchange.search_count([("file_name", "=", stuck)]), 1)
            self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO0R2")]))
            self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO0R1")]))
            self.assertIn(f"{stuck} left on the server",
                          " ".join(self.account.activity_ids.mapped("summary")))
            self.account._edi_receive()  # the next run does not keep it a second time
            self.assertEqual(Interchange.search_count([("file_name", "=", stuck)]), 1)
        self.account._edi_receive()  # removable again: removed, still not kept twice
        self.assertEqual(Interchange.search_count([("file_name", "=", stuck)]), 1)

    def test_a_broken_purchase_order_is_refused_alone(self):
        good = codecs.MODULES["x12"].write_purchase_orders(
            [self._order("EDIPO005"), self._order("EDIPO006")], self.amazon_envelope())
        # The second 850 claims one segment more than it has: that set alone is refused.
        text = good.decode()
        last_se = text.rindex("SE*")
        count = int(text[last_se + 3:text.index("*", last_se + 3)])
        broken = (text[:last_se] + f"SE*{count + 1}" + text[text.index("*", last_se + 3):])
        self.amazon_sends(broken.encode())
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "processed", fetched.result)
        self.assertIn("refused", fetched.result)
        self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO005")]))
        self.assertFalse(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO006")]))
        results = codecs.MODULES["x12"].read_functional_ack(self.take_uploaded("997")[0])
        self.assertEqual(sorted(r.accepted for r in results), [False, True])
        self.assertTrue(fetched.activity_ids, "the alert users are told")

    def test_amazons_860_changes_a_confirmed_order_for_review(self):
        first, second = self._item(0), self._item(2)
        for item in (first, second):
            self._stock(self.products[item["vendor_sku"]], 40)
        original = self._po("EDIPO0C1", [(first, 10, "Eaches", 1), (second, 6, "Eaches", 1)])
        self.amazon_sends_orders([original])
        self.account._edi_receive()
        self.take_uploaded("997")
        order = self.env["sale.order"].search([("client_order_ref", "=", "EDIPO0C1")])
        order.action_amazon_vendor_propose()
        order.action_confirm()
        changed = copy.deepcopy(original)
        changed["orderDetails"]["purchaseOrderChangedDate"] = "2026-11-30T00:00:00Z"
        items = changed["orderDetails"]["items"]
        items[0]["orderedQuantity"]["amount"] = 4
        items[1]["orderedQuantity"]["amount"] = 0
        change = order_change.change_between(original, changed, sequence="1")
        x12_codec = codecs.MODULES["x12"]
        self.amazon_sends(x12_codec.write_purchase_order_changes([change],
                                                                 self.amazon_envelope()))
        fetched = self.account._edi_receive()
        self.assertEqual((fetched.message_type, fetched.state), ("860", "processed"),
                         fetched.result)
        self.assertEqual(fetched.document_ids, order.amazon_vendor_document_id)
        stored = order.amazon_vendor_document_id._get_payload("payload_in")["orderDetails"]
        self.assertEqual([i["orderedQuantity"]["amount"] for i in stored["items"]], [4, 0])
        self.assertEqual(stored["purchaseOrderChangedDate"], "2026-11-30T00:00:00Z")
        self.assertTrue(order.amazon_vendor_changed, "the same review as an API change")
        summary = str(order.amazon_vendor_change_summary)
        for text in ("10 → 4", "Cancelled item", "6 → 0"):
            self.assertIn(text, summary)
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [10, 6],
                         "nothing changes before a person applies")
        answer = x12_codec.read_functional_ack(self.take_uploaded("997")[0])
        self.assertEqual([r.code for r in answer], ["A"])
        order.action_amazon_vendor_apply_changes()
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [4, 0])

        # a change to a purchase order never received: refused alone, said, nothing applied
        stranger = dict(change, purchaseOrderNumber="EDIPO0XX")
        again = dict(change, changeSequence="2")
        self.amazon_sends(x12_codec.write_purchase_order_changes([stranger, again],
                                                                 self.amazon_envelope()))
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "processed", fetched.result)
        self.assertIn("EDIPO0XX was never received", fetched.result)
        self.assertIn("1 purchase order changes applied", fetched.result)
        self.assertTrue(fetched.activity_ids, "the alert users are told")
        answer = x12_codec.read_functional_ack(self.take_uploaded("997")[0])
        self.assertEqual([r.code for r in answer], ["R", "A"])
        self.assertIn("BCH03", " ".join(answer[0].errors))
        self.assertFalse(order.amazon_vendor_changed, "the same change again changes nothing")
        self.assertIn("restates the order as it is", fetched.result)
        document = order.amazon_vendor_document_id
        self.assertEqual(document.edi_change_sequence, "2")
        # the first change read late (quantities are totals): skipped, nothing undone
        late = dict(change, items=[dict(change["items"][0], orderedQuantity={
            "amount": 9, "unitOfMeasure": "Eaches", "unitSize": 1})])
        self.amazon_sends(x12_codec.write_purchase_order_changes([late],
                                                                 self.amazon_envelope()))
        fetched = self.account._edi_receive()
        self.assertIn("is not newer than the change already applied", fetched.result)
        self.assertTrue(fetched.activity_ids, "a skipped change is said")
        stored = document._get_payload("payload_in")["orderDetails"]["items"]
        self.assertEqual(stored[0]["orderedQuantity"]["amount"], 4)
        self.assertFalse(order.amazon_vendor_changed)
        # Amazon sends a copy of the original 850 again: kept, the change not undone
        self.amazon_sends_orders([original])
        fetched = self.account._edi_receive()
        self.assertIn("this copy of the order is kept, not applied", fetched.result)
        stored = document._get_payload("payload_in")["orderDetails"]["items"]
        self.assertEqual([i["orderedQuantity"]["amount"] for i in stored], [4, 0])
        self.assertFalse(order.amazon_vendor_changed)

    def test_a_file_kept_but_never_read_is_read_by_the_next_run(self):
        self._stock(self.products[self._item(0)["vendor_sku"]], 40)
        module = codecs.MODULES["x12"]
        data = module.write_purchase_orders([self._order("EDIPO0LT")], self.amazon_envelope())
        kept = self.account._edi_store_incoming("left_behind.edi", data)  # a run stopped here
        self.assertEqual(kept.state, "received")
        self.account._cron_edi_receive()
        self.assertEqual(kept.state, "processed", kept.result)
        self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIPO0LT")]))

    def test_a_file_that_is_not_edi_is_kept_and_said(self):
        self.amazon_sends(b"ISA*00*truncated", name="broken.edi")
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "failed")
        self.assertIn("ISA", fetched.result)
        self.assertEqual(fetched.file_name, "broken.edi")
        self.assertTrue(fetched.activity_ids, "the alert users are told")

    def test_an_820_is_booked_by_the_payments_addon(self):
        if "amazon.vendor.remittance" not in self.env:
            self.skipTest("acorn_amazon_vendor_payments is not installed in this database")
        line = RemittanceLine(invoice_number="INV/2026/99999", currency="USD",
                              invoice_amount=Decimal("120.00"), amount_paid=Decimal("120.00"),
                              discount=Decimal("0"), description="", invoice_type="",
                              invoice_date=datetime.date(2026, 9, 30))
        remittance = Remittance(
            unique_payment_id="EDI820-1", payment_number="PAY820", currency="USD",
            payment_date=datetime.date(2026, 11, 27), amount=Decimal("120.00"),
            lines=(line,), source="edi")
        self.amazon_sends(codecs.MODULES["x12"].write_remittance(
            [remittance], self.amazon_envelope()))
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "processed", fetched.result)
        stored = self.env["amazon.vendor.remittance"].search(
            [("account_id", "=", self.account.id), ("payment_number", "=", "PAY820")])
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored.source, "edi")
        self.assertEqual(stored.line_ids.mapped("match_state"), ["unknown"],
                         "an invoice Odoo does not have is said, not guessed")
        self.assertTrue(codecs.MODULES["x12"].read_functional_ack(
            self.take_uploaded("997")[0])[0].accepted)

    def test_control_numbers_are_unique_and_increasing(self):
        numbers = [self.account._edi_next_control() for _i in range(3)]
        self.assertEqual(numbers, sorted(set(numbers)))

    def test_control_numbers_run_per_trading_pair(self):
        """Two accounts (vendor codes) sending under one EDI id share Amazon's count of that
        sender's numbers; another pair counts apart, from after what its accounts used."""
        twin = create_simulation_account(self.env, "Second vendor code",
                                         self.account.endpoint_override)
        twin.sudo().write({field: self.account.sudo()[field] for field in (
            "edi_standard", "edi_transport", "edi_our_qualifier", "edi_our_id",
            "edi_amazon_qualifier", "edi_amazon_test_id", "edi_channel_invoice")})
        self.assertEqual(twin._edi_sequence_name(), self.account._edi_sequence_name())
        numbers = [account._edi_next_control()
                   for account in (self.account, twin, self.account, twin)]
        self.assertEqual(numbers, sorted(set(numbers)), "never the same number twice")
        # a pair of its own (another EDI id of ours) starts after what its account used
        self.env["amazon.vendor.edi.interchange"].create({
            "account_id": twin.id, "direction": "out", "standard": "x12", "kind": "invoice",
            "message_type": "810", "interchange_control": "000000777",
            "file_name": "earlier.edi", "file": base64.b64encode(b"ISA"), "state": "accepted"})
        twin.sudo().edi_our_id = "ACORNSECOND"
        self.assertNotEqual(twin._edi_sequence_name(), self.account._edi_sequence_name())
        self.assertEqual(twin._edi_next_control(), 778)
        self.assertGreater(self.account._edi_next_control(), numbers[-1])
        # joining a pair raises its sequence past what the newcomer used
        twin.sudo().edi_our_id = self.account.sudo().edi_our_id
        self.assertGreater(self.account._edi_next_control(), 778)
        # the per-account sequence of an earlier version counts too
        legacy = f"amazon_vendor_edi_control_{twin.id}"
        self.env.cr.execute(f'CREATE SEQUENCE "{legacy}" START WITH 4000')
        self.env.cr.execute(f"SELECT nextval('{legacy}')")
        twin.sudo().edi_our_id = "ACORNTHIRD"
        self.assertEqual(twin._edi_next_control(), 4001)

    def test_a_copied_database_sends_no_file_and_keeps_no_key(self):
        self.env.flush_all()
        for query in get_neutralization_queries(["acorn_amazon_vendor_edi"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        account = self.account.sudo()
        self.assertFalse(account.edi_sftp_private_key)
        self.assertFalse(account.edi_enabled)
        self.assertEqual(account._amazon_vendor_channel("invoice"), "api")

    def test_only_administrators_choose_where_files_and_keys_go(self):
        manager = new_test_user(self.env, "edi_manager", groups=(
            "acorn_amazon_vendor.group_amazon_vendor_manager,base.group_user"))
        account = self.account.with_user(manager)
        with self.assertRaises(AccessError):
            account.write({"edi_sftp_host": "files.example.com"})
        with self.assertRaises(AccessError):
            account.read(["edi_sftp_private_key"])
        account.write({"edi_sftp_username": "acorn"})  # the rest of the settings is theirs


@tagged("post_install", "-at_install")
class TestEdiCompanies(CompanyIsolationMixin, EdiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._company_users("acorn_amazon_vendor.group_amazon_vendor_manager")

    def test_company_b_sees_no_edi_file_of_company_a(self):
        self.amazon_sends(b"not an EDI file", name="noise.edi")
        self.account._edi_receive()
        self.assertCompanyIsolated("acorn_amazon_vendor_edi")


@tagged("post_install", "-at_install")
class TestEdiEdifactCycle(EdiCase):
    standard = "edifact"

    def test_amazons_ordchg_changes_a_confirmed_order_for_review(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 40)
        original = self._po("EDIEU0C1", [(item, 8, "Eaches", 1)])
        self.amazon_sends_orders([original])
        self.account._edi_receive()
        self.take_uploaded("CONTRL")
        order = self.env["sale.order"].search([("client_order_ref", "=", "EDIEU0C1")])
        order.action_amazon_vendor_propose()
        order.action_confirm()
        changed = copy.deepcopy(original)
        changed["orderDetails"]["purchaseOrderChangedDate"] = "2026-11-30T10:15:00Z"
        changed["orderDetails"]["items"][0]["orderedQuantity"]["amount"] = 5
        change = order_change.change_between(original, changed)
        stranger = dict(change, purchaseOrderNumber="EDIEU0XX")
        edifact = codecs.MODULES["edifact"]
        self.amazon_sends(edifact.write_purchase_order_changes([change, stranger],
                                                               self.amazon_envelope()))
        fetched = self.account._edi_receive()
        self.assertEqual((fetched.message_type, fetched.state), ("ORDCHG", "processed"),
                         fetched.result)
        self.assertIn("1 purchase order changes applied", fetched.result)
        self.assertIn("refused: purchase order EDIEU0XX was never received", fetched.result)
        self.assertNotIn("BCH", fetched.result, "an EDIFACT refusal names no X12 segment")
        self.assertTrue(fetched.activity_ids, "the refused change is said")
        self.assertTrue(order.amazon_vendor_changed)
        self.assertIn("8 → 5", str(order.amazon_vendor_change_summary))
        stored = order.amazon_vendor_document_id._get_payload("payload_in")["orderDetails"]
        self.assertEqual(stored["purchaseOrderChangedDate"], "2026-11-30T10:15:00Z")
        contrl = self.take_uploaded("CONTRL")
        self.assertTrue(codecs.read_answers("edifact", contrl[0])[0].accepted,
                        "a CONTRL answers the syntax")

    def test_an_interchange_of_orders_and_a_change_is_read_as_both(self):
        """Amazon may put ORDERS and an ORDCHG in one interchange: each message type is read
        and answered as a file of its own (the file was refused whole)."""
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 40)
        original = self._po("EDIEU0M1", [(item, 8, "Eaches", 1)])
        self.amazon_sends_orders([original])
        self.account._edi_receive()
        self.take_uploaded("CONTRL")
        changed = copy.deepcopy(original)
        changed["orderDetails"]["purchaseOrderChangedDate"] = "2026-11-30T10:15:00Z"
        changed["orderDetails"]["items"][0]["orderedQuantity"]["amount"] = 5
        edifact = codecs.MODULES["edifact"]
        envelope = self.amazon_envelope()
        orders = edifact.write_purchase_orders(
            [self._po("EDIEU0M2", [(item, 3, "Eaches", 1)])], envelope).decode("latin-1")
        change = edifact.write_purchase_order_changes(
            [order_change.change_between(original, changed)], envelope).decode("latin-1")
        # one interchange: the ORDERS message, then the ORDCHG (its own reference), UNZ counting
        # both
        message = change[change.index("UNH+"):change.rindex("UNZ+")]
        reference = message[4:message.index("+", 4)]  # UNH01, the same in both files
        message = re.sub(rf"UNT\+(\d+)\+{reference}'$", r"UNT+\1+ORDCHG1'",
                         message.replace(f"UNH+{reference}+", "UNH+ORDCHG1+", 1))
        head, unz = orders.rsplit("UNZ+1+", 1)
        name = self.amazon_sends((head + message + "UNZ+2+" + unz).encode("latin-1"))
        fetched = self.account._edi_receive()
        self.assertEqual(sorted(fetched.mapped("message_type")), ["ORDCHG", "ORDERS"])
        self.assertEqual(set(fetched.mapped("state")), {"processed"}, fetched.mapped("result"))
        self.assertEqual(sorted(fetched.mapped("file_name")), [f"{name} (1/2)", f"{name} (2/2)"])
        self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "EDIEU0M2")]))
        quotation = self.env["sale.order"].search([("client_order_ref", "=", "EDIEU0M1")])
        self.assertEqual(quotation.order_line.product_uom_qty, 5, "the quotation follows")
        contrl = self.take_uploaded("CONTRL")
        self.assertEqual(len(contrl), 2, "each part answered")
        self.assertTrue(all(codecs.read_answers("edifact", c)[0].accepted for c in contrl))

    def test_orders_in_ordrsp_out_settled_by_contrl(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 40)
        self.amazon_sends_orders([self._po("EDIEU001", [(item, 4, "Eaches", 1)])])
        fetched = self.account._edi_receive()
        self.assertEqual(fetched.state, "processed", fetched.result)
        self.assertEqual(fetched.message_type, "ORDERS")
        contrl = self.take_uploaded("CONTRL")
        self.assertEqual(len(contrl), 1)
        self.assertTrue(codecs.read_answers("edifact", contrl[0])[0].accepted)
        order = self.env["sale.order"].search([("client_order_ref", "=", "EDIEU001")])
        order.action_amazon_vendor_propose()
        order.action_confirm()
        doc = self._ack(order.amazon_vendor_po_number)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        ordrsp = self.take_uploaded("ORDRSP")
        parsed = codecs.MODULES["edifact"].read_acknowledgement(ordrsp[0])
        self.assertEqual(parsed.documents[0]["purchaseOrderNumber"], "EDIEU001")
        self.amazon_sends(codecs.MODULES["edifact"].write_control(
            parsed, True, [], envelope=self.amazon_envelope()))
        self.account._edi_receive()
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", doc.error_message)
