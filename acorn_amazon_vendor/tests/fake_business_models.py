"""A business document the addon has never heard of, declared for the tests only
(odoo-test-helper's FakeModelLoader adds it to the registry and removes it afterwards).

Imported by test_ledger_generic_link.py inside setUpClass, after the registry was backed up:
never import it from tests/__init__.py (the model would stay in the registry).
"""
from odoo import fields, models


class AcornTestBusinessDocument(models.Model):
    _name = "acorn.test.business.document"
    _description = "Business document (tests only)"
    _inherit = ["mail.thread", "mail.activity.mixin"]

    name = fields.Char(required=True)
    amazon_outcomes = fields.Char(help="The ledger states this record was told about, in order.")
    fail_on_settle = fields.Boolean(help="The follow-up of this record breaks after writing.")

    def _amazon_vendor_document_settled(self, document):
        """The hook the ledger calls on a linked record (as on orders, deliveries, invoices)."""
        self.amazon_outcomes = ",".join(filter(None, [self.amazon_outcomes, document.state]))
        if self.fail_on_settle:
            raise ValueError("the follow-up of this record broke")
        self.message_post(body=f"Amazon: {document.display_name} is {document.state}.")
