"""pytest suite: make the addons importable as ``odoo.addons.<name>`` without a database."""
import pathlib

import odoo.addons

REPO = pathlib.Path(__file__).resolve().parent.parent
if str(REPO) not in odoo.addons.__path__:
    odoo.addons.__path__.append(str(REPO))

# Odoo database + simulator + worker processes, shared by tests/system and tests/benchmarks
# (created once per session, only when a test asks for them).
from tests.system.harness import odoo_system, system  # noqa: E402, F401
