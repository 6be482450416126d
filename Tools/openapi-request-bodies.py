"""Writes, for every JSON request body of the generated boundary, a `json` accessor for its
payload (swift-openapi-generator writes one for answers only), so a handler reads its body in
one line: `let body = input.body.json`.

Usage: python openapi-request-bodies.py GENERATED_DIR   (run by Tools/generate-openapi)
"""
import re
import sys

folder = sys.argv[1]
accessors = []


def accessor(owner, payload):
    accessors.append(
        "extension %s {\n"
        "    /// The body's JSON payload, its only content type.\n"
        "    package var json: %s {\n"
        "        switch self {\n"
        "        case .json(let body): body\n"
        "        }\n"
        "    }\n"
        "}\n" % (owner, payload)
    )


# Operations.<Operation>.Input.Body: the first `Body` of an operation is its input's.
operation, in_body = None, False
with open("%s/Types+Operations.swift" % folder) as file:
    for line in file:
        match = re.match(r"^    package enum (\w+) \{$", line)
        if match:
            operation, in_body = match.group(1), False
            continue
        if operation and re.match(r"^            @frozen package enum Body: Sendable, Hashable \{$", line):
            in_body = True
            continue
        match = re.match(r"^                case json\((.+)\)$", line)
        if in_body and match:
            accessor("Operations.%s.Input.Body" % operation, match.group(1))
            operation, in_body = None, False

# Components.RequestBodies.<Name>
name = None
with open("%s/Types+Components+RequestBodies.swift" % folder) as file:
    for line in file:
        match = re.match(r"^        @frozen package enum (\w+): Sendable, Hashable \{$", line)
        if match:
            name = match.group(1)
            continue
        match = re.match(r"^            case json\((.+)\)$", line)
        if name and match:
            accessor("Components.RequestBodies.%s" % name, match.group(1))
            name = None

with open("%s/RequestBodies+JSON.swift" % folder, "w") as out:
    out.write("// Written by Tools/generate-openapi from the generated types; do not edit.\n\n")
    out.write("\n".join(accessors))
