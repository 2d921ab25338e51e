"""Vendor Central remittance exports -> Remittance: every layout, convention and refusal.

The fixtures are synthetic files in the layouts public sources show (see
fixtures/remittance_exports/README.md); make_fixtures.py there rebuilds them.
"""
import datetime
import io
import pathlib
from decimal import Decimal

import openpyxl
import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import Remittance, RemittanceLine
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance_export import (
    MAX_PROBLEMS,
    RemittanceExportError,
    parse_remittance_export,
)

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "remittance_exports"
D = Decimal
date = datetime.date


def parse_fixture(name, **kwargs):
    return parse_remittance_export((FIXTURES / name).read_bytes(), name, **kwargs)


def parse_text(text, name="export.csv", encoding="utf-8", **kwargs):
    return parse_remittance_export(text.encode(encoding), name, **kwargs)


def problems_of(content, name="export.csv", **kwargs):
    if isinstance(content, str):
        content = content.encode("utf-8")
    with pytest.raises(RemittanceExportError) as caught:
        parse_remittance_export(content, name, **kwargs)
    return caught.value.problems


def xlsx_bytes(rows, title="Remittance"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


LINES_HEADER = ("Payment Number,Payment Date,Invoice Number,Invoice Date,Invoice Amount,"
                "Invoice Currency,Amount Paid\n")


# ---------------------------------------------------------------------------- variants
@pytest.mark.parametrize("name", ["us_remittance_export.xlsx", "us_remittance_export.csv"])
def test_us_export_two_sections_text_cells(name):
    first, second = parse_fixture(name)
    assert isinstance(first, Remittance)
    assert (first.payment_number, first.unique_payment_id) == ("900000101", "900000101")
    assert first.payment_date == date(2026, 1, 14)  # MM/DD/YYYY: "01/14/2026"
    assert (first.amount, first.currency, first.status) == (D("3386.79"), "USD", "SUCCESSFUL")
    assert (first.invoice_currency, first.amount_invoice_currency) == ("USD", D("3386.79"))
    assert (first.exchange_rate, first.method, first.source) == (D("1.0"), "EFT", "export")
    assert [line.invoice_number for line in first.lines] == [
        "SYN-US-1001", "SYN-US-1002", "SYN-US-1001SC", "8812345VCBSINV", "2900-12345678"]
    invoice, _, shortage, chargeback, _ = first.lines
    assert invoice == RemittanceLine(
        invoice_number="SYN-US-1001", currency="USD", invoice_amount=D("2500.00"),
        amount_paid=D("2450.00"), discount=D("50.00"), invoice_date=date(2025, 11, 3),
        description="Invoice")
    assert invoice.settled == D("2500.00") and not invoice.is_deduction
    # "($120.00)": Amazon's deduction, negative.
    assert (shortage.invoice_amount, shortage.amount_paid) == (D("-120.00"), D("-120.00"))
    assert shortage.is_deduction and chargeback.amount_paid == D("-39.21")
    assert sum(line.amount_paid for line in first.lines) == first.amount
    assert second.payment_date == date(2026, 1, 28)
    assert second.lines[0].invoice_number == "SYN-US-1001SCR"
    assert second.lines[0].amount_paid == D("120.00")  # a reversal is a credit
    assert second.lines[-1].invoice_number == "260115_PROVISION_FOR_RECEIVABLES"


def test_xlsx_and_csv_of_the_same_export_read_the_same():
    assert parse_fixture("us_remittance_export.xlsx") == parse_fixture("us_remittance_export.csv")


def test_eu_export_semicolon_bom_decimal_comma_day_first_net_amount_paid():
    (payment,) = parse_fixture("eu_remittance_export_semicolon.csv")
    assert payment.payment_date == date(2026, 1, 14)
    assert (payment.amount, payment.currency, payment.exchange_rate) == (
        D("2286.40"), "EUR", D("1.0000"))
    lines = {line.invoice_number: line for line in payment.lines}
    assert lines["SYN-DE-2026-0001"].invoice_amount == D("1785.00")  # "1.785,00"
    assert lines["SYN-DE-2026-0001"].amount_paid == D("1749.30")  # "Net Amount Paid"
    assert lines["SYN-DE-2026-0001"].discount == D("35.70")
    assert lines["SYN-DE-2026-0001"].invoice_date == date(2025, 12, 2)  # "02/12/2025"
    assert lines["SYN-DE-2026-0001-SC"].amount_paid == D("-59.50")
    assert lines["2901-87654321"].description == "Damage Allowance"


def test_german_headers_cp1252_dotted_dates_decided_by_the_header_language():
    (payment,) = parse_fixture("de_remittance_german_headers.csv")
    # No date has a day above 12: the German headers (and the dots) mean day first.
    assert payment.payment_date == date(2026, 2, 3)
    assert [line.invoice_date for line in payment.lines] == [
        date(2026, 1, 5), date(2026, 1, 10), date(2025, 12, 12)]
    assert payment.lines[0].invoice_amount == D("10234.50")  # "10.234,50"
    assert payment.lines[0].discount == D("204.69")  # "Skonto"
    assert payment.lines[1].amount_paid == D("-102.35")
    # No payments section: the payment is the sum of its lines, in their currency.
    assert (payment.amount, payment.currency) == (D("10393.94"), "EUR")


def test_french_headers_utf16_tab_nbsp_thousands_and_euro_suffix():
    (payment,) = parse_fixture("fr_remittance_utf16.txt")
    assert payment.payment_date == date(2026, 2, 9)  # "09/02/2026", French: day first
    assert (payment.amount, payment.currency, payment.status) == (
        D("1190.00"), "EUR", "SUCCESSFUL")  # "1 190,00 €", "Payé"
    assert [(line.invoice_number, line.amount_paid) for line in payment.lines] == [
        ("SYN-FR-0007", D("1250.00")), ("8899001VCBSINV", D("-60.00"))]
    assert payment.lines[1].description == "Pénalité - étiquetage carton"


def test_uk_payments_summary_without_lines_multi_currency_and_void():
    paid, converted, voided = parse_fixture("uk_payments_summary.csv")
    assert (paid.payment_date, paid.amount, paid.currency, paid.lines) == (
        date(2026, 1, 16), D("12345.67"), "GBP", ())
    # An EUR invoice paid in GBP: both amounts and Amazon's rate are kept.
    assert (converted.amount, converted.currency) == (D("851.20"), "GBP")
    assert (converted.invoice_currency, converted.amount_invoice_currency) == ("EUR",
                                                                                D("1000.00"))
    assert converted.exchange_rate == D("0.8512")
    assert voided.status == "FAILED"


def test_india_two_sheets_native_cells_withholding_and_transaction_types():
    (payment,) = parse_fixture("in_remittance_export.xlsx")
    assert (payment.payment_number, payment.payment_date) == ("700000801", date(2026, 1, 21))
    assert (payment.amount, payment.currency, payment.method) == (D("117660"), "INR", "NEFT")
    invoice, shortage, coop, provision = payment.lines
    assert (invoice.invoice_amount, invoice.withholding, invoice.amount_paid) == (
        D("120000"), D("120"), D("119880"))
    assert invoice.settled == D("120000")
    assert invoice.invoice_date == date(2025, 12, 2)
    assert (shortage.invoice_type, shortage.description) == (
        "Financial Debit Note Invoice", "Quantity shortage")
    assert coop.description == "COOP – Service agreement"
    assert provision.invoice_type == "Provision deduction"


def test_japanese_headers_shift_jis_yen():
    (payment,) = parse_fixture("jp_remittance_sjis.csv")
    assert payment.payment_date == date(2026, 1, 30)
    assert (payment.amount, payment.currency) == (D("1230067"), "JPY")
    assert [line.amount_paid for line in payment.lines] == [D("1234567"), D("-4500")]
    assert payment.lines[1].description == "数量不足"


def test_one_payment_written_above_its_lines():
    (payment,) = parse_fixture("us_single_payment_detail.csv")
    assert (payment.payment_number, payment.payment_date) == ("900000103", date(2026, 2, 13))
    assert (payment.amount, payment.currency) == (D("1000.00"), "USD")
    (line,) = payment.lines
    assert (line.invoice_number, line.currency, line.discount) == ("SYN-US-1010", "USD",
                                                                   D("20.41"))


def test_xlsx_with_native_dates_and_numbers_and_several_payments_per_lines_table():
    content = xlsx_bytes([
        ["Payment Number", "Payment Date", "Invoice Number", "Invoice Date", "Invoice Amount",
         "Invoice Currency", "Amount Paid"],
        [111, datetime.datetime(2026, 3, 2), "A-1", datetime.datetime(2026, 1, 2), 10.5,
         "EUR", 10.5],
        [222, datetime.datetime(2026, 3, 9), 50001, datetime.date(2026, 1, 3), 7, "EUR", 7],
        [111, datetime.datetime(2026, 3, 2), "A-1SC", datetime.datetime(2026, 1, 20), -0.5,
         "EUR", -0.5],
    ])
    first, second = parse_remittance_export(content, "lines.xlsx")
    assert (first.payment_number, first.amount, len(first.lines)) == ("111", D("10.0"), 2)
    assert second.lines[0].invoice_number == "50001"  # a numeric cell, not "50001.0"
    assert second.lines[0].invoice_date == date(2026, 1, 3)


# ---------------------------------------------------------------------------- headers
def test_headers_match_whatever_the_case_spacing_accents_and_punctuation():
    text = ("PAYMENT  NUMBER;payment_date;Invoice #;INVOICE-DATE;invoice amount (EUR);"
            "Montant Payé\n"
            "42;25/03/2026;X-1;20/03/2026;12,00;12,00\n")
    (payment,) = parse_text(text)
    assert (payment.payment_number, payment.payment_date) == ("42", date(2026, 3, 25))
    # The currency written in a header ("(EUR)") is the lines' currency.
    assert payment.lines[0].currency == "EUR" and payment.amount == D("12.00")


def test_two_columns_meaning_the_same_are_refused():
    problems = problems_of("Payment Number,Payment Date,Invoice Number,Invoice Amount,"
                           "Amount Paid,Net Amount Paid,Invoice Currency\n"
                           "1,01/13/2026,A,1.00,1.00,1.00,USD\n")
    assert problems == ["row 1: the columns 'Amount Paid' and 'Net Amount Paid' both mean "
                        "'Amount Paid'; keep one of them"]


def test_a_lines_table_without_an_amount_paid_column_is_refused():
    problems = problems_of("Payment Number,Payment Date,Invoice Number,Invoice Amount,"
                           "Invoice Currency\n1,01/13/2026,A,1.00,USD\n")
    assert "row 1: the table has no 'Amount Paid' column" in problems


def test_excel_sep_line_title_rows_and_total_rows_are_understood():
    text = ("sep=|\n"
            "Remittance report|\n"
            "Payment Number|Payment Date|Invoice Number|Invoice Date|Invoice Amount|"
            "Invoice Currency|Amount Paid\n"
            "7|01/20/2026|A|01/02/2026|5.00|USD|5.00\n"
            "7|01/20/2026|B|01/03/2026|2.50|USD|2.50\n"
            "Total||||7.50||7.50\n")
    (payment,) = parse_text(text)
    assert payment.amount == D("7.50") and len(payment.lines) == 2


# ---------------------------------------------------------------------------- dates
def test_ambiguous_dates_are_refused_with_a_clear_message():
    (problem,) = problems_of((FIXTURES / "ambiguous_dates.csv").read_bytes())
    assert "may be day/month or month/day" in problem
    assert "choose the date order" in problem


@pytest.mark.parametrize(("order", "invoice_dates", "payment_date"), [
    ("DMY", [date(2026, 4, 3), date(2026, 3, 4)], date(2026, 6, 5)),
    ("MDY", [date(2026, 3, 4), date(2026, 4, 3)], date(2026, 5, 6)),
])
def test_ambiguous_dates_read_with_the_order_the_user_chose(order, invoice_dates,
                                                            payment_date):
    (payment,) = parse_fixture("ambiguous_dates.csv", date_order=order)
    assert [line.invoice_date for line in payment.lines] == invoice_dates
    assert payment.payment_date == payment_date


def test_one_date_with_a_day_above_12_decides_the_whole_file():
    text = LINES_HEADER + ("1,05/06/2026,A,02/03/2026,1.00,USD,1.00\n"
                           "1,05/06/2026,B,02/25/2026,1.00,USD,1.00\n")
    (payment,) = parse_text(text)
    assert payment.payment_date == date(2026, 5, 6)  # month first, because of 02/25/2026
    assert payment.lines[0].invoice_date == date(2026, 2, 3)


def test_a_file_mixing_both_date_orders_is_refused():
    text = LINES_HEADER + ("1,01/14/2026,A,25/03/2026,1.00,USD,1.00\n")
    (problem,) = problems_of(text)
    assert problem.startswith("the dates mix two orders: '25/03/2026' (row 2) is day first "
                              "but '01/14/2026' (row 2) is month first")


def test_a_chosen_order_that_the_file_contradicts_is_refused():
    text = LINES_HEADER + "1,01/14/2026,A,01/02/2026,1.00,USD,1.00\n"
    (problem,) = problems_of(text, date_order="DMY")
    assert "month first ('01/14/2026', row 2) but DMY was chosen" in problem


@pytest.mark.parametrize(("written", "expected"), [
    ("2026-01-14", date(2026, 1, 14)),
    ("2026-01-14T00:00:00Z", date(2026, 1, 14)),
    ("Jan 14, 2026", date(2026, 1, 14)),
    ("14-Jan-2026", date(2026, 1, 14)),
    ("14. März 2026", date(2026, 3, 14)),
    ("14 de enero de 2026", date(2026, 1, 14)),
    ("2026年1月14日", date(2026, 1, 14)),
    ("01/14/26", date(2026, 1, 14)),
])
def test_date_forms(written, expected):
    text = LINES_HEADER + f'1,"{written}",A,"{written}",1.00,USD,1.00\n'
    (payment,) = parse_text(text)
    assert payment.payment_date == expected == payment.lines[0].invoice_date


# ---------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(("written", "expected"), [
    ("1.234,56", D("1234.56")),
    ("1 234,56", D("1234.56")),
    ("1\u00a0234,56 €", D("1234.56")),
    ("12,5", D("12.5")),
    ("-1.234,56", D("-1234.56")),
    ("1.234,56-", D("-1234.56")),
    ("(1.234,56)", D("-1234.56")),
    ("EUR 1.234.567,00", D("1234567.00")),
])
def test_decimal_commas(written, expected):
    text = ("Payment Number;Payment Date;Invoice Number;Invoice Amount;Invoice Currency;"
            f"Amount Paid\n1;25/03/2026;A;\"{written}\";EUR;\"{written}\"\n")
    (payment,) = parse_text(text)
    assert payment.lines[0].amount_paid == expected == payment.amount


