import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


class ChineseTranslationCase(TransactionCase):
    """Every user-facing term of ``MODULE`` has a zh_CN translation (shared by the addons)."""
    MODULE = None
    MIN_TERMS = 1

    def assert_translation_complete(self):
        module = self.MODULE
        terms = {source for mod, _type, _name, _res_id, source, _value, _comments
                 in TranslationModuleReader(self.env.cr, modules=[module]) if mod == module}
        self.assertGreater(len(terms), self.MIN_TERMS)
        catalog = polib.pofile(file_path(f"{module}/i18n/zh_CN.po"))
        translated = {entry.msgid for entry in catalog
                      if entry.msgstr and not entry.fuzzy and not entry.obsolete}
        missing = sorted(terms - translated)
        self.assertFalse(missing, f"{len(missing)} terms lack a zh_CN translation, e.g. "
                                  f"{missing[:5]}: export the .pot and translate them")


@tagged("post_install", "-at_install")
class TestChineseTranslation(ChineseTranslationCase):
    MODULE = "acorn_amazon_vendor"
    MIN_TERMS = 300

    def test_every_user_facing_term_has_a_chinese_translation(self):
        self.assert_translation_complete()
