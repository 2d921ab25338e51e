"""Login with Amazon: the refresh-token grant, and the access-token check on SP-API calls."""
import datetime
import hmac
import json
import secrets
from urllib.parse import parse_qs

TOKEN_LIFETIME = 3600


def _lwa_error(status, code, description):
    return status, {"error": code, "error_description": description}


def token(state, credentials, content_type, raw_body):
    """POST /auth/o2/token: ``(status, body)`` exactly as LWA answers."""
    if content_type.startswith("application/json"):
        try:
            form = json.loads(raw_body or b"{}")
        except ValueError:
            form = None
        if not isinstance(form, dict):
            return _lwa_error(400, "invalid_request", "The request body is not valid JSON.")
    else:
        form = {k: v[0] for k, v in parse_qs(raw_body.decode("utf-8", "replace")).items()}
    grant_type = form.get("grant_type")
    if not grant_type:
        return _lwa_error(400, "invalid_request",
                          "The request is missing a required parameter : grant_type")
    if grant_type != "refresh_token":
        return _lwa_error(400, "unsupported_grant_type",
                          f"The authorization grant type {grant_type} is not supported by the "
                          "authorization server")
    client_id, client_secret, refresh_token = credentials
    if not (hmac.compare_digest(str(form.get("client_id", "")), client_id)
            and hmac.compare_digest(str(form.get("client_secret", "")), client_secret)):
        return _lwa_error(401, "invalid_client", "Client authentication failed")
    if not form.get("refresh_token"):
        return _lwa_error(400, "invalid_request",
                          "The request is missing a required parameter : refresh_token")
    if not hmac.compare_digest(str(form["refresh_token"]), refresh_token):
        return _lwa_error(400, "invalid_grant",
                          "The request has an invalid grant parameter : refresh_token")
    access_token = "Atza|" + secrets.token_urlsafe(48)
    with state.lock:
        now = state.clock.now()
        state.tokens = {t: exp for t, exp in state.tokens.items() if exp > now}
        state.tokens[access_token] = now + datetime.timedelta(seconds=TOKEN_LIFETIME)
    return 200, {"access_token": access_token, "refresh_token": refresh_token,
                 "token_type": "bearer", "expires_in": TOKEN_LIFETIME}


def token_valid(state, access_token):
    if not access_token:
        return False
    with state.lock:
        expiry = state.tokens.get(access_token)
        return expiry is not None and expiry > state.clock.now()
