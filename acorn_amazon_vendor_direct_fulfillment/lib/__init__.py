"""Plain Python (no ORM): the Direct Fulfillment transport and mapping."""