@pytest.mark.parametrize(("written", "expected"), [
    ("1,234.56", D("1234.56")),
    ("$1,234.56", D("1234.56")),
    ("-$1,234.56", D("-1234.56")),
    ("($1,234.56)", D("-1234.56")),
    ("1'234.56", D("1234.56")),
    ("1,23,456.78", D("123456.78")),  # Indian grouping
    ("12.5", D("12.5")),
])
def test_decimal_points(written, expected):
    text = LINES_HEADER + f'1,01/14/2026,A,01/02/2026,"{written}",USD,"{written}"\n'
    (payment,) = parse_text(text)
    assert payment.lines[0].amount_paid == expected


def test_an_amount_that_could_be_a_thousand_or_one_point_something_is_refused():
    text = LINES_HEADER + '1,01/14/2026,A,01/02/2026,"1,234",USD,"1,234"\n'
    (problem,) = problems_of(text)
    assert "'1,234' (row 2) may be a thousand or one point something" in problem
    (payment,) = parse_text(text, decimal_separator=".")
    assert payment.amount == D("1234")
    (payment,) = parse_text(text, decimal_separator=",")
    assert payment.amount == D("1.234")


def test_one_amount_showing_its_decimals_decides_the_whole_file():
    text = LINES_HEADER + ('1,01/14/2026,A,01/02/2026,"1,234",USD,"1,234"\n'
                           '1,01/14/2026,B,01/02/2026,"0,50",USD,"0,50"\n')
    (payment,) = parse_text(text)
    assert [line.amount_paid for line in payment.lines] == [D("1.234"), D("0.50")]


