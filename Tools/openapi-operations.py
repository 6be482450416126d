"""Writes the Swift table of every operation of Schemas/openapi.yaml that the generated
boundary does not give the server: its route (`METHOD /path`); the fields its JSON body may
carry at every depth, so that a field no schema lists is refused by name when the generated
decoding refuses a body (its decoders look for missing fields first); and what each of
its query parameters may hold (an integer's range, a list of words, true or false) and which
it cannot do without, which the generated decoding does not check or would refuse without
naming the parameter.

Usage: python openapi-operations.py SPEC OUTPUT.swift   (run by Tools/generate-openapi)
"""
import sys

import yaml

spec_path, output_path = sys.argv[1], sys.argv[2]
with open(spec_path) as file:
    spec = yaml.safe_load(file)


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = spec["components"][kind][name]
    return node


def types(schema):
    kind = schema.get("type", [])
    return kind if isinstance(kind, list) else [kind]


def shape(schema):
    """The fields of an object schema and the shapes of its object-holding fields; None for
    a schema that is not a closed object (its fields are not checked here)."""
    schema = resolve(schema)
    if "array" in types(schema):
        return shape(schema.get("items", {}))
    properties = {}
    for part in [schema] + [resolve(each) for each in schema.get("allOf", [])]:
        properties.update(part.get("properties", {}))
    if schema.get("additionalProperties", True) is not False or not properties:
        return None
    nested = {}
    for name, field in sorted(properties.items()):
        inner = shape(field)
        if inner is not None:
            nested[name] = inner
    return (sorted(properties), nested)


def open_objects(schema, path):
    """The paths of the objects in a body schema that take fields it does not list. The server
    relies on there being none: a body the generated decoding takes then has no unknown field,
    so only a refused body is looked at field by field."""
    schema = resolve(schema)
    if "array" in types(schema):
        return open_objects(schema.get("items", {}), path + "[]")
    found = []
    for part in schema.get("allOf", []) + schema.get("anyOf", []) + schema.get("oneOf", []):
        found += open_objects(part, path)
    if "object" in types(schema) or "properties" in schema:
        if schema.get("additionalProperties", True) is not False:
            found.append(path)
        for name, field in schema.get("properties", {}).items():
            found += open_objects(field, path + "." + name)
    return found


def swift(value, indent):
    fields, nested = value
    names = ", ".join('"%s"' % name for name in fields)
    if not nested:
        return "BodyFields([%s])" % names
    pad = " " * (indent + 4)
    inner = ",\n".join('%s    "%s": %s' % (pad, name, swift(child, indent + 8)) for name, child in nested.items())
    return "BodyFields(\n%s[%s],\n%snested: [\n%s,\n%s]\n%s)" % (pad, names, pad, inner, pad, " " * indent)


def query_value(schema):
    """What a query parameter's value may be, as a Swift `QueryParameterRule.Value`."""
    schema = resolve(schema)
    kinds = types(schema)
    if "integer" in kinds:
        low, high = schema.get("minimum", -(2**63)), schema.get("maximum", 2**63 - 1)
        return ".integer(%d...%d)" % (low, high)
    if "boolean" in kinds:
        return ".boolean"
    if "enum" in schema:
        return ".oneOf([%s])" % ", ".join('"%s"' % value for value in schema["enum"])
    return ".text"


def query_rules(parameters):
    """The rule of each query parameter that is typed or required; text that may be left out
    needs none."""
    rules = {}
    for parameter in map(resolve, parameters):
        if parameter.get("in") != "query":
            continue
        value = query_value(parameter.get("schema", {}))
        if parameter.get("required"):
            rules[parameter["name"]] = "QueryParameterRule(%s, required: true)" % value
        elif value != ".text":
            rules[parameter["name"]] = "QueryParameterRule(%s)" % value
    return rules


routes, bodies, queries = [], [], []
for path, item in spec["paths"].items():
    for method, operation in item.items():
        if method not in ("get", "post", "put", "patch", "delete"):
            continue
        name = operation["operationId"]
        routes.append('        "%s %s": "%s",' % (method.upper(), path, name))
        body = resolve(operation.get("requestBody", {}))
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        if schema and open_objects(schema, name):
            sys.exit("openapi-operations: a request body must list its fields (additionalProperties: false): %s"
                     % ", ".join(open_objects(schema, name)))
        value = shape(schema) if schema else None
        if value is not None:
            bodies.append('        "%s": %s,' % (name, swift(value, 8)))
        rules = query_rules(item.get("parameters", []) + operation.get("parameters", []))
        if rules:
            listed = ", ".join('"%s": %s' % pair for pair in sorted(rules.items()))
            queries.append('        "%s": [%s],' % (name, listed))

with open(output_path, "w") as out:
    out.write("""// Written by Tools/generate-openapi from Schemas/openapi.yaml; do not edit.

/// The fields a JSON object of a request body may carry, and the shape of each field that
/// holds an object or an array of objects.
package struct BodyFields: Sendable {
    /// Every field the object may carry.
    package var fields: Set<String>
    /// The shape of each field that holds an object or an array of objects.
    package var nested: [String: BodyFields]

    package init(_ fields: Set<String>, nested: [String: BodyFields] = [:]) {
        self.fields = fields
        self.nested = nested
    }
}

/// What a query parameter may hold, as the spec states it.
package struct QueryParameterRule: Sendable {
    package enum Value: Sendable {
        /// Any text; the handler reads it.
        case text
        /// An integer within the spec's minimum and maximum.
        case integer(ClosedRange<Int64>)
        /// `true` or `false`.
        case boolean
        /// One of the words the spec lists.
        case oneOf([String])
    }

    package var value: Value
    /// Whether the operation cannot do without it.
    package var isRequired: Bool

    package init(_ value: Value, required: Bool = false) {
        self.value = value
        isRequired = required
    }
}

/// Every operation the API describes.
package enum APIOperations {
    /// The operation of each route, `METHOD /path/{parameter}` → its `operationId`.
    package static let byRoute: [String: String] = [
%s
    ]

    /// The fields of each operation's JSON body, by `operationId`.
    package static let bodyFields: [String: BodyFields] = [
%s
    ]

    /// What each operation's query parameters may hold, by `operationId` and name.
    package static let queryParameters: [String: [String: QueryParameterRule]] = [
%s
    ]
}
""" % ("\n".join(sorted(routes)), "\n".join(sorted(bodies)), "\n".join(sorted(queries))))
