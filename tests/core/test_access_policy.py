"""Every URL pattern and every API operation declares its access policy."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from govcube.api import api
from govcube.core.access import Policy, policy_of


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _is_ninja(callback) -> bool:
    return (getattr(callback, "__module__", "") or "").startswith("ninja.")


def test_every_page_route_declares_a_policy():
    missing = [
        route
        for route, callback in _walk(get_resolver().url_patterns)
        if not _is_ninja(callback) and policy_of(callback) is None
    ]
    assert missing == [], f"routes without an access policy: {missing}"


def test_every_api_operation_declares_a_policy():
    operations = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                operations.append((prefix + path, operation.methods, operation.view_func))
    assert len(operations) >= 10
    missing = [
        (path, methods)
        for path, methods, func in operations
        if not isinstance(getattr(func, "access_policy", None), Policy)
    ]
    assert missing == [], f"API operations without an access policy: {missing}"


def test_the_openapi_schema_lists_only_declared_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    declared = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    declared.add((("/api/v1" + prefix + path).replace("//", "/").rstrip("/"), method.lower()))
    for path, methods in schema["paths"].items():
        for method in methods:
            assert (path.rstrip("/"), method) in declared, f"{method.upper()} {path} has no declared policy"


def test_an_undecorated_view_is_caught():
    def bare_view(request):
        return None

    assert policy_of(bare_view) is None