def test_yen_amounts_have_no_decimals_so_a_comma_is_a_thousands_separator():
    text = LINES_HEADER + '1,01/14/2026,A,01/02/2026,"1,234",JPY,"1,234"\n'
    (payment,) = parse_text(text)
    assert payment.amount == D("1234")


def test_amounts_mixing_decimal_separators_are_refused():
    text = LINES_HEADER + ('1,01/14/2026,A,01/02/2026,"1,234.50",USD,"1,234.50"\n'
                           '1,01/14/2026,B,01/02/2026,"2,50",USD,"2,50"\n')
    (problem,) = problems_of(text)
    assert problem.startswith("the amounts mix two decimal separators: '1,234.50' (row 2) "
                              "and '2,50' (row 3)")


# ---------------------------------------------------------------------------- currencies
def test_a_dollar_sign_alone_is_no_currency():
    text = ("Payment Number,Payment Date,Invoice Number,Invoice Amount,Amount Paid\n"
            '1,01/14/2026,A,"$10.00","$10.00"\n')
    problems = problems_of(text)
    assert problems == ["row 2: the amounts show '$', which several currencies use, and the "
                        "file has no currency column; choose the currency"]
    (payment,) = parse_text(text, currency="CAD")
    assert (payment.currency, payment.lines[0].currency) == ("CAD", "CAD")


