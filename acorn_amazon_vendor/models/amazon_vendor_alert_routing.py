from odoo import api, fields, models


class AmazonVendorAccount(models.Model):
    """The one place that decides who hears about an alert, and how.

    Every alert site calls ``_amazon_vendor_notify`` with its alert type. Subscriptions for
    that type (this account's or the company's all-accounts ones) decide the recipients and
    channels when a manager set them; without any, the account's Alert Users (else the
    responsible) get an activity and the Alert Emails an e-mail, as before subscriptions
    existed, and a user's own subscription adds them to those."""

    _inherit = "amazon.vendor.account"

    alert_subscription_ids = fields.One2many(
        "amazon.vendor.alert.subscription", "account_id", string="Alert Subscriptions")

    @api.model
    def _amazon_vendor_subscriptions(self, alert_type, accounts=None, company=None,
                                     any_account=False):
        """Active subscriptions to ``alert_type`` covering ``accounts`` (all-accounts ones of
        ``company`` included; with ``any_account``, every account's of ``company``: alerts
        that are no one account's, such as a product's stock), read with sudo: routing
        happens in crons and for any user."""
        if not alert_type:
            return self.env["amazon.vendor.alert.subscription"]
        accounts = accounts if accounts is not None else self
        companies = company or accounts.company_id
        domain = [("alert_type", "=", alert_type), ("company_id", "in", companies.ids),
                  ("user_id.active", "=", True)]
        if not any_account:
            domain.append(("account_id", "in", [False, *accounts.ids]))
        return self.env["amazon.vendor.alert.subscription"].sudo().search(
            domain)._amazon_vendor_reachable()

    def _amazon_vendor_notify(self, record, summary, message, warning=False, deadline=None,
                              alert_type=None, activity_type=None, email_template=None,
                              email_record=None, email_by_default=True,
                              subscribers_only=False):
        """Alert people about ``record`` (the order, delivery, invoice... where they work).

        ``email_template`` (rendered on ``email_record``, default ``record``) replaces the
        plain e-mail built from ``summary`` and ``message``. Without subscriptions the Alert
        Emails get it only if ``email_by_default``, and nobody if ``subscribers_only``."""
        self.ensure_one()
        activity_type = activity_type or ("mail.mail_activity_data_warning" if warning
                                          else "mail.mail_activity_data_todo")
        body = self._amazon_vendor_html(message)
        subscriptions = self._amazon_vendor_subscriptions(alert_type)
        if not subscriptions and subscribers_only:
            return
        users = subscriptions.filtered("channel_activity").user_id
        emails = [e for e in subscriptions.filtered("channel_email").user_id.mapped("email") if e]
        if not subscriptions._amazon_vendor_replacing_defaults() and not subscribers_only:
            users |= self.alert_user_ids or self._amazon_vendor_responsible_of(record)
            emails = (self._alert_email_list() if email_by_default else []) + emails
        self._amazon_vendor_alert_activities(record, users, activity_type, summary, body,
                                             deadline)
        if emails:
            emails = list(dict.fromkeys(emails))
            if email_template:
                email_template.send_mail((email_record or record).id,
                                         email_values={"email_to": ",".join(emails)})
            else:
                self.env["mail.mail"].sudo().create({
                    "subject": summary, "body_html": body, "email_to": ",".join(emails),
                    "model": record._name, "res_id": record.id, "auto_delete": True})
        if subscriptions:
            self._amazon_vendor_alert_sms(subscriptions, record, summary, message)

    @api.model
    def _amazon_vendor_alert_activities(self, record, users, activity_type, summary, note,
                                        deadline=None):
        """One open activity per record, type, summary and user: an alert raised again while
        its activity is still open adds nothing."""
        if not users:
            return
        activity_type = self.env.ref(activity_type)
        existing = self.env["mail.activity"].sudo().search([
            ("res_model", "=", record._name), ("res_id", "=", record.id),
            ("activity_type_id", "=", activity_type.id), ("user_id", "in", users.ids),
            ("summary", "=", summary)]).user_id
        for user in users - existing:
            record.activity_schedule(activity_type_id=activity_type.id, user_id=user.id,
                                     summary=summary, note=note, date_deadline=deadline)

    def _amazon_vendor_alert_sms(self, subscriptions, record, summary, message):
        """The SMS channel: nothing here, acorn_amazon_vendor_sms sends them when the sms
        module is installed."""
        return False

    def _amazon_vendor_responsible_of(self, record):
        """Who answers for ``record``: the salesperson of its Amazon order (set from the
        responsible rules when the purchase order arrived), else the account's responsible."""
        self.ensure_one()
        order = self.env["sale.order"]
        if record._name == "sale.order":
            order = record
        elif record._name == "stock.picking":
            order = record.sale_id
        return order.user_id[:1] or self.responsible_user_id
