"""Login with Amazon token exchange with our own endpoint, timeout, errors and cache.

The library's token cache is per process and keyed by refresh token only, so two accounts
(or the simulator and production) sharing a refresh token would share an access token.
Ours is keyed by LWA endpoint + client id + refresh token and honours ``expires_in``.
"""
import threading
import time
from urllib.parse import urlsplit

import httpx
from sp_api.auth import AccessTokenClient, AccessTokenResponse

from .errors import AmazonApiError

_cache = {}
_cache_lock = threading.Lock()
EXPIRY_MARGIN = 60  # seconds: renew a token this long before Amazon says it expires


def clear_token_cache():
    with _cache_lock:
        _cache.clear()


def forget_token(config):
    with _cache_lock:
        _cache.pop(config.cache_key, None)


def lwa_error(status, body, text):
    code = body.get("error") if isinstance(body, dict) else None
    description = body.get("error_description") if isinstance(body, dict) else None
    kind = code if code in ("invalid_client", "invalid_grant") else "auth"
    if status == 429:
        kind = "throttled"
    elif status >= 500:
        kind = "server"
    message = description or (text or "").strip()[:300] or f"HTTP {status}"
    return AmazonApiError(kind, message, status=status, code=code or kind, operation="LWA token")


def token_client_class(config):
    """Build an ``auth_token_client_class`` bound to one account's LWA endpoint."""
    parts = urlsplit(config.lwa_endpoint)

    class AccountTokenClient(AccessTokenClient):
        scheme = parts.scheme + "://"
        host = parts.netloc
        path = parts.path or "/auth/o2/token"

        def __init__(self, refresh_token=None, credentials=None, proxies=None, verify=True):
            super().__init__(refresh_token=refresh_token, credentials=credentials,
                             proxies=proxies, verify=verify)
            self._http = httpx.Client(timeout=config.timeout, trust_env=not config.is_loopback)

        def _request(self, url, data, headers):
            try:
                response = self._http.post(url, data=data, headers=headers)
            except httpx.TimeoutException:
                raise AmazonApiError("timeout", "Login with Amazon did not answer in time",
                                     operation="LWA token") from None
            except httpx.TransportError as exc:
                raise AmazonApiError("connection", f"cannot reach {parts.netloc}: {exc}",
                                     operation="LWA token") from None
            try:
                body = response.json()
            except ValueError:
                body = None
            if response.status_code != 200 or not isinstance(body, dict) \
                    or not body.get("access_token"):
                if response.status_code == 200:
                    raise AmazonApiError("malformed", "Login with Amazon sent no access token",
                                         status=200, operation="LWA token")
                raise lwa_error(response.status_code, body, response.text)
            return body

        def get_auth(self):
            key = config.cache_key
            now = time.monotonic()
            with _cache_lock:
                cached = _cache.get(key)
            if cached and cached[0] > now:
                return AccessTokenResponse(**cached[1])
            body = self._request(self.scheme + self.host + self.path, self.data, self.headers)
            expires_in = int(body.get("expires_in") or 3600)
            with _cache_lock:
                _cache[key] = (now + max(expires_in - EXPIRY_MARGIN, 1), body)
            return AccessTokenResponse(**body)

        def close(self):
            self._http.close()

    return AccountTokenClient