def test_a_currency_sign_that_contradicts_the_currency_column_is_refused():
    text = LINES_HEADER + '1,01/14/2026,A,01/02/2026,"€10.00",USD,"€10.00"\n'
    assert problems_of(text) == ["row 2: the amounts show EUR but the currency column says "
                                 "USD"]


# ---------------------------------------------------------------------------- refusals
def test_corrupt_xlsx_is_refused():
    problems = problems_of((FIXTURES / "corrupt.xlsx").read_bytes(), "corrupt.xlsx")
    assert problems == ["the file cannot be opened as an Excel workbook (.xlsx): "
                        "File is not a zip file"]


def test_half_valid_file_lists_every_problem_with_its_row_and_returns_nothing():
    with pytest.raises(RemittanceExportError) as caught:
        parse_fixture("half_valid.csv")
    assert caught.value.problems == [
        "row 3: invoice amount '1O0.00' is not an amount",
        "row 4: the line has no invoice number",
        "row 5: invoice date '13/45/2026' is not a date",
    ]
    message = str(caught.value)
    assert message.startswith("The remittance file 'half_valid.csv' cannot be imported; "
                              "nothing was read:\n- row 3:")


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"", "empty.csv", "the file is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "empty.csv", "the file is empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls",
     "this is an old binary Excel file (.xls)"),
    (b"Payment Number,Payment Date\n", "named.xlsx", "the file is named .xlsx but is not"),
    (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 20, "noise.csv", "this is not a Vendor Central"),
])
def test_empty_and_foreign_files_are_refused(content, name, expected):
    (problem,) = problems_of(content, name)
    assert problem.startswith(expected)


