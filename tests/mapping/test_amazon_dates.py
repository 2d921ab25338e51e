"""Amazon's date-times as its models allow them (RFC 3339 / ISO 8601)."""
import datetime

import pytest

from odoo.addons.acorn_amazon_vendor.lib.amazon_dates import parse_date_time

UTC = datetime.UTC


@pytest.mark.parametrize("text, expected", [
    ("2026-11-20T10:00:00Z", datetime.datetime(2026, 11, 20, 10, tzinfo=UTC)),
    ("2026-11-20t10:00:00z", datetime.datetime(2026, 11, 20, 10, tzinfo=UTC)),
    ("2026-11-20T18:00:00+08:00", datetime.datetime(2026, 11, 20, 10, tzinfo=UTC)),
    ("2026-11-20T18:00:00+0800", datetime.datetime(2026, 11, 20, 10, tzinfo=UTC)),
    ("2026-11-20T10:00:00.123456789Z", datetime.datetime(2026, 11, 20, 10, 0, 0, 123456,
                                                         tzinfo=UTC)),
    ("2026-11-20T10:00", datetime.datetime(2026, 11, 20, 10, tzinfo=UTC)),
])
def test_date_times_amazon_may_send(text, expected):
    assert parse_date_time(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30T10:00:00Z", "2026-11-20 10:00:00Z", "yesterday",
                                  "2026-11-20T10:00:00+25:00", "", None, 20261120])
def test_what_is_not_a_date_time(text):
    assert parse_date_time(text) is None
