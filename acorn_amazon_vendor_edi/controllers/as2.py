"""Where Amazon delivers its AS2 messages: one address per account, answered with a signed
MDN. Only a message signed with Amazon's certificate and encrypted to ours is read."""
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class AmazonVendorAs2(http.Controller):
    @http.route("/amazon_vendor_edi/as2/<int:account_id>", type="http", auth="none",
                methods=["POST"], csrf=False, save_session=False)
    def receive(self, account_id, **_kwargs):
        account = request.env["amazon.vendor.account"].sudo().browse(account_id).exists()
        if not account or not account.edi_enabled or account.edi_transport != "as2":
            raise NotFound()
        headers = dict(request.httprequest.headers)
        body = request.httprequest.get_data()
        mdn_headers, mdn_body = account._edi_receive_as2(headers, body)
        return request.make_response(mdn_body, headers=list(mdn_headers.items()))
