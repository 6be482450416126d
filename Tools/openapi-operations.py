"""Writes the Swift table of every operation of Schemas/openapi.yaml that the generated
boundary does not give the server: its route (`METHOD /path`), and the fields its JSON body
may carry at every depth, so that a field no schema lists is refused by name before the body
is decoded (swift-openapi-generator's decoders look for missing fields first).

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


def swift(value, indent):
    fields, nested = value
    names = ", ".join('"%s"' % name for name in fields)
    if not nested:
        return "BodyFields([%s])" % names
    pad = " " * (indent + 4)
    inner = ",\n".join('%s    "%s": %s' % (pad, name, swift(child, indent + 8)) for name, child in nested.items())
    return "BodyFields(\n%s[%s],\n%snested: [\n%s,\n%s]\n%s)" % (pad, names, pad, inner, pad, " " * indent)


routes, bodies = [], []
for path, item in spec["paths"].items():
    for method, operation in item.items():
        if method not in ("get", "post", "put", "patch", "delete"):
            continue
        name = operation["operationId"]
        routes.append('        "%s %s": "%s",' % (method.upper(), path, name))
        body = resolve(operation.get("requestBody", {}))
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        value = shape(schema) if schema else None
        if value is not None:
            bodies.append('        "%s": %s,' % (name, swift(value, 8)))

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
}
""" % ("\n".join(sorted(routes)), "\n".join(sorted(bodies))))
