"""Where and how to reach Amazon for one Vendor account: plain data, no ORM."""
import dataclasses
from urllib.parse import urlsplit

# Amazon's published SP-API hosts per region; the static sandbox answers the models' examples.
SPAPI_ENDPOINTS = {
    "production": {
        "NA": "https://sellingpartnerapi-na.amazon.com",
        "EU": "https://sellingpartnerapi-eu.amazon.com",
        "FE": "https://sellingpartnerapi-fe.amazon.com",
    },
    "sandbox": {
        "NA": "https://sandbox.sellingpartnerapi-na.amazon.com",
        "EU": "https://sandbox.sellingpartnerapi-eu.amazon.com",
        "FE": "https://sandbox.sellingpartnerapi-fe.amazon.com",
    },
}
LWA_ENDPOINT = "https://api.amazon.com/auth/o2/token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclasses.dataclass(frozen=True)
class TransportConfig:
    endpoint: str
    lwa_endpoint: str
    client_id: str
    client_secret: str = dataclasses.field(repr=False)
    refresh_token: str = dataclasses.field(repr=False)
    region: str = "NA"
    marketplace_id: str = "ATVPDKIKX0DER"
    timeout: float = 30.0
    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    # Client-side pacing per operation (Amazon: 10 req/s burst 10; transaction status 10/20).
    pace_requests: bool = True

    def __post_init__(self):
        for name in ("endpoint", "lwa_endpoint"):
            url = getattr(self, name)
            parts = urlsplit(url or "")
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"{name} must be an http(s) URL, got {url!r}")
        object.__setattr__(self, "endpoint", self.endpoint.rstrip("/"))

    @property
    def is_loopback(self):
        urls = (self.endpoint, self.lwa_endpoint)
        return all(urlsplit(u).hostname in LOOPBACK_HOSTS for u in urls)

    @property
    def cache_key(self):
        """Identifies the token: LWA host + client + refresh token (hashed, never kept in clear)."""
        import hashlib
        digest = hashlib.sha256(
            "\0".join((self.lwa_endpoint, self.client_id or "", self.refresh_token or "")).encode()
        ).hexdigest()
        return digest


def default_endpoint(environment, region):
    return SPAPI_ENDPOINTS[environment][region]
