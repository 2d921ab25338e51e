from odoo import api, models

from .autonomous_transaction import autonomous_cursor

ADDRESS_FIELDS = ("name", "street", "street2", "city", "zip", "phone", "country_code",
                  "state_code")
# Stable advisory-lock namespace for Amazon parties (Python's hash() differs per process).
PARTY_LOCK_NAMESPACE = 727_101


class AmazonPartiesBusy(Exception):
    """Another worker created or changed these Amazon addresses after this transaction began:
    it cannot see that work, so the purchase orders wait for the next run."""


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _amazon_vendor_partners_for(self, account, parties):
        """{party_id: (partner, created)} for Amazon parties, children of the Amazon customer.

        ``parties`` holds (party, address type) pairs. One search and one create for the whole
        batch. Amazon often sends a party's code alone (``shipToParty: {partyId}``): an address
        is refreshed field by field from what Amazon did send, and an empty incoming value
        never blanks a known one. A new party without an address is named after its code.
        """
        kinds, by_id = {}, {}
        for party, kind in parties:
            if not (party and party.party_id):
                continue
            kinds.setdefault(party.party_id, kind)
            # Several purchase orders of a batch may name one party, not all with the address:
            # keep, per field, the first value Amazon gave.
            merged = by_id.setdefault(party.party_id, {})
            for field in ADDRESS_FIELDS:
                if getattr(party, field, "") and not merged.get(field):
                    merged[field] = getattr(party, field)
        parent = account.partner_id
        self._amazon_vendor_lock_parties(parent, by_id)
        existing = {p.amazon_vendor_party_id: p for p in self.with_context(
            active_test=False).search([("amazon_vendor_party_id", "in", list(by_id)),
                                       ("parent_id", "=", parent.id)])}
        codes = {p["country_code"] for p in by_id.values() if p.get("country_code")}
        countries = {c.code: c for c in
                     self.env["res.country"].search([("code", "in", list(codes))])}
        states = {(s.country_id.code, s.code): s for s in self.env["res.country.state"].search(
            [("country_id", "in", [c.id for c in countries.values()])])}
        result, to_create = {}, []
        for party_id, party in by_id.items():
            country = countries.get(party.get("country_code"))
            state = states.get((party.get("country_code"), party.get("state_code")))
            values = {
                "name": party.get("name") and f"{party['name']} ({party_id})",
                "street": party.get("street"),
                "street2": party.get("street2"),
                "city": party.get("city"),
                "zip": party.get("zip"),
                "phone": party.get("phone"),
                "country_id": country.id if country else False,
                "state_id": state.id if state else False,
            }
            # What Amazon did not send is not known to be empty: it is left as it is.
            values = {key: value for key, value in values.items() if value}
            partner = existing.get(party_id)
            if partner:
                changed = {k: v for k, v in values.items()
                           if (partner[k].id if hasattr(partner[k], "id") else partner[k]) != v}
                if "country_id" in changed and "state_id" not in values:
                    changed["state_id"] = False  # the known state belongs to another country
                if changed:
                    partner.write(changed)
                result[party_id] = (partner, False)
            else:
                to_create.append(dict(values, name=values.get("name") or party_id,
                                      type=kinds[party_id], parent_id=parent.id,
                                      amazon_vendor_party_id=party_id))
        for partner in self.create(to_create):
            result[partner.amazon_vendor_party_id] = (partner, True)
        return result

    @api.model
    def _amazon_vendor_lock_parties(self, parent, codes):
        """Work on these parties one worker at a time (locks held until commit), and only if
        nobody changed them since this transaction began; else AmazonPartiesBusy."""
        if not codes:
            return
        for code in sorted(codes):
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                                (PARTY_LOCK_NAMESPACE, f"{parent.id}:{code}"))
        query = """SELECT amazon_vendor_party_id, write_date FROM res_partner
                    WHERE parent_id = %s AND amazon_vendor_party_id IN %s"""
        params = (parent.id, tuple(codes))
        self.flush_model(["amazon_vendor_party_id", "parent_id"])
        self.env.cr.execute(query, params)
        seen = dict(self.env.cr.fetchall())
        with autonomous_cursor(self.env.registry) as cr:
            cr.execute(query, params)
            committed = dict(cr.fetchall())
        # Committed by another worker after our snapshot: a row we cannot see, or a newer
        # version of one we see (our own uncommitted work is newer, or unseen by the other).
        if any(stamp and (code not in seen or stamp > seen[code])
               for code, stamp in committed.items()):
            raise AmazonPartiesBusy(sorted(codes))
