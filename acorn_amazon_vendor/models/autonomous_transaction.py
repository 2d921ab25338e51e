"""A short transaction of its own, committed at once, for records that must outlive (or be
shared beyond) the caller's transaction: the send journal, the rate buckets."""
import contextlib

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import sql_db


@contextlib.contextmanager
def autonomous_cursor(registry):
    """``registry.cursor()`` in READ COMMITTED: concurrent workers updating one row wait for
    each other instead of failing on a serialization error. (Under tests the registry hands
    out a savepoint of the test transaction, which keeps its own isolation.)"""
    with registry.cursor() as cr:
        if isinstance(cr, sql_db.Cursor):
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        yield cr