def test_unknown_format_names_what_it_found():
    (problem,) = problems_of((FIXTURES / "unknown_format.csv").read_bytes())
    assert problem.startswith("this is not a Vendor Central remittance export")
    assert "settlement-id" in problem


def test_headers_without_rows_are_refused():
    assert problems_of(LINES_HEADER) == [
        "the file has the columns of a remittance export but no rows"]


def test_lines_that_do_not_add_up_to_the_payment_are_refused():
    text = ("Payment Number,Payment Date,Payment Currency,Amount in Payment Currency\n"
            "9,01/14/2026,USD,100.00\n\nInvoices\n"
            "Payment Number,Invoice Number,Invoice Amount,Invoice Currency,Amount Paid\n"
            "9,A,90.00,USD,90.00\n")
    assert problems_of(text) == [
        "row 2: the lines of payment 9 add up to 90.00 USD but the payment shows 100.00; "
        "the file is incomplete or its columns were misread"]


def test_a_payment_without_lines_in_a_file_with_lines_is_refused():
    text = ("Payment Number,Payment Date,Payment Currency,Amount in Payment Currency\n"
            "9,01/14/2026,USD,90.00\n8,01/15/2026,USD,5.00\n\nInvoices\n"
            "Payment Number,Invoice Number,Invoice Amount,Invoice Currency,Amount Paid\n"
            "9,A,90.00,USD,90.00\n")
    assert problems_of(text) == ["row 3: payment 8 has no invoice lines in the file"]


