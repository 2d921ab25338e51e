"""pytest suite: make the addons importable as ``odoo.addons.<name>`` without a database."""
import pathlib

import odoo.addons

REPO = pathlib.Path(__file__).resolve().parent.parent
if str(REPO) not in odoo.addons.__path__:
    odoo.addons.__path__.append(str(REPO))
