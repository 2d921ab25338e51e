from odoo.addons.acorn_amazon_vendor.tests.test_i18n import ChineseTranslationCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestChineseTranslation(ChineseTranslationCase):
    MODULE = "acorn_amazon_vendor_direct_fulfillment"
    MIN_TERMS = 150

    def test_every_user_facing_term_has_a_chinese_translation(self):
        self.assert_translation_complete()
