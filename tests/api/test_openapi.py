"""The OpenAPI document describes what each operation really takes and answers.

django-ninja files every schema under its class name in ``components/schemas`` and silently lets a
later class overwrite an earlier one of the same name. Schemathesis found it: the service catalogue
was documented as answering agenda items (deliberation's ``ItemOut``), and four request bodies were
documented with another module's fields.
"""

from __future__ import annotations

import json
from collections import defaultdict

from ninja import Schema

from govcube.api import api


def _govcube_schemas() -> dict[str, list[type[Schema]]]:
    found: dict[str, list[type[Schema]]] = defaultdict(list)

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("govcube.") and sub not in found[sub.__name__]:
                found[sub.__name__].append(sub)
            walk(sub)

    walk(Schema)
    return found


def test_no_two_different_api_schemas_share_a_name():
    import govcube.urls  # noqa: F401  (imports every api module)

    clashes = {}
    for name, classes in _govcube_schemas().items():
        shapes = {json.dumps(cls.model_json_schema(), sort_keys=True) for cls in classes}
        if len(shapes) > 1:
            clashes[name] = sorted(cls.__module__ for cls in classes)
    assert clashes == {}, f"schemas with the same name overwrite each other in the OpenAPI document: {clashes}"


def _body_fields(schema, path, method="post"):
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"] if "$ref" in body else next(part["$ref"] for part in body["anyOf"] if "$ref" in part)
    return set(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"])


def test_the_document_names_each_operations_own_fields():
    schema = json.loads(json.dumps(api.get_openapi_schema()))  # as served: status codes as strings
    catalogue = schema["paths"]["/api/v1/service-catalog"]["get"]["responses"]["200"]["content"]["application/json"]
    item = catalogue["schema"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert {"code", "domain", "policy"} <= set(schema["components"]["schemas"][item]["properties"])
    assert _body_fields(schema, "/api/v1/service-requests/{request_id}/rating") == {"score", "solved", "comment"}
    assert _body_fields(schema, "/api/v1/ratings") == {"kind", "item_id", "score", "comment"}
    assert _body_fields(schema, "/api/v1/visits/{visit_id}/topic") == {"body_id", "title", "text"}
    assert _body_fields(schema, "/api/v1/topics") >= {"body_id", "campaign_id", "is_anonymous"}
    assert _body_fields(schema, "/api/v1/visits/{visit_id}/service-request") == {"item_id", "title", "description"}
    assert _body_fields(schema, "/api/v1/service-requests") >= {"enterprise_id", "building_id", "item_id"}
    assert _body_fields(schema, "/api/v1/projects/{project_id}/cancel") == {"reason", "outcome", "version"}
    assert "department_id" in _body_fields(schema, "/api/v1/service-requests/{request_id}/{action}")
