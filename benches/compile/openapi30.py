#!/usr/bin/env python3
"""The AskUI Workspaces document (OpenAPI 3.1) as progenitor 0.15 can read it: OpenAPI 3.0
(progenitor reads documents with the `openapiv3` crate), plus the edits progenitor needs.

    python3 openapi30.py IN.json OUT.json

The conversion (3.1 -> 3.0, same meaning):
  - `openapi: 3.1.0` -> `3.0.3`;
  - `anyOf: [X, {type: null}]` -> X with `nullable: true` (a `$ref` X becomes
    `allOf: [X], nullable: true`, since siblings of `$ref` are ignored in 3.0); with several
    non-null members, `anyOf` of them with `nullable: true`;
  - `const: v` -> `enum: [v]`.

The edits (each changes what the generated client can express, none changes an operation's
method, path, parameters or success type):
  1. inline schema titles collide: typify names an inline type after its `title`, and FastAPI
     gives the same title to different inline schemas of different components (each
     component alone generates, all together fail with `TypeError(InvalidValue)`): the
     titles of the schemas nested in components are dropped (their names then come from the
     component and property), the components' own titles are kept;
  2. no multipart: progenitor 0.15 cannot send `multipart/form-data`; the two upload bodies
     become `application/octet-stream` (a raw `reqwest::Body`), the closest it can send;
  3. one error type per operation: progenitor wants every error response of an operation to
     have the same type, while the document mixes `StringErrorResponse`,
     `HTTPValidationError`, schema-less examples and bare statuses; every non-2xx response
     becomes one `ApiError` (`{"detail": <any JSON>}`) component (without this edit
     progenitor-impl panics in method.rs);
  4. shorter component names: FastAPI names the colliding schemas after their Python
     modules (`workspaces__use_cases__workspace_memberships__list_workspace_memberships__
     WorkspaceMembershipDto`); with such a type in a return type, rustfmt leaves progenitor's
     method signature unformatted and progenitor then writes it on the line of the last doc
     comment, so the crate does not parse. Such a component is renamed after its last two
     parts (`ListWorkspaceMembershipsWorkspaceMembershipDto`).
Without edit 1, 2 or 3, or without the conversion, `cargo progenitor` fails; without edit 4
the generated crate does not compile.
"""

import json
import sys


def convert(node, inline):
    """3.1 -> 3.0 on one schema (recursively); `inline`: drop titles (edit 1)."""
    if isinstance(node, list):
        return [convert(item, inline) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: convert(value, inline) for key, value in node.items()}
    if "anyOf" in node:
        members = [m for m in node["anyOf"] if m.get("type") != "null"]
        if len(members) < len(node["anyOf"]):
            del node["anyOf"]
            if len(members) == 1 and "$ref" in members[0]:
                node["allOf"] = members
            elif len(members) == 1:
                node = {**members[0], **node}
            else:
                node["anyOf"] = members
            node["nullable"] = True
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if inline:
        node.pop("title", None)
    return node


def short_name(name):
    """`a__b__list_things__ThingDto` -> `ListThingsThingDto` (edit 4)."""
    parts = name.split("__")
    if len(parts) < 3:
        return name
    owner = "".join(word[:1].upper() + word[1:] for word in parts[-2].split("_"))
    return owner + parts[-1]


def main(source, target):
    with open(source) as f:
        text = f.read()
    for name in json.loads(text)["components"]["schemas"]:
        if short_name(name) != name:
            text = text.replace(f'"#/components/schemas/{name}"', f'"#/components/schemas/{short_name(name)}"')
            text = text.replace(f'"{name}":', f'"{short_name(name)}":')
    doc = json.loads(text)
    doc["openapi"] = "3.0.3"
    schemas = doc["components"]["schemas"]
    for name in list(schemas):
        # A component keeps its own title (typify names it after its key anyway); the schemas
        # inside it are inline.
        title = schemas[name].get("title")
        schemas[name] = convert(schemas[name], inline=True)
        if title is not None:
            schemas[name]["title"] = title
    schemas["ApiError"] = {
        "type": "object",
        "properties": {"detail": {"description": "A string, or a list of problems."}},
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    for item in doc["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                parameter["schema"] = convert(parameter["schema"], inline=False)
            body = operation.get("requestBody")
            if body is not None:
                content = body["content"]
                if "multipart/form-data" in content:
                    body["content"] = {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    }
                else:
                    body["content"] = convert(content, inline=False)
            for status, response in operation["responses"].items():
                if status.startswith("2"):
                    if "content" in response:
                        response["content"] = convert(response["content"], inline=False)
                else:
                    response["content"] = error
    with open(target, "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:3])
