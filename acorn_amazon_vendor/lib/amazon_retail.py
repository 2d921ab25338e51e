"""Amazon's own retail seller (the seller id of the offers Amazon Retail makes on its site), per
marketplace. Pure data, no ORM.

Amazon does not publish this table in its API models: the ids are the merchant ids of
Amazon's own retail offers (``smid``/``seller`` on the product page), the same in every public
list we checked. A vendor's product sold by Amazon itself is the 1P offer, i.e. what Amazon
does with the vendor's own goods, not a competitor's price.
"""

RETAIL_SELLER_BY_MARKETPLACE = {
    "ATVPDKIKX0DER": "ATVPDKIKX0DER",  # amazon.com
    "A2EUQ1WTGCTBG2": "A3DWYIK6Y9EEQB",  # amazon.ca
    "A1AM78C64UM0Y8": "AVDBXBAVVSXLQ",  # amazon.com.mx
    "A2Q3Y263D00KWC": "A1ZZFT5FULY4LN",  # amazon.com.br
    "A1F83G8C2ARO7P": "A3P5ROKL5A1OLE",  # amazon.co.uk
    "A1PA6795UKMFR9": "A3JWKAKR8XB7XF",  # amazon.de
    "A13V1IB3VIYZZH": "A1X6FK5RDHNB96",  # amazon.fr
    "APJ6JRA9NG5V4": "A11IL2PNWYJU7H",  # amazon.it
    "A1RKKUPIHCS9HS": "A1AT7YVPFBWXBL",  # amazon.es
    "A1805IZSGTT6HS": "A17D2BRD4YMT0X",  # amazon.nl
    "AMEN7PMS3EDWL": "A3Q3FYJVX702M2",  # amazon.com.be
    "A1C3SOZRARQ6R3": "A2R2221NX79QZP",  # amazon.pl
    "A2NODRKZP88ZB9": "ANU9KP01APNAG",  # amazon.se
    "A1VC38T7YXB528": "AN1VRQENFRJN5",  # amazon.co.jp
    "A39IBJ37TRP1C6": "ANEGB3WVEVKZB",  # amazon.com.au
}
RETAIL_SELLER_IDS = frozenset(RETAIL_SELLER_BY_MARKETPLACE.values())


def is_amazon_retail(seller_id):
    """Whether ``seller_id`` is one of Amazon's own retail sellers (of any marketplace)."""
    return bool(seller_id) and str(seller_id).strip().upper() in RETAIL_SELLER_IDS
