"""Odoo's command line, started as a script rather than ``python -m odoo``.

Odoo's threaded server reloads itself (a job past its real-time limit, a module installed from
the Apps menu) by re-executing ``sys.argv``: that only works when ``argv[0]`` is a script.
"""
import os
import sys

os.environ["TZ"] = "UTC"  # as odoo-bin: the server's clock in UTC before anything reads it

if __name__ == "__main__":
    # tools/ holds scripts, not packages Odoo should import (demo.py, ...): keep it off the path.
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    from odoo.cli.command import main

    sys.exit(main())
