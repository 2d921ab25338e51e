from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import mapping


class AmazonVendorDfStatusWizard(models.TransientModel):
    """A carrier event of an own-carrier Direct Fulfillment delivery, sent to Amazon as a
    shipment status update (one per package)."""

    _name = "amazon.vendor.df.status.wizard"
    _description = "Send a Carrier Status to Amazon"

    picking_id = fields.Many2one("stock.picking", required=True, readonly=True,
                                 ondelete="cascade")
    tracking_numbers = fields.Char(
        required=True, help="The packages this event is about (commas or spaces between); all "
                            "the delivery's packages by default.")
    # The labels are the delivery's fields' (a wizard's selections are not translated).
    status_code = fields.Selection(
        lambda self: self._picking_selection("amazon_df_last_status"), string="Status",
        required=True, default=mapping.DELIVERED)
    reason_code = fields.Selection(
        lambda self: self._picking_selection("amazon_df_last_reason"), string="Reason",
        required=True, default="NS")
    status_at = fields.Datetime(string="When", required=True, default=fields.Datetime.now)
    estimated_delivery = fields.Datetime(
        help="The carrier's new delivery estimate, if it gave one (a delay, for instance).")
    location_name = fields.Char(string="Location", required=True,
                                help="Where the event happened: depot, hub or 'Customer'.")
    location_street = fields.Char(
        string="Street", required=True,
        help="The address line of the event's place as the carrier reports it (Amazon "
             "requires one).")
    location_city = fields.Char(string="City")
    location_state = fields.Char(string="State or Region")
    location_zip = fields.Char(string="Postal Code")
    location_country_id = fields.Many2one("res.country", string="Country", required=True)

    @api.model
    def _picking_selection(self, field_name):
        return self.env["stock.picking"]._fields[field_name]._description_selection(self.env)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        picking = self.env["stock.picking"].browse(values.get("picking_id"))
        if picking:
            values["tracking_numbers"] = ", ".join(picking._amazon_df_confirmed_tracking())
        return values

    @api.onchange("status_code", "picking_id")
    def _onchange_location(self):
        """Where such an event happens: at the customer's for the last mile (city, postal code
        and country of the delivery address; the street is typed as the carrier reports it),
        else at the shipping warehouse."""
        picking = self.picking_id
        if not picking:
            return
        if self.status_code in mapping.CUSTOMER_SIDE_STATUSES:
            area = picking.sale_id.partner_shipping_id
            self.update({"location_name": _("Customer"), "location_street": False,
                         "location_city": area.city, "location_state": area.state_id.code,
                         "location_zip": area.zip, "location_country_id": area.country_id})
        else:
            origin = (picking.picking_type_id.warehouse_id.partner_id
                      or picking.company_id.partner_id)
            self.update({"location_name": origin.name, "location_street": origin.street,
                         "location_city": origin.city, "location_state": origin.state_id.code,
                         "location_zip": origin.zip, "location_country_id": origin.country_id})

    def action_send(self):
        self.ensure_one()
        numbers = mapping.split_tracking_numbers(self.tracking_numbers)
        if not numbers:
            raise UserError(_("Name at least one tracking number."))
        location = {"name": self.location_name, "addressLine1": self.location_street,
                    "city": self.location_city, "stateOrRegion": self.location_state,
                    "postalCode": self.location_zip,
                    "countryCode": self.location_country_id.code}
        events = [{"tracking": number, "status_code": self.status_code,
                   "reason_code": self.reason_code, "when": self.status_at,
                   "location": location, "estimated_delivery": self.estimated_delivery}
                  for number in numbers]
        document = self.picking_id._amazon_df_queue_status_updates(events)
        # Sent for good: Amazon's refusal is recorded on the ledger and the delivery, never
        # rolled back by an error here.
        document._send_to_amazon()
        status = dict(self._fields["status_code"]._description_selection(self.env))[
            self.status_code]
        refused = document.state == "failed"
        message = (_("Amazon refused the status update: %s", document.error_message) if refused
                   else _("Carrier status %(status)s sent to Amazon for %(numbers)s.",
                          status=status, numbers=", ".join(numbers)))
        if not refused:
            self.picking_id.message_post(body=message)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "message": message, "type": "danger" if refused else "success", "sticky": refused,
            "next": {"type": "ir.actions.act_window_close"}}}
