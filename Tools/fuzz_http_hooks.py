"""Schemathesis hooks for Tools/fuzz-http: what JSON Schema cannot say about Rapport's API.

Schemathesis's own `positive_data_acceptance` check is told (in Tools/fuzz-http) to let a
schema-valid request be refused with 400, 404, 409 or 422, because the CRM refuses some
requests for reasons no schema can state: a customer that does not exist, a lead no longer
open, a credit code whose check character is wrong, a time past the server's clock. The
check below takes the 400s back: a schema-valid request refused as malformed is a failure
unless its error code (and the field or parameter it names) is one of those reasons. Every
other 400 means the spec allowed something the server refuses: the spec is not exact.
"""

import json
import os
import re
import uuid

import schemathesis
import yaml

# The user whose token the fuzzer holds (Tools/fuzz-http sets it): demoting or deactivating
# them would turn the rest of the run into 403s.
FUZZING_USER = os.environ.get("FUZZ_ADMIN_ID", "")

# 400 codes a schema-valid request can still earn, each for a reason outside JSON Schema.
SEMANTIC_CODES = {
    # The unified social credit code's 18th character is a check digit over the first 17.
    "invalid_credit_code",
    # Dedup normalization: a name that is only a legal form, a phone no dialing plan knows,
    # an address whose parts are not a mailbox.
    "invalid_company_name",
    "invalid_phone",
    "invalid_email",
    # Relative to the server's clock: at most 300 s ahead, and a campaign or quote ending
    # after it starts.
    "occurred_out_of_range",
    "occurred_in_future",
    # Relative to the log: a consumer acknowledging past the head.
    "position_past_head",
    # A pipeline's stages must have distinct ids and orders.
    "invalid_pipeline",
}

# (code, field or parameter) pairs with such a reason.
SEMANTIC_FIELDS = {
    # A page cursor must be the `next` of an earlier page of the same list.
    ("invalid_query_parameter", "after"),
    # Times relative to now or to each other.
    ("invalid_value", "ends_at"),
    ("invalid_value", "valid_until"),
    # Amounts: currencies must agree with the record's; sums must fit in 64 bits.
    ("invalid_value", "amount"),
    ("invalid_value", "cost"),
    ("invalid_value", "lines"),
    ("invalid_value", "quantity"),
    # A tag both added and removed in one command.
    ("invalid_value", "tags"),
    # A user cannot succeed themselves; a quote for another customer.
    ("invalid_value", "successor"),
    ("invalid_value", "quote"),
    # Pool rules: each level once, every idle limit longer than the warning.
    ("invalid_value", "idle_limits"),
    ("invalid_value", "warning_days_before_release"),
    # An ISO week 53 in a year of 52.
    ("invalid_query_parameter", "week"),
    # A customer flow's `to` before its `from`, or more than 240 months after it; a lead
    # list's `createdTo` before its `createdFrom`.
    ("invalid_query_parameter", "to"),
    ("invalid_query_parameter", "createdTo"),
    # Lead priority weights: each source and size once.
    ("invalid_value", "source_points"),
    ("invalid_value", "size_points"),
    # A follow-up's next contact before the follow-up.
    ("invalid_value", "next_contact_at"),
    # A birthday the calendar does not have (02-30).
    ("invalid_value", "birthday"),
    # Fields that go together or exclude each other, which the spec states in words: a win's
    # amount and currency together; a contract from a quote or from lines; a campaign response
    # from a lead or a customer, a target for a rep or a team (swift-openapi-generator reads
    # no `oneOf` of `required` lists).
    ("field_required", "amount"),
    ("field_required", "currency"),
    ("field_required", "lines"),
    ("invalid_value", "respondent"),
    ("invalid_value", "holder"),
}

# (path, query parameter) pairs of parameters that go together or exclude each other, which
# the spec states in words (400 `invalid_query_parameter` naming the parameter): exactly one
# of an activity report's `day`, `week` and `month`; an as-of view's `basis` only with a time
# or a day as its `asOf`.
SEMANTIC_QUERY_PARAMETERS = {
    ("/v1/activity", "day"),
    ("/v1/activity/team", "day"),
    ("/v1/customers/{customer}", "asOf"),
    ("/v1/customers/{customer}", "basis"),
    # A search needs a letter or a digit, which a length limit cannot say.
    ("/v1/search", "q"),
}


def _path_patterns():
    """The pattern of each path parameter, by path: the values the spec admits there."""
    spec_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Schemas", "openapi.yaml")
    with open(spec_path) as file:
        spec = yaml.safe_load(file)

    def resolve(node):
        while isinstance(node, dict) and "$ref" in node:
            kind, name = node["$ref"].split("/")[-2:]
            node = spec["components"][kind][name]
        return node

    patterns = {}
    for path, item in spec["paths"].items():
        for operation in item.values():
            for parameter in map(resolve, operation.get("parameters", []) if isinstance(operation, dict) else []):
                pattern = resolve(parameter.get("schema", {})).get("pattern")
                if parameter.get("in") == "path" and pattern:
                    patterns.setdefault(path, {})[parameter["name"]] = re.compile(pattern)
    return patterns


PATH_PATTERNS = _path_patterns()


def _schema_valid_path(case):
    """Whether every path parameter matches its pattern. The stateful phase fills a path from
    an earlier answer's fields (a customer's name as its id, say), which the spec never
    admitted there; such a request is not schema-valid, whatever its case says."""
    patterns = PATH_PATTERNS.get(case.path, {})
    return all(
        patterns[name].search(str(value)) for name, value in (case.path_parameters or {}).items() if name in patterns
    )


@schemathesis.hook
def map_headers(ctx, headers):
    """A fresh Idempotency-Key for each request that carries a valid one.

    Hypothesis draws the same few keys ("0") again and again; the server rightly answers a key
    reused for another request with 422 `idempotency_key_reused`, which would hide the command
    behind it. Malformed keys (empty, over 255 characters) are kept, to test their refusal.
    """
    if headers:
        for name in list(headers):
            if name.lower() == "idempotency-key" and isinstance(headers[name], str) and 1 <= len(headers[name]) <= 255:
                headers[name] = uuid.uuid4().hex
    return headers


@schemathesis.hook
def filter_path_parameters(ctx, path_parameters):
    """Never aim the user commands (role, team, deactivate) at the fuzzer's own user."""
    return not (FUZZING_USER and path_parameters and path_parameters.get("user") == FUZZING_USER)


def _error(response):
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return None, {}
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, {}
    return error.get("code"), error.get("facts") or {}


@schemathesis.check
def schema_valid_not_malformed(ctx, response, case):
    """A request generated from the schema is not refused as malformed (400) without a reason the schema cannot state."""
    meta = getattr(case, "meta", None)
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    if not _schema_valid_path(case):
        return None
    code, facts = _error(response)
    named = facts.get("field") or facts.get("parameter")
    if code in SEMANTIC_CODES or (code, named) in SEMANTIC_FIELDS:
        return None
    if code == "invalid_query_parameter" and (case.path, named) in SEMANTIC_QUERY_PARAMETERS:
        return None
    raise AssertionError(
        f"a schema-valid request was refused as malformed: 400 {code} ({named}); "
        f"the spec allows what the server refuses\n{response.content[:500]!r}"
    )
