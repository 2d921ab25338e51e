"""Vendor Direct Fulfillment Transactions 2021-12-28: getTransactionStatus of the DF documents
(acknowledgements, label requests, confirmations, status updates, invoices, inventory)."""
from .errors import not_found
from .params import Query


def get_transaction_status(state, request):
    Query(request.params, {})
    tid = request.path_args[0]
    with state.lock:
        tx = state.transactions.by_id.get(tid)
        if tx is None or not tx.kind.startswith("df_"):
            raise not_found("The requested transaction was not found.",
                            f"No transaction {tid} for this vendor.")
        status = {"transactionId": tx.id, "status": tx.status}
        if tx.errors:
            status["errors"] = {"errors": tx.errors}
        return 200, {"transactionStatus": status}
