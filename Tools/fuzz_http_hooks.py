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

import schemathesis

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
}


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
    code, facts = _error(response)
    named = facts.get("field") or facts.get("parameter")
    if code in SEMANTIC_CODES or (code, named) in SEMANTIC_FIELDS:
        return None
    raise AssertionError(
        f"a schema-valid request was refused as malformed: 400 {code} ({named}); "
        f"the spec allows what the server refuses\n{response.content[:500]!r}"
    )
