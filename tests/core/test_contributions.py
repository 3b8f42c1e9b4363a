"""The registries the apps contribute to: a key registered twice fails; the menu, the dashboard
and the import page show what is registered, to whom it is registered for."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sameboat.core.contributions import (
    DashboardTile,
    NavEntry,
    dashboard_tiles,
    entries_for,
    navigation,
    readiness_checks,
    scope_matrix,
    shortcuts,
    sitrep_sections,
)
from sameboat.core.import_kinds import ImportKind, import_kinds, import_kinds_for
from sameboat.core.imports import Column
from sameboat.core.jobs import HANDLERS
from sameboat.core.models import Job
from sameboat.core.registry import AlreadyRegistered, Registry

pytestmark = pytest.mark.django_db


@contextmanager
def registered(registry, item):
    """``item`` in ``registry`` for the block only."""
    registry.register(item)
    try:
        yield item
    finally:
        registry.unregister(registry._key(item))


# --- The registry type, and the apps' real registrations ---------------------------------------------


def test_a_key_registered_twice_fails():
    registry: Registry[NavEntry] = Registry("test")
    registry.register(NavEntry("x", "X", "core:home"))
    with pytest.raises(AlreadyRegistered, match="'x' is registered twice"):
        registry.register(NavEntry("x", "Other X", "core:inbox"))
    registry.register(NavEntry("x", "Other X", "core:inbox"), replace=True)
    assert registry["x"].label == "Other X" and len(registry) == 1


@pytest.mark.parametrize(
    ("registry", "key"),
    [
        (navigation, "orgs"),
        (shortcuts, "tree"),
        (dashboard_tiles, "people"),
        (import_kinds, "checkins"),
        (readiness_checks, "health.returns_rate"),
        (sitrep_sections, "health.returns"),
        (scope_matrix, "health:cases"),
    ],
)
def test_the_apps_registered_their_parts_once(registry, key):
    """Each app registered in its ready(); registering the same key again is refused."""
    assert key in registry
    with pytest.raises(AlreadyRegistered):
        registry.register(registry[key])


def test_the_menu_is_in_order_and_by_role(world):
    keys = [e.key for e in entries_for(navigation, world.hq)]
    assert keys == ["health", "followup", "quarantines", "supplies", "orgs", "people", "regions", "import", "audit"]
    assert [e.key for e in entries_for(navigation, world.viewer_a)] == [
        "health",
        "supplies",
        "orgs",
        "people",
        "regions",
    ]
    assert [e.key for e in entries_for(navigation, world.employee_user)] == ["checkin"]
    assert entries_for(navigation, world.nobody) == []


# --- The menu and the dashboard show what is registered --------------------------------------------------


def test_the_menu_shows_a_registered_entry_to_whom_it_is_visible(client, world):
    entry = NavEntry("hq-only", "HQ only", "core:inbox", 55, lambda user: user.username == "hq")
    with registered(navigation, entry):
        client.force_login(world.hq)
        html = client.get("/").content.decode()
        assert '<a href="/inbox/" data-testid="nav-hq-only">HQ only</a>' in html
        # In its order (55): after Organisations (50), before People (60).
        assert html.index('data-testid="nav-orgs"') < html.index('data-testid="nav-hq-only"')
        assert html.index('data-testid="nav-hq-only"') < html.index('data-testid="nav-people"')
        client.force_login(world.officer_a)
        assert 'data-testid="nav-hq-only"' not in client.get("/").content.decode()
    client.force_login(world.hq)
    assert 'data-testid="nav-hq-only"' not in client.get("/").content.decode()


def test_nobody_gets_an_empty_menu(client, world):
    client.force_login(world.nobody)
    assert 'data-testid="mainnav"' not in client.get("/").content.decode()


def test_the_dashboard_shows_registered_tiles_and_shortcuts(client, world):
    tile = DashboardTile("answer", "The answer", lambda user: 42, "core:inbox", 35, alert_when_positive=True)
    hidden = DashboardTile("hidden", "Hidden", lambda user: 1, visible=lambda user: False)
    link = NavEntry("inbox-link", "Inbox, again", "core:inbox", 45)
    with registered(dashboard_tiles, tile), registered(dashboard_tiles, hidden), registered(shortcuts, link):
        client.force_login(world.officer_a)
        response = client.get("/")
        html = response.content.decode()
    assert response.context["kpi_answer"] == 42 and "kpi_hidden" not in response.context
    assert [t.key for t in response.context["tiles"]] == ["orgs", "people", "memberships", "answer", "unread"]
    assert 'class="kpi kpi-alert" href="/inbox/" data-testid="kpi-answer"' in html
    assert 'data-testid="kpi-hidden"' not in html
    assert '<a href="/inbox/" data-testid="link-inbox-link">Inbox, again</a>' in html
    links = [e.key for e in response.context["links"]]
    assert links == ["tree", "people", "regions", "import", "inbox-link", "jobs", "profile"]


# --- The generic import page lists whatever kinds are registered ---------------------------------------


def _echo_kind(**overrides) -> ImportKind:
    values = dict(
        key="echo",
        label="Echo rows",
        job_kind="tests.import.echo",
        columns=(Column("word", "Word", True), Column("note", "Note")),
        may_use=lambda user: user.username == "hq",
        owner=lambda user: None,
        allowed_values=lambda: {"word": "any word at all"},
        keep_valid_allowed=False,
        order=25,
    )
    values.update(overrides)
    return ImportKind(**values)


def test_the_import_page_lists_a_registered_kind_for_whom_it_is(client, world):
    with registered(import_kinds, _echo_kind()):
        assert [k.key for k in import_kinds_for(world.hq)] == ["employees", "organizations", "echo", "checkins"]
        client.force_login(world.hq)
        response = client.get("/orgs/import/")
        html = response.content.decode()
        assert [v for v, _l in response.context["form"].fields["kind"].choices] == [
            "employees",
            "organizations",
            "echo",
            "checkins",
        ]
        assert 'data-testid="template-echo-csv"' in html and 'data-no-keep-valid="echo checkins"' in html
        body = client.get("/orgs/import/template/echo.csv").content.decode("utf-8-sig")
        assert next(csv.reader(io.StringIO(body))) == ["Word *", "Note"]
        client.force_login(world.officer_a)
        assert "echo" not in [v for v, _l in client.get("/orgs/import/").context["form"].fields["kind"].choices]
    assert client.get("/orgs/import/template/echo.csv").status_code == 404  # gone with its registration


def test_the_import_page_refuses_a_kind_the_user_may_not_use(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with registered(import_kinds, _echo_kind()):
        client.force_login(world.officer_a)
        # The template of a registered kind the person may not use: refused like the other kinds'
        # (tests/orgs/test_import_pages.py); a kind nobody registered is not found.
        assert client.get("/orgs/import/template/echo.csv").status_code == 403
        assert client.get("/orgs/import/template/unheard-of.csv").status_code == 404
        upload = SimpleUploadedFile("words.csv", b"Word\nhello\n")
        response = client.post("/orgs/import/", {"kind": "echo", "file": upload})
        assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert not Job.objects.filter(kind="tests.import.echo").exists()


def test_every_registered_kind_has_its_job_handler():
    assert [k.key for k in import_kinds if k.job_kind not in HANDLERS] == []


def test_a_kind_starts_its_job_for_the_organisation_it_names(client, world, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(HANDLERS, "tests.import.echo", (lambda ctx: {}, "Echo rows"))
    with registered(import_kinds, _echo_kind(owner=lambda user: world.company_b, keep_valid_allowed=True)):
        client.force_login(world.hq)
        upload = SimpleUploadedFile("words.csv", b"Word\nhello\n")
        response = client.post("/orgs/import/", {"kind": "echo", "file": upload, "keep_valid": "on"})
    job = Job.objects.get(kind="tests.import.echo")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.organization == world.company_b and job.options == {"keep_valid": True}
