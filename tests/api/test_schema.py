"""The OpenAPI schema generates cleanly, and its docs page runs under our CSP from local files."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


def test_schema_generates_and_validates_without_warnings(tmp_path, capsys):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning into a non-zero exit (SystemExit).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    captured = capsys.readouterr()
    assert "Warning" not in captured.err and "Error" not in captured.err
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert set(paths) == {path for path, _method in _routed_operations()}
    # The catch-all for unknown paths is not an operation.
    assert not any("{" not in p and p.rstrip("/") == "/api" for p in paths)


HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# Asking for a token is the one operation without credentials.
ANONYMOUS = {("/api/v1/auth/token/", "post")}


def _routed_operations() -> set[tuple[str, str]]:
    """(path, method) of every API operation the URLconf routes, as OpenAPI names them: each
    domain's registered routes and the shared token endpoint, found without the schema."""
    found: set[tuple[str, str]] = set()
    stack = [("/", entry) for entry in get_resolver().url_patterns]
    while stack:
        prefix, entry = stack.pop()
        route = str(entry.pattern).lstrip("^").rstrip("$")
        # Named groups become {name}; drf-spectacular calls the primary key {id}.
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "{%s}" % ("id" if m[1] == "pk" else m[1]), route)
        if isinstance(entry, URLResolver):
            stack += [(prefix + route, child) for child in entry.url_patterns]
            continue
        path = prefix + route
        if not isinstance(entry, URLPattern) or not path.startswith("/api/v1/"):
            continue
        # A viewset's route maps methods to actions; a plain view answers what it defines.
        methods = getattr(entry.callback, "actions", None) or [
            m for m in HTTP_METHODS if hasattr(entry.callback.view_class, m)
        ]
        found |= {(path, method) for method in methods if method in HTTP_METHODS}
    return found


def test_every_routed_operation_is_documented_with_its_error_answers(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    operations = _routed_operations()
    # Every domain's resources are routed (a walk that found nothing would prove nothing).
    assert {("/api/v1/employees/", "post"), ("/api/v1/checkins/", "post"), ("/api/v1/health/returns/", "get")} <= (
        operations
    )
    missing, unexplained = [], []
    for path, method in sorted(operations):
        operation = schema["paths"].get(path, {}).get(method)
        if operation is None:
            missing.append(f"{method.upper()} {path}")
            continue
        errors = {
            code
            for code, answer in operation["responses"].items()
            if code.startswith(("4", "5"))
            and answer["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
        }
        expected = {"400"} if method in ("post", "put", "patch") else set()  # a malformed body
        if (path, method) not in ANONYMOUS:
            expected.add("401")
            if method != "get" and not path.startswith("/api/v1/auth/"):
                # A resource's write: not allowed (a read-only role); a rule refused it.
                expected |= {"403", "422"}
        if method == "get" and "{" not in path:
            expected |= {"400", "404"}  # a bad filter or page number; a page past the end
        if "{" in path:
            expected.add("404")  # missing or out of scope: the same answer
        if not expected <= errors:
            unexplained.append(f"{method.upper()} {path}: {sorted(errors)} lacks {sorted(expected - errors)}")
    assert not missing, missing
    assert not unexplained, unexplained


def test_health_operations_document_their_filters_throttle_and_idempotency_key(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    paths = schema["paths"]

    def query(path: str) -> set[str]:
        return {p["name"] for p in paths[path]["get"].get("parameters", []) if p["in"] == "query"}

    assert query("/api/v1/checkins/") == {"day", "page", "page_size"}
    assert query("/api/v1/cases/") == {"all", "page", "page_size"}
    assert query("/api/v1/health/returns/") == {"org", "day"}
    checkin = paths["/api/v1/checkins/"]["post"]
    assert {"200", "201", "400", "401", "422", "429"} <= set(checkin["responses"])
    # The header is documented exactly where a key is taken.
    takes_key = {
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation.get("parameters", []))
    }
    assert takes_key == {
        ("/api/v1/checkins/", "post"),
        ("/api/v1/employees/", "post"),
        ("/api/v1/supplies/moves/", "post"),
    }


def test_schema_documents_the_error_shape_and_filters(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    error = schema["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    create = schema["paths"]["/api/v1/employees/"]["post"]
    assert {"201", "400", "401", "403", "422"} <= set(create["responses"])
    assert create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    listing = schema["paths"]["/api/v1/employees/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"org", "search", "active", "page", "page_size"}
    active = next(p for p in listing["parameters"] if p["name"] == "active")
    assert set(active["schema"]["enum"]) == {"true", "false", "all"}


def test_docs_page_loads_without_inline_script_or_style(world, client):
    client.force_login(world.hq)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I)
    assert scripts, "the page loads Swagger UI"
    assert all(body.strip() == "" for _attrs, body in scripts), "a <script> element has a body"
    assert all("src=" in attrs for attrs, _body in scripts)
    assert "<style" not in html.lower() and "style=" not in html.lower()
    assert not re.search(r"\son[a-z]+=", html, flags=re.I), "inline event handler"


def test_docs_assets_are_local_files(world, client):
    html = client.get("/api/docs/").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and not any(u.startswith(("http:", "https:", "//")) for u in urls)
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    # The start-up script comes from the view's own URL, as JavaScript.
    script_url = next(u for u in urls if "script" in u and not u.startswith("/static/"))
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    body = script.content.decode()
    assert "SwaggerUIBundle" in body and "/api/schema/" in body
