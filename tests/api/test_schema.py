"""The OpenAPI schema generates cleanly, and its docs page runs under our CSP from local files."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

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
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{id}/children/",
        "/api/v1/regions/{id}/rules/",
        "/api/v1/employees/{id}/",
        "/api/v1/memberships/{id}/",
        "/api/v1/leadership-groups/{id}/",
    ):
        assert path in paths, path
    # The catch-all for unknown paths is not an operation.
    assert not any("{" not in p and p.rstrip("/") == "/api" for p in paths)


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
