"""The shared front of every POST that carries documents: model check, non-empty list, 202."""
from .. import amazon_schema
from .errors import invalid_input, schema_errors


def submit_documents(state, request, module, class_name, list_key, kind):
    """Validate the body against Amazon's model class and queue it as one transaction."""
    body = request.json_body()
    problems = amazon_schema.validate(module, class_name, body)
    if problems:
        raise schema_errors(problems)
    if not body.get(list_key):
        raise invalid_input(f"The content of element '{list_key}' is not complete.",
                            f"$.{list_key} must list at least one element.")
    return state.accept(kind, body)
