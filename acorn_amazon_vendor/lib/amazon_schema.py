"""Check JSON documents against Amazon's generated SP-API model classes (``amzn-sp-api``).

The generated classes (``spapi.models.<api>.<Class>``) carry Amazon's contract in code:
``swagger_types``/``attribute_map`` give the fields, and each property setter holds the
required-field, enum, length, bound and pattern checks. Instantiating them would stop at the
first error and ignore unknown keys, so this module reads those checks once per class (from
the setter source) and applies them itself, reporting every problem with its JSON path.

``validate("vendor_orders_v1", "SubmitAcknowledgementRequest", body)`` returns a list of
``"$.path: message"`` strings (empty when valid); ``check`` raises ``SchemaError`` instead.
"""
import ast
import functools
import importlib
import inspect
import re
import textwrap
import threading

from .amazon_dates import parse_date, parse_date_time

DOC_PATTERN_RE = re.compile(r"\*\*Pattern\*\* : `([^`]+)`")
LIST_RE = re.compile(r"^List\[(.+)\]$")
DICT_RE = re.compile(r"^Dict\[str, (.+)\]$")
PRIMITIVES = {"str", "int", "float", "bool", "datetime", "date", "object"}


class SchemaError(ValueError):
    """A document that Amazon's model refuses; ``errors`` lists every problem found."""

    def __init__(self, errors, class_name=""):
        self.errors = list(errors)
        self.class_name = class_name
        head = f"{class_name}: " if class_name else ""
        super().__init__(head + "; ".join(self.errors[:5])
                         + (f" (+{len(self.errors) - 5} more)" if len(self.errors) > 5 else ""))


class _Field:
    __slots__ = ("key", "type", "required", "enum", "max_len", "min_len", "maximum", "minimum",
                 "pattern", "interval")

    def __init__(self, key, type_):
        self.key, self.type = key, type_
        self.required = False
        self.enum = self.max_len = self.min_len = self.maximum = self.minimum = None
        self.pattern = None
        self.interval = False


def _setter_checks(func_node, attr, field):
    """Read the checks of one generated setter (``if ...: raise ValueError``) into ``field``."""
    for node in ast.walk(func_node):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "allowed_values" for t in node.targets):
            field.enum = tuple(ast.literal_eval(node.value))
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, op, right = node.left, node.ops[0], node.comparators[0]
            if isinstance(left, ast.Name) and left.id == attr and isinstance(op, ast.Is) \
                    and isinstance(right, ast.Constant) and right.value is None:
                field.required = True
            elif isinstance(right, ast.Constant) and isinstance(right.value, int | float):
                is_len = isinstance(left, ast.Call) and getattr(left.func, "id", "") == "len"
                if is_len or (isinstance(left, ast.Name) and left.id == attr):
                    # The setter raises when the comparison holds: "> 64" means at most 64.
                    bound = right.value
                    if isinstance(op, ast.Gt):
                        setattr(field, "max_len" if is_len else "maximum", bound)
                    elif isinstance(op, ast.GtE):
                        setattr(field, "max_len" if is_len else "maximum", bound - 1)
                    elif isinstance(op, ast.Lt):
                        setattr(field, "min_len" if is_len else "minimum", bound)
                    elif isinstance(op, ast.LtE):
                        setattr(field, "min_len" if is_len else "minimum", bound + 1)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "search" and node.args \
                and isinstance(node.args[0], ast.Constant):
            field.pattern = re.compile(node.args[0].value)


@functools.cache
def _module(module_name):
    if not module_name.startswith("spapi."):
        module_name = "spapi.models." + module_name
    return importlib.import_module(module_name)


_plans = {}
_plans_lock = threading.Lock()


def _plan(module_name, class_name):
    """Fields of one model class, or the enum values of an enum-only class (cached)."""
    key = (module_name, class_name)
    plan = _plans.get(key)
    if plan is not None:
        return plan
    cls = getattr(_module(module_name), class_name, None)
    if cls is None:
        raise LookupError(f"no model {class_name} in {module_name}")
    if not cls.swagger_types:
        # Enum-only classes (NetCostUnitOfMeasure) list their values as class constants.
        plan = ("enum", tuple(v for k, v in vars(cls).items()
                              if k.isupper() and isinstance(v, str)))
    else:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        setters = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Attribute) and d.attr == "setter"
                    for d in node.decorator_list):
                setters[node.name] = node
        fields = {}
        for attr, type_ in cls.swagger_types.items():
            field = _Field(cls.attribute_map[attr], type_)
            if attr in setters:
                _setter_checks(setters[attr], attr, field)
            doc = getattr(getattr(cls, attr, None), "__doc__", "") or ""
            found = DOC_PATTERN_RE.search(doc)
            if found and field.pattern is None and type_ == "str":
                # Some generated classes escape the pattern twice (DF Shipping's Decimal:
                # ``\\\\d``): read a doubled backslash as one, or "1.2" would never match.
                field.pattern = re.compile(found.group(1).replace("\\\\", "\\"))
            field.interval = type_ == "str" and "date time interval" in doc
            fields[field.key] = field
        plan = ("object", fields)
    with _plans_lock:
        _plans[key] = plan
    return plan


