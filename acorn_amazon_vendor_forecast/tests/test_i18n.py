import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

MODULE = "acorn_amazon_vendor_forecast"


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    def test_every_user_facing_term_has_a_chinese_translation(self):
        terms = {source for module, _type, _name, _res_id, source, _value, _comments
                 in TranslationModuleReader(self.env.cr, modules=[MODULE]) if module == MODULE}
        self.assertGreater(len(terms), 150)
        catalog = polib.pofile(file_path(f"{MODULE}/i18n/zh_CN.po"))
        translated = {entry.msgid for entry in catalog
                      if entry.msgstr and not entry.fuzzy and not entry.obsolete}
        missing = sorted(terms - translated)
        self.assertFalse(missing, f"{len(missing)} terms lack a zh_CN translation, e.g. "
                                  f"{missing[:5]}: export the .pot and translate them")
