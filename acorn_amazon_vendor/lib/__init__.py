"""Plain-Python layers of the addon (no ORM): transport, Amazon model checks, simulator.

Only relative imports inside this package, so it runs in Odoo, under pytest and standalone.
"""