def _type_name(value):
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(
        type(value), "number" if isinstance(value, int | float) else type(value).__name__)


def _check_value(module_name, type_, value, path, out):
    if value is None:
        return
    match = LIST_RE.match(type_)
    if match:
        if not isinstance(value, list):
            out.append((path, f"expected an array, got {_type_name(value)}"))
            return
        for index, item in enumerate(value):
            if item is None:
                out.append((f"{path}[{index}]", "null is not allowed in an array"))
            else:
                _check_value(module_name, match.group(1), item, f"{path}[{index}]", out)
        return
    match = DICT_RE.match(type_)
    if match:
        if not isinstance(value, dict):
            out.append((path, f"expected an object, got {_type_name(value)}"))
            return
        for key, item in value.items():
            _check_value(module_name, match.group(1), item, f"{path}.{key}", out)
        return
    if type_ in PRIMITIVES:
        _check_primitive(type_, value, path, out)
        return
    _check_model(module_name, type_, value, path, out)


def _check_primitive(type_, value, path, out):
    if type_ == "object":
        return
    if type_ in ("str", "datetime", "date"):
        if not isinstance(value, str):
            out.append((path, f"expected a string, got {_type_name(value)}"))
        elif type_ == "datetime" and parse_date_time(value) is None:
            out.append((path, f"'{value}' is not a valid ISO 8601 date-time"))
        elif type_ == "date" and parse_date(value) is None:
            out.append((path, f"'{value}' is not a valid ISO 8601 date"))
    elif type_ == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            out.append((path, f"expected an integer, got {_type_name(value)}"))
    elif type_ == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            out.append((path, f"expected a number, got {_type_name(value)}"))
    elif type_ == "bool" and not isinstance(value, bool):
        out.append((path, f"expected a boolean, got {_type_name(value)}"))


def _enum_message(value, allowed):
    listed = ", ".join(sorted(allowed))
    return (f"Value '{value}' is not valid with respect to enumeration '[{listed}]'. "
            "It must be a value from the enumeration.")


def _check_model(module_name, class_name, value, path, out):
    kind, spec = _plan(module_name, class_name)
    if kind == "enum":
        if not isinstance(value, str):
            out.append((path, f"expected a string, got {_type_name(value)}"))
        elif value not in spec:
            out.append((path, _enum_message(value, spec)))
        return
    if not isinstance(value, dict):
        out.append((path, f"expected an object ({class_name}), got {_type_name(value)}"))
        return
    element = path.rsplit(".", 1)[-1].split("[", 1)[0] or class_name
    for key in value:
        if key not in spec:
            out.append((f"{path}.{key}",
                        f"Invalid content was found starting with element '{key}'. "
                        f"One of '{{{', '.join(spec)}}}' is expected."))
    for key, field in spec.items():
        item = value.get(key)
        item_path = f"{path}.{key}"
        if item is None:
            if field.required:
                out.append((item_path,
                            f"The content of element '{element}' is not complete. "
                            f"One of '{{{', '.join(spec)}}}' is expected."))
            continue
        before = len(out)
        _check_value(module_name, field.type, item, item_path, out)
        if len(out) != before:
            continue
        _check_constraints(field, item, item_path, out)


def _check_constraints(field, item, path, out):
    if field.enum is not None:
        values = item if isinstance(item, list) else [item]
        for value in values:
            if value not in field.enum:
                out.append((path, _enum_message(value, field.enum)))
    if isinstance(item, str | list):
        if field.max_len is not None and len(item) > field.max_len:
            out.append((path, f"length {len(item)} exceeds the maximum of {field.max_len}"))
        if field.min_len is not None and len(item) < field.min_len:
            out.append((path, f"length {len(item)} is below the minimum of {field.min_len}"))
    if isinstance(item, str):
        if field.pattern is not None and not field.pattern.search(item):
            out.append((path, f"'{item}' does not match the pattern {field.pattern.pattern}"))
        if field.interval:
            parts = item.split("--")
            if len(parts) != 2 or any(parse_date_time(p) is None for p in parts):
                out.append((path, f"'{item}' is not an ISO 8601 interval "
                                  "(start--end, for example 2026-11-01T00:00:00Z--"
                                  "2026-11-05T00:00:00Z)"))
    elif isinstance(item, int | float) and not isinstance(item, bool):
        if field.maximum is not None and item > field.maximum:
            out.append((path, f"{item} is above the maximum of {field.maximum}"))
        if field.minimum is not None and item < field.minimum:
            out.append((path, f"{item} is below the minimum of {field.minimum}"))


def errors(module_name, class_name, data):
    """Every problem as ``(json_path, message)`` pairs, in document order."""
    out = []
    _check_model(module_name, class_name, data, "$", out)
    return out


def validate(module_name, class_name, data):
    """Human-readable problems (``"$.path: message"``) of ``data`` against Amazon's model."""
    return [f"{path}: {message}" for path, message in errors(module_name, class_name, data)]


def check(module_name, class_name, data):
    """Raise SchemaError listing every problem when ``data`` does not fit the model."""
    problems = validate(module_name, class_name, data)
    if problems:
        raise SchemaError(problems, class_name)
    return data
