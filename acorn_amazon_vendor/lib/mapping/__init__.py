"""Pure mapping between Amazon documents and neutral Python structures (no ORM)."""
