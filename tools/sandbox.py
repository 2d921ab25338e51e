"""Run the simulator standalone: python tools/sandbox.py [--seed N] [--port P]."""
import pathlib
import sys

import odoo.addons

REPO = pathlib.Path(__file__).resolve().parent.parent
odoo.addons.__path__.append(str(REPO))

from odoo.addons.acorn_amazon_vendor.lib.simulator.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
