import datetime

from odoo.tests import tagged

from .common_po import PurchaseOrderCase

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"


@tagged("post_install", "-at_install")
class TestHtmlEscaping(PurchaseOrderCase):
    """Amazon's free text (fulfilment centre ids, item identifiers, PO numbers) and record
    names reach alerts, activities and chatter as text, never as live HTML."""

    def setUp(self):
        super().setUp()
        self.account.alert_emails = "ops@example.com"

    def assertNoLiveTag(self, html, where):
        html = str(html or "")
        for tag in ("<script", "<img"):
            self.assertNotIn(tag, html.lower(), f"live {tag}> in {where}: {html}")

    def _htmls(self, record):
        mails = self.env["mail.mail"].search([("model", "=", record._name),
                                              ("res_id", "=", record.id)])
        return ([(f"mail {m.id}", m.body_html) for m in mails]
                + [(f"activity {a.id}", a.note) for a in record.activity_ids]
                + [(f"message {m.id}", m.body) for m in record.message_ids])

    def test_hostile_purchase_order_values_are_escaped(self):
        hostile_item = {"asin": "B0XSS00001", "vendor_sku": SCRIPT, "net_cost": "5.00",
                        "list_price": "9.00"}
        self._po("PO0XSS01", [(self._item(0), 2, "Eaches", 1), (hostile_item, 1, "Eaches", 1)],
                 ship_to=IMG)
        order = self._import()
        self.assertEqual(order.amazon_vendor_ship_to_code, IMG)
        chatter = "".join(order.message_ids.mapped("body"))
        self.assertIn(ESCAPED_IMG, chatter, "the unknown fulfilment centre, as text")
        self.assertIn(ESCAPED_SCRIPT, chatter, "the unmatched item's identifier, as text")

        # Amazon's model lets a PO number hold any string: the deadline alert shows it as text.
        order.amazon_vendor_po_number = SCRIPT
        order._amazon_vendor_alert_deadline()
        mail = self.env["mail.mail"].search([("model", "=", "sale.order"),
                                             ("res_id", "=", order.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn(ESCAPED_SCRIPT, mail.body_html)
        notes = "".join(str(n) for n in order.activity_ids.mapped("note"))
        self.assertIn(ESCAPED_SCRIPT, notes)

        # The managers asked to approve the acknowledgement read the PO number as text.
        order._amazon_vendor_request_approval()
        approval = order.activity_ids.filtered(lambda a: "asked to confirm" in str(a.note))
        self.assertTrue(approval)
        self.assertIn(ESCAPED_SCRIPT, str(approval[0].note))

        # A to-do listing problems that quote Amazon's data.
        self.account._amazon_vendor_todo(order, "Check", [f"Item {IMG}", f"Item {SCRIPT}"])
        todo = order.activity_ids.filtered(lambda a: a.summary == "Check")
        self.assertIn(ESCAPED_IMG, str(todo.note))
        self.assertIn("<br>", str(todo.note).replace("<br/>", "<br>"), "one problem per line")
        for where, html in self._htmls(order):
            self.assertNoLiveTag(html, where)

    def test_late_asn_alert_escapes_the_delivery_name(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 20)
        self._po("PO0XSS02", [(item, 2, "Eaches", 1)])
        order = self._import()
        order.action_amazon_vendor_propose()
        order.action_confirm()
        picking = order.picking_ids
        picking.write({"name": IMG, "amazon_vendor_pickup_at":
                       datetime.datetime.now() + datetime.timedelta(days=1)})
        self.assertTrue(picking.amazon_vendor_asn_deadline)
        picking._amazon_vendor_alert_late_asn()
        mail = self.env["mail.mail"].search([("model", "=", "stock.picking"),
                                             ("res_id", "=", picking.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn(ESCAPED_IMG, mail.body_html)
        self.assertIn(ESCAPED_IMG, str(picking.activity_ids.note))
        for where, html in self._htmls(picking):
            self.assertNoLiveTag(html, where)
