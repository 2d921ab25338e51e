"""Deduction classification, original invoices and dispute deadlines (pure data and functions)."""
import copy
import datetime
import pathlib
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.deductions import (
    DEFAULT_DEADLINES,
    DEFAULT_RULES,
    TYPES,
    check_rules,
    classify,
    deadline,
    original_invoice_number,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import RemittanceLine
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance_export import (
    parse_remittance_export,
)

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "remittance_exports"
D = Decimal
date = datetime.date


def line(number, amount, description="", invoice_type="", currency="USD"):
    amount = D(amount)
    return RemittanceLine(invoice_number=number, currency=currency, invoice_amount=amount,
                          amount_paid=amount, description=description,
                          invoice_type=invoice_type)


# ---------------------------------------------------------------------------- classification
@pytest.mark.parametrize(("number", "amount", "description", "invoice_type", "expected",
                          "code", "original"), [
    # US (amazowl: invoice + SC / SCR / SCRSC, VCBSINV, agreement numbers, IPAPUS).
    ("SYN-US-1001SC", "-120.00", "Shortage claim", "", "shortage", "shortage_claim",
     "SYN-US-1001"),
    ("SYN-US-1001SCRSC", "-60.00", "", "", "shortage", "shortage_claim_revised",
     "SYN-US-1001"),
    ("SYN-US-1001SCR", "120.00", "Shortage claim reversal", "", "reversal",
     "shortage_claim_reversal", "SYN-US-1001"),
    # Sources disagree on SCR: a debit under that number is the claim itself.
    ("SYN-US-1001SCR", "-120.00", "", "", "shortage", "shortage_claim_scr", "SYN-US-1001"),
    ("SYN-US-1002PC", "-11.90", "", "", "price_variance", "price_claim", "SYN-US-1002"),
    ("SYN-US-1002PCR", "11.90", "", "", "reversal", "price_claim_reversal", "SYN-US-1002"),
    ("8812345VCBSINV", "-39.21", "Chargeback - ASN accuracy", "", "chargeback",
     "chargeback_debit_note", None),
    ("2900-12345678", "-80.00", "", "", "coop", "agreement_invoice", None),
    ("IPAPUS1234567", "-45.00", "Price Protection", "", "price_protection",
     "price_protection_debit_note", None),
    ("260115_PROVISION_FOR_RECEIVABLES", "-500.00", "", "", "provision", "provision", None),
    ("260115-PROVISION FOR RECEIVABLESR", "500.00", "", "", "reversal", "provision_reversal",
     None),
    # EU (hyphenated suffix, English descriptions; German and French words).
    ("SYN-DE-2026-0001-SC", "-59.50", "Shortage claim", "", "shortage", "shortage_claim",
     "SYN-DE-2026-0001"),
    # An agreement invoice whose description names the agreement: the description decides.
    ("2901-87654321", "-91.22", "Damage Allowance", "", "damage_allowance",
     "damage_allowance_description", None),
    ("DN-778", "-91.22", "Damage Allowance", "", "damage_allowance",
     "damage_allowance_description", None),
    ("DN-779", "-12.00", "Fehlmenge laut Wareneingang", "", "shortage", "shortage_description",
     None),
    ("8899001VCBSINV", "-60.00", "Pénalité - étiquetage carton", "", "chargeback",
     "chargeback_debit_note", None),
    ("CB-4411", "-60.00", "Pénalité - étiquetage carton", "", "chargeback",
     "chargeback_description", None),
    ("CB-4412", "-25.00", "Ausgleichszahlung: Lieferunpünktlichkeit", "", "chargeback",
     "chargeback_description", None),
    ("QPD-0001", "-20.41", "Quick Pay Discount", "", "terms_discount",
     "terms_discount_description", None),
    ("AGR-1", "-300.00", "Co-op: Accrual - Marketing", "", "coop", "coop_description", None),
    ("PPV-1", "-5.00", "PPV adjustment", "", "price_variance", "price_variance_description",
     None),
    ("PQV-1", "-5.00", "PQV adjustment", "", "quantity_variance",
     "quantity_variance_description", None),
    ("CB-9", "-100.00", "Operational performance: PO on-time accuracy", "", "chargeback",
     "chargeback_description", None),
    # India (transaction types and descriptions of the Indian export).
    ("SYN-IN-0042SC", "-1500", "Quantity shortage", "Financial Debit Note Invoice",
     "shortage", "shortage_claim", "SYN-IN-0042"),
    ("DN-IN-1", "-1500", "Quantity shortage", "Financial Debit Note Invoice", "shortage",
     "shortage_description", None),
    ("CN-IN-2", "1500", "Quantity shortage reversal", "GST Credit Note", "reversal",
     "reversal_description", None),
    ("DN-IN-3", "-80", "Price variance", "Financial Debit Note Invoice", "price_variance",
     "price_variance_description", None),
    ("CN-IN-4", "80", "Price variance reversal", "GST Credit Note", "reversal",
     "reversal_description", None),
    ("DN-IN-55501", "-590", "COOP – Service agreement", "GST Debit Note", "coop",
     "coop_description", None),
    ("PRV-IN-7", "-130", "Provision for aged receivable", "Provision deduction", "provision",
     "provision_type", None),
    ("PRV-IN-8", "130", "Provision for aged receivable", "Provision reversal", "reversal",
     "provision_reversal_type", None),
    ("DN-IN-9", "-49", "Product returns", "GST Debit Note", "other", "returns_description",
     None),
])
def test_classification_per_type_and_region(number, amount, description, invoice_type,
                                            expected, code, original):
    item = line(number, amount, description, invoice_type)
    kind, rule = classify(item)
    assert (kind, rule["code"]) == (expected, code)
    assert original_invoice_number(item) == original


def test_unknown_lines_are_other_without_a_rule():
    assert classify(line("ZZ-000123", "-10.00", "Miscellaneous adjustment")) == ("other", None)
    assert original_invoice_number(line("ZZ-000123", "-10.00")) is None


def test_the_vendors_own_invoice_ending_in_sc_is_not_a_shortage():
    # "...DISC" paid in full: a credit, so no shortage rule (they need a debit) matches.
    assert classify(line("ACME-DISC", "250.00")) == ("other", None)
    assert classify(line("ACME-DISC", "-250.00"))[0] == "shortage"


@pytest.mark.parametrize("number", ["syn-us-1001sc", "  SYN-US-1001 SC  ", "SYN-US-1001_SC",
                                    "SYN-US-1001\tsc"])
def test_case_and_whitespace_do_not_matter(number):
    item = line(number, "-1.00")
    assert classify(item)[0] == "shortage"
    assert original_invoice_number(item).upper() == "SYN-US-1001"


def test_original_invoice_keeps_amazons_case_and_falls_back_to_the_description():
    assert original_invoice_number(line("inv-77sc", "-1.00")) == "inv-77"
    assert original_invoice_number(
        line("DN-5", "-3.00", "Shortage for original invoice SYN-FR-0007")) == "SYN-FR-0007"
    assert original_invoice_number(line("DN-6", "-3.00", "Rechnung: RE-2026-11 Fehlmenge")) \
        == "RE-2026-11"
    # A description naming the deduction's own number is no reference.
    assert original_invoice_number(line("DN-7", "-3.00", "Invoice DN-7")) is None


def test_every_line_of_the_us_export_is_classified():
    content = (FIXTURES / "us_remittance_export.xlsx").read_bytes()
    kinds = [classify(item)[0] for payment in parse_remittance_export(content, "us.xlsx")
             for item in payment.lines if item.is_deduction or item.amount_paid > 0]
    assert kinds == ["other", "other", "shortage", "chargeback", "coop",
                     "reversal", "other", "price_protection", "provision"]


# ---------------------------------------------------------------------------- rules as data
def test_default_rules_are_valid_plain_data():
    assert check_rules(DEFAULT_RULES) == []
    assert {rule["type"] for rule in DEFAULT_RULES} <= set(TYPES)
    assert all(isinstance(rule, dict) and rule.get("source") for rule in DEFAULT_RULES)
    assert copy.deepcopy(DEFAULT_RULES) == DEFAULT_RULES


def test_an_accountant_can_add_reorder_and_disable_rules():
    rules = copy.deepcopy(DEFAULT_RULES)
    rules.append({"code": "retailer_fee", "name": "Vendor Central fee", "type": "chargeback",
                  "priority": 5, "invoice_regex": r"^FEE-\d+$"})
    assert classify(line("FEE-12", "-9.99"))[0] == "other"
    assert classify(line("FEE-12", "-9.99"), rules)[1]["code"] == "retailer_fee"
    for rule in rules:
        if rule["code"] == "shortage_claim":
            rule["active"] = False
    assert classify(line("A-1SC", "-1.00"), rules) == ("other", None)


def test_region_rules_apply_only_in_their_region_or_when_the_region_is_unknown():
    rules = [{"code": "in_tds", "type": "other", "priority": 1, "regions": ["IN"],
              "description_regex": r"\bTDS\b"},
             {"code": "tds_elsewhere", "type": "terms_discount", "priority": 2,
              "description_regex": r"\bTDS\b"}]
    item = line("X-1", "-1.00", "TDS adjustment")
    assert classify(item, rules, country="IN")[1]["code"] == "in_tds"
    assert classify(item, rules, country="in")[1]["code"] == "in_tds"
    assert classify(item, rules, country="US")[1]["code"] == "tds_elsewhere"
    assert classify(item, rules)[1]["code"] == "in_tds"


def test_all_patterns_of_a_rule_must_match():
    rules = [{"code": "both", "type": "coop", "priority": 1, "invoice_regex": r"^AGR",
              "description_regex": "marketing"}]
    assert classify(line("AGR-1", "-1.00", "Marketing"), rules)[0] == "coop"
    assert classify(line("AGR-1", "-1.00", "Freight"), rules) == ("other", None)


def test_check_rules_explains_bad_rules():
    problems = check_rules([
        {"code": "a", "type": "shortage", "invoice_regex": "(unclosed"},
        {"code": "a", "type": "fine", "description_regex": "x", "sign": "minus", "colour": 1},
        {"code": "c", "type": "coop", "priority": "high"},
    ])
    assert problems[0].startswith("rule a: invoice_regex is not a valid pattern (")
    assert problems[1:] == [
        "rule a: unknown keys colour",
        "rule a: the code is used twice",
        "rule a: type 'fine' is not one of " + ", ".join(TYPES),
        "rule a: sign must be empty, 'negative' or 'positive'",
        "rule c: needs an invoice number, description or invoice type pattern",
        "rule c: priority must be a whole number",
    ]


# ---------------------------------------------------------------------------- deadlines
DATES = {"issue_date": date(2026, 1, 10), "due_date": date(2026, 2, 1),
         "payment_date": date(2026, 2, 3), "invoice_date": date(2025, 12, 3)}


@pytest.mark.parametrize(("kind", "expected"), [
    ("shortage", date(2026, 3, 3)),  # 30 days after the invoice due date
    ("quantity_variance", date(2026, 3, 3)),
    ("price_variance", date(2026, 3, 3)),
    ("chargeback", date(2026, 2, 9)),  # 30 days from issue
    ("coop", date(2027, 12, 3)),  # 2 years from issue, capped 2 years from the invoice date
    ("damage_allowance", date(2027, 12, 3)),
    ("price_protection", date(2027, 12, 3)),
    ("terms_discount", date(2026, 3, 5)),
    ("other", date(2026, 2, 9)),
    ("provision", None),
    ("reversal", None),
])
def test_default_deadlines(kind, expected):
    assert deadline(kind, DATES) == expected


def test_every_type_has_a_deadline_entry_with_a_source():
    assert set(DEFAULT_DEADLINES) == set(TYPES)
    assert all(spec.get("source") for spec in DEFAULT_DEADLINES.values())


def test_deadline_falls_back_to_the_next_date_it_knows():
    # The exports carry no due date: a shortage then counts from the payment that took it.
    assert deadline("shortage", {"payment_date": date(2026, 2, 3)}) == date(2026, 3, 5)
    assert deadline("chargeback", {"payment_date": datetime.datetime(2026, 2, 3, 9, 30)}) == \
        date(2026, 3, 5)
    assert deadline("shortage", {}) is None


def test_the_absolute_cap_wins_for_old_invoices():
    old = {"due_date": date(2026, 2, 1), "invoice_date": date(2024, 1, 15)}
    assert deadline("shortage", old) == date(2026, 1, 14)  # 730 days after the invoice


def test_deadline_tables_are_plain_data_an_accountant_can_edit():
    table = copy.deepcopy(DEFAULT_DEADLINES)
    table["chargeback"]["days"] = 14
    table["provision"] = {"days": 10, "from": "issue_date"}
    assert deadline("chargeback", DATES, table) == date(2026, 1, 24)
    assert deadline("provision", DATES, table) == date(2026, 1, 20)
    assert deadline("unheard_of", DATES, table) == deadline("other", DATES, table)
