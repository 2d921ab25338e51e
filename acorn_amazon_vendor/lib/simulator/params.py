"""Query parameters as Amazon reads them: typed, enumerated, bounded, and no strangers.

The python-amazon-sp-api client adds marketplace parameters to every GET; Amazon ignores
them, so they are tolerated (and only they).
"""
import base64
import hashlib
import json

from ..amazon_dates import parse_date_time
from .errors import invalid_input

LIBRARY_MARKETPLACE_PARAMS = frozenset({"MarketplaceId", "MarketplaceIds", "marketplace_ids",
                                        "marketplaceIds"})


class Query:
    """Parsed query of one operation; ``spec`` maps each allowed name to its kind."""

    def __init__(self, raw, spec, tolerated=LIBRARY_MARKETPLACE_PARAMS):
        self.raw = {}
        for name, values in raw.items():
            if name in tolerated and name not in spec:
                continue
            if name not in spec:
                raise invalid_input(f"Invalid request parameter: {name}",
                                    f"'{name}' is not a parameter of this operation.")
            if len(values) > 1 and spec[name][0] != "list":
                raise invalid_input(f"Parameter {name} is given more than once.")
            self.raw[name] = values
        self.values = {}
        for name, (kind, *extra) in spec.items():
            if name in self.raw:
                self.values[name] = self._parse(name, kind, extra, self.raw[name])

    @staticmethod
    def _parse(name, kind, extra, values):
        value = values[0]
        if kind == "list":
            items = [v for raw in values for v in raw.split(",") if v]
            allowed = extra[0] if extra else None
            bad = [v for v in items if allowed and v not in allowed]
            if not items or bad:
                raise invalid_input(f"Invalid input in {name}",
                                    f"{name} must list values from {', '.join(allowed or [])}.")
            return items
        if kind == "date-time":
            parsed = parse_date_time(value)
            if parsed is None:
                raise invalid_date(name, value)
            return parsed
        if kind == "int":
            low, high = extra
            if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
                raise invalid_input(f"Invalid {name}: {value}",
                                    f"{name} must be an integer from {low} to {high}.")
            return int(value)
        if kind == "bool":
            if value not in ("true", "false"):
                raise invalid_input(f"Invalid {name}: {value}",
                                    f"{name} must be the string true or false.")
            return value == "true"
        if kind == "enum":
            if value not in extra[0]:
                raise invalid_input(
                    f"Invalid {name}: {value}",
                    f"{name} must be one of {', '.join(extra[0])}.")
            return value
        if not value:
            raise invalid_input(f"Invalid {name}: empty value")
        return value

    def get(self, name, default=None):
        return self.values.get(name, default)

    def __contains__(self, name):
        return name in self.values

    def fingerprint(self, exclude=("nextToken",)):
        """A digest of every filter but ``exclude``, bound into pagination tokens."""
        items = sorted((k, v) for k, v in self.raw.items() if k not in exclude)
        return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:16]


def invalid_date(name, value):
    # Amazon's own reply to an unparseable date (the model's 400 example).
    return invalid_input("The request is invalid.",
                         f"{name} '{value}' is not an ISO 8601 date-time.")


def make_token(offset, fingerprint):
    raw = json.dumps({"o": offset, "f": fingerprint}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def read_token(token, fingerprint):
    """The offset a nextToken points at; 400 if it is not ours or the filters changed."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset, bound = int(data["o"]), data["f"]
    except (ValueError, KeyError, TypeError):
        raise invalid_input("Invalid nextToken", "The nextToken is not one this API issued.") \
            from None
    if bound != fingerprint:
        raise invalid_input("Invalid nextToken",
                            "Send the nextToken with the same filters as the request that "
                            "returned it.")
    return offset
