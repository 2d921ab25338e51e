"""Amazon's ISO 8601 date-times, read and written in one place (plain Python, no ORM).

Amazon writes ``2026-11-20T10:00:00Z`` but its models allow any ISO 8601 date-time: offsets
(``+08:00``, ``+0800``), fractions down to nanoseconds, and naive values (read as UTC, as in
Amazon's own examples). Odoo stores naive UTC datetimes to the second.
"""
import datetime
import re

UTC = datetime.UTC
DATE_TIME_RE = re.compile(
    # RFC 3339 allows "t" and "z" in lower case.
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date_time(value):
    """An ISO 8601 date-time as an aware UTC datetime; None when it is not one."""
    if not isinstance(value, str):
        return None
    match = DATE_TIME_RE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        result = datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
            int(((fraction or ".0")[1:] + "000000")[:6]))
        if zone and zone not in ("Z", "z"):
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours > 23 or minutes > 59:
                return None
            result -= sign * datetime.timedelta(hours=hours, minutes=minutes)
    except (ValueError, OverflowError):  # 30 February, year 0, or an offset past year 1
        return None
    return result.replace(tzinfo=UTC)


def parse_date(value):
    """An ISO 8601 calendar date (``2026-11-20``); None when it is not one."""
    if not isinstance(value, str) or not DATE_RE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def to_utc(value):
    """An aware UTC datetime; naive values are taken as UTC (how Odoo stores them)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def naive_utc(value):
    """What the ORM stores: naive UTC, to the second."""
    return to_utc(value).replace(tzinfo=None, microsecond=0)


def iso(value):
    """Amazon's date-time form: UTC, seconds, trailing Z. A date is its midnight UTC."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    return to_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")
