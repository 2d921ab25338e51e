from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _amazon_vendor_partners_for(self, account, parties):
        """{party_id: (partner, created)} for Amazon parties, children of the Amazon customer.

        ``parties`` holds (party, address type) pairs. One search and one create for the whole
        batch; addresses are refreshed from Amazon's data when they changed.
        """
        kinds = {p.party_id: kind for p, kind in parties if p and p.party_id}
        by_id = {p.party_id: p for p, _kind in parties if p and p.party_id}
        parent = account.partner_id
        existing = {p.amazon_vendor_party_id: p for p in self.with_context(
            active_test=False).search([("amazon_vendor_party_id", "in", list(by_id)),
                                       ("parent_id", "=", parent.id)])}
        codes = {p.country_code for p in by_id.values() if p.country_code}
        countries = {c.code: c for c in
                     self.env["res.country"].search([("code", "in", list(codes))])}
        states = {(s.country_id.code, s.code): s for s in self.env["res.country.state"].search(
            [("country_id", "in", [c.id for c in countries.values()])])}
        result, to_create = {}, []
        for party_id, party in by_id.items():
            country = countries.get(party.country_code)
            values = {
                "name": party_id if not party.name else f"{party.name} ({party_id})",
                "street": party.street or False,
                "street2": party.street2 or False,
                "city": party.city or False,
                "zip": party.zip or False,
                "phone": party.phone or False,
                "country_id": country.id if country else False,
                "state_id": (states.get((party.country_code, party.state_code))
                             or self.env["res.country.state"]).id or False,
            }
            partner = existing.get(party_id)
            if partner:
                changed = {k: v for k, v in values.items()
                           if (partner[k].id if hasattr(partner[k], "id") else partner[k]) != v}
                if changed:
                    partner.write(changed)
                result[party_id] = (partner, False)
            else:
                to_create.append(dict(values, type=kinds[party_id], parent_id=parent.id,
                                      amazon_vendor_party_id=party_id))
        for partner in self.create(to_create):
            result[partner.amazon_vendor_party_id] = (partner, True)
        return result