def test_lines_of_an_unknown_payment_without_a_date_are_refused():
    text = ("Payment Number,Payment Date,Payment Currency,Amount in Payment Currency\n"
            "9,01/14/2026,USD,90.00\n\nInvoices\n"
            "Payment Number,Invoice Number,Invoice Amount,Invoice Currency,Amount Paid\n"
            "9,A,90.00,USD,90.00\n7,B,1.00,USD,1.00\n")
    assert problems_of(text) == ["row 7: payment 7 is not in the file's payments and the line "
                                 "has no payment date"]


def test_an_unknown_payment_status_is_refused():
    text = ("Payment Number,Payment Date,Payment Currency,Amount in Payment Currency,"
            "Payment Status\n9,01/14/2026,USD,90.00,Teleported\n")
    assert problems_of(text) == ["row 2: payment status 'Teleported' is not one this import "
                                 "knows"]


@pytest.mark.parametrize(("status", "expected"), [
    ("Paid", "SUCCESSFUL"), ("SUCCESSFUL", "SUCCESSFUL"), ("In Progress", "IN_PROGRESS"),
    ("Pending", "IN_PROGRESS"), ("Voided", "FAILED"), ("Bezahlt", "SUCCESSFUL"),
])
def test_payment_statuses(status, expected):
    text = ("Payment Number,Payment Date,Payment Currency,Amount in Payment Currency,"
            f"Payment Status\n9,01/14/2026,USD,90.00,{status}\n")
    (payment,) = parse_text(text)
    assert payment.status == expected


def test_a_payment_listed_twice_with_different_details_is_refused():
    text = ("Payment Number,Payment Date,Payment Currency,Amount in Payment Currency\n"
            "9,01/14/2026,USD,90.00\n9,01/14/2026,USD,91.00\n")
    assert problems_of(text) == ["row 3: payment 9 is listed twice with different details "
                                 "(first at row 2)"]


def test_the_message_lists_at_most_max_problems():
    rows = "".join(f"1,01/14/2026,A{i},01/02/2026,x{i},USD,1.00\n" for i in range(70))
    with pytest.raises(RemittanceExportError) as caught:
        parse_text(LINES_HEADER + rows)
    assert len(caught.value.problems) == 70
    message = str(caught.value)
    assert message.count("\n- row") == MAX_PROBLEMS
    assert message.endswith(f"- ... and {70 - MAX_PROBLEMS} more problems.")


def test_bad_options_are_programming_errors():
    with pytest.raises(ValueError):
        parse_remittance_export(b"x", "x.csv", date_order="YDM")
    with pytest.raises(ValueError):
        parse_remittance_export(b"x", "x.csv", decimal_separator=" ")
