import logging
from urllib.parse import urlsplit

from odoo import _, fields, models
from odoo.exceptions import AccessError

from ..lib.transport import AmazonApiError, VendorApi

_logger = logging.getLogger(__name__)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    def _amazon_vendor_api(self, on_response=None):
        """A VendorApi for this account (the caller closes it), pacing its requests through
        the database so every worker and server shares Amazon's quota."""
        return VendorApi(self._get_transport_config(), on_response=on_response,
                         pacer=self.env["amazon.vendor.rate.limit"]._amazon_vendor_pacer())

    def _amazon_vendor_check_manager(self, refusal):
        """Public actions are callable over RPC by anyone who reads accounts: those that use
        the credentials check the manager group and the record rules on the server."""
        if not self.env.su and not self.env.user.has_group(
                "acorn_amazon_vendor.group_amazon_vendor_manager"):
            raise AccessError(refusal)
        self.check_access("write")

    def action_test_connection(self):
        self.ensure_one()
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can test the connection of an account."))
        try:
            config = self._get_transport_config()
            with VendorApi(config, pacer=self.env["amazon.vendor.rate.limit"]
                           ._amazon_vendor_pacer()) as api:
                timings = api.test_connection()
        except AmazonApiError as exc:
            _logger.info("Amazon Vendor account %s: connection test failed (%s %s)",
                         self.id, exc.kind, exc.code or "")
            state, message = "failed", self._explain_error(exc, config)
        except ValueError as exc:  # a malformed endpoint override
            state, message = "failed", str(exc)
        else:
            state = "ok"
            message = _(
                "Connected to %(host)s: Login with Amazon answered in %(lwa)s ms and the "
                "Vendor Orders API in %(api)s ms.",
                host=urlsplit(config.endpoint).netloc, lwa=timings["lwa_ms"],
                api=timings["api_ms"])
        if not self._amazon_vendor_may_route():
            # The hosts an administrator set are not shown to others (stored message).
            routing = self.sudo()
            for url in (routing.endpoint_override, routing.lwa_endpoint_override):
                if host := url and urlsplit(url).netloc:
                    message = message.replace(host, _("a custom endpoint"))
        self.write({"connection_state": state, "connection_message": message,
                    "connection_checked_at": fields.Datetime.now()})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Connection OK") if state == "ok" else _("Connection failed"),
                "message": message,
                "type": "success" if state == "ok" else "danger",
                "sticky": state != "ok",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _explain_error(self, exc, config):
        """Plain words for a failed exchange: what happened, Amazon's code, what to do."""
        host = urlsplit(config.lwa_endpoint if exc.operation == "LWA token"
                        else config.endpoint).netloc
        code = exc.code or exc.kind
        amazon = exc.message or ""
        texts = {
            "invalid_client": _(
                "Login with Amazon refused the client id or client secret (%(code)s: "
                "%(amazon)s). Copy both again from Developer Central > your app > LWA "
                "credentials; secrets rotate every 180 days.", code=code, amazon=amazon),
            "invalid_grant": _(
                "The refresh token is invalid, expired or was revoked (%(code)s: %(amazon)s). "
                "Authorize the application again in Vendor Central and paste the new "
                "refresh token.", code=code, amazon=amazon),
            "auth": _("Login with Amazon refused the request (%(code)s: %(amazon)s).",
                      code=code, amazon=amazon),
            "forbidden": _(
                "Amazon accepted the login but denied the Vendor API (HTTP %(status)s "
                "%(code)s: %(amazon)s). Check that the application has the Vendor roles "
                "(Retail Procurement, Amazon Fulfillment) and was authorized again after "
                "adding them, and that the account's region (%(region)s) is the region of "
                "the Vendor Central account: a wrong region endpoint gives the same error.",
                status=exc.status, code=code, amazon=amazon, region=config.region),
            "throttled": _(
                "Amazon is throttling this application (HTTP 429 %(code)s). Wait a minute "
                "and test again; if it persists, other tools share this application's quota.",
                code=code),
            "timeout": _(
                "%(host)s did not answer within %(timeout)s seconds. Check the network, "
                "firewall or proxy, or raise the timeout.", host=host,
                timeout=int(config.timeout)),
            "connection": _(
                "Cannot reach %(host)s (%(amazon)s). Check the endpoint URL and the network; "
                "for a Simulation account, check that the simulator port is free.",
                host=host, amazon=amazon),
            "server": _(
                "Amazon had an internal error (HTTP %(status)s %(code)s: %(amazon)s). This is "
                "on Amazon's side: try again in a few minutes.",
                status=exc.status, code=code, amazon=amazon),
            "malformed": _(
                "%(host)s answered with something that is not an SP-API reply. Check the "
                "endpoint override: it must point to an SP-API host or proxy.", host=host),
            "not_found": _(
                "%(host)s does not know this API path (HTTP 404: %(amazon)s). Check the "
                "endpoint override: give the base URL only, without a path.",
                host=host, amazon=amazon),
        }
        text = texts.get(exc.kind) or _(
            "Amazon refused the request (HTTP %(status)s %(code)s: %(amazon)s).",
            status=exc.status, code=code, amazon=amazon)
        if exc.request_id:
            text += " " + _("Amazon request id: %s", exc.request_id)
        return text
