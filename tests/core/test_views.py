"""Core pages: dashboard, health probe, inbox and audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sameboat.core.audit import audit_record
from sameboat.core.models import AuditEvent, Job, Notification
from sameboat.core.notify import register_event

pytestmark = pytest.mark.django_db

register_event("tests.views.hello", "Hello %(name)s", "Body for %(name)s", replace=True)


def _login(client, user):
    client.force_login(user)
    return client


# --- health probe ------------------------------------------------------------------------------


def test_healthz_answers_ok_without_login(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "error"


# --- dashboard ----------------------------------------------------------------------------------


def test_home_redirects_anonymous_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_home_shows_kpis_for_the_scope(client, world):
    response = _login(client, world.officer_a).get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["kpi_orgs"] == 2  # CA and CA1
    assert response.context["kpi_people"] == 1  # employee_a only
    html = response.content.decode()
    assert 'data-testid="kpi-orgs"' in html
    assert 'data-testid="link-import"' in html  # officers import rosters
    assert 'data-testid="link-audit"' not in html  # only HQ reads the trail


def test_home_for_hq_counts_the_whole_group(client, world):
    response = _login(client, world.hq).get(reverse("core:home"))
    assert response.context["kpi_orgs"] == 5
    assert response.context["kpi_people"] == 2
    assert 'data-testid="link-audit"' in response.content.decode()


def test_home_lists_my_recent_jobs_only(client, world):
    mine = Job.objects.create(kind="tests.views.job", created_by=world.officer_a)
    Job.objects.create(kind="tests.views.job", created_by=world.officer_b)
    response = _login(client, world.officer_a).get(reverse("core:home"))
    assert [job.pk for job, _label in response.context["jobs"]] == [mine.pk]
    assert reverse("core:job_detail", args=[mine.pk]) in response.content.decode()


def test_employee_without_subtree_sees_a_personal_page(client, world):
    response = _login(client, world.employee_user).get(reverse("core:home"))
    assert response.status_code == 200
    assert response.templates[0].name == "core/home_personal.html"
    html = response.content.decode()
    assert "A-001" in html and 'data-testid="my-entry"' in html
    assert "kpi-orgs" not in html


def test_nobody_sees_a_personal_page_without_entry(client, world):
    response = _login(client, world.nobody).get(reverse("core:home"))
    assert 'data-testid="no-entry"' in response.content.decode()


# --- inbox --------------------------------------------------------------------------------------


def _note(user, **kwargs):
    values = {"event": "tests.views.hello", "context": {"name": "Ann"}, "url": "/orgs/"}
    values.update(kwargs)
    return Notification.objects.create(recipient=user, **values)


def test_inbox_renders_my_notifications_in_the_active_language(client, world):
    unread = _note(world.officer_a)
    read = _note(world.officer_a, context={"name": "Bob"}, read_at=timezone.now())
    _note(world.officer_b, context={"name": "Secret"})
    response = _login(client, world.officer_a).get(reverse("core:inbox"))
    html = response.content.decode()
    assert "Hello Ann" in html and "Body for Bob" in html
    assert "Secret" not in html
    assert f'data-testid="notification-{unread.pk}" data-unread' in html
    assert f'data-testid="notification-{read.pk}" data-unread' not in html


def test_inbox_is_paged(client, world):
    for _ in range(30):
        _note(world.hq)
    response = _login(client, world.hq).get(reverse("core:inbox"), {"page": 2})
    assert len(response.context["items"]) == 5


def test_inbox_read_marks_one_and_follows_its_link(client, world):
    note = _note(world.officer_a, url="/orgs/people/")
    other = _note(world.officer_a)
    response = _login(client, world.officer_a).post(reverse("core:inbox_read", args=[note.pk]))
    assert response.status_code == 302 and response.url == "/orgs/people/"
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None and other.read_at is None


def test_inbox_read_refuses_an_outside_link(client, world):
    note = _note(world.officer_a, url="https://evil.example/steal")
    response = _login(client, world.officer_a).post(reverse("core:inbox_read", args=[note.pk]))
    assert response.url == reverse("core:inbox")


def test_inbox_read_of_someone_elses_notification_is_404(client, world):
    note = _note(world.officer_b)
    response = _login(client, world.officer_a).post(reverse("core:inbox_read", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_inbox_read_needs_post(client, world):
    note = _note(world.officer_a)
    assert _login(client, world.officer_a).get(reverse("core:inbox_read", args=[note.pk])).status_code == 405


def test_inbox_read_all_marks_only_mine(client, world):
    mine = [_note(world.officer_a) for _ in range(3)]
    theirs = _note(world.officer_b)
    response = _login(client, world.officer_a).post(reverse("core:inbox_read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- audit trail --------------------------------------------------------------------------------


def _events(world):
    a = audit_record(
        actor=world.hq,
        action="orgs.organization.updated",
        obj=world.company_a,
        before={"name_en": "Old A"},
        after={"name_en": "Company A"},
    )
    b = audit_record(
        actor=world.officer_b,
        action="orgs.employee.created",
        obj=world.employee_b,
        after={"employee_no": "B-001"},
    )
    return a, b


def test_audit_needs_an_audit_role(client, world):
    _events(world)
    for user in (world.officer_a, world.viewer_a, world.employee_user):
        assert _login(client, user).get(reverse("core:audit")).status_code == 403


def test_audit_shows_events_with_before_and_after_to_hq(client, world):
    _events(world)
    response = _login(client, world.hq).get(reverse("core:audit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "orgs.organization.updated" in html and "orgs.employee.created" in html
    assert "Old A" in html and 'data-testid="audit-row"' in html


def test_audit_filters(frozen_today, client, world):
    _events(world)
    client = _login(client, world.hq)
    by_action = client.get(reverse("core:audit"), {"action": "orgs.employee"})
    assert [e.action for e, _c in by_action.context["rows"]] == ["orgs.employee.created"]
    by_actor = client.get(reverse("core:audit"), {"actor": "HQ"})
    assert [e.actor_repr for e, _c in by_actor.context["rows"]] == ["hq"]
    by_type = client.get(reverse("core:audit"), {"object_type": "orgs.organization"})
    assert {e.object_type for e, _c in by_type.context["rows"]} == {"orgs.organization"}
    tomorrow = (frozen_today + datetime.timedelta(days=1)).isoformat()
    assert client.get(reverse("core:audit"), {"date_from": tomorrow}).context["rows"] == []
    today = frozen_today.isoformat()
    assert len(client.get(reverse("core:audit"), {"date_from": today, "date_to": today}).context["rows"]) == 2


def test_audit_is_scoped_to_the_subtree(client, world):
    from sameboat.accounts.roles import Role
    from tests.factories import UserFactory, grant

    hq_a = UserFactory(username="hq_a")
    grant(hq_a, world.company_a, Role.HQ_COMMANDER)
    _events(world)
    response = _login(client, hq_a).get(reverse("core:audit"))
    assert [e.action for e, _c in response.context["rows"]] == ["orgs.organization.updated"]
    assert "B-001" not in response.content.decode()


def test_audit_is_paged_by_fifty(client, world):
    for i in range(55):
        audit_record(actor=world.hq, action=f"tests.bulk.{i}", obj=world.company_a)
    response = _login(client, world.hq).get(reverse("core:audit"), {"page": 2})
    assert len(response.context["rows"]) == 5
    assert AuditEvent.objects.count() == 55


# --- content security policy --------------------------------------------------------------------

INLINE = [" style=", "<script>", " onclick=", " onchange=", " onsubmit=", " onload="]


def test_pages_carry_no_inline_script_or_style(client, world):
    """The CSP forbids inline code; a page that used it would silently break in browsers."""
    from sameboat.orgs.services import leadership_group_set

    leadership_group_set(actor=world.hq, organization=world.company_a, name="Group A")
    _note(world.hq)
    audit_record(actor=world.hq, action="tests.thing.done", obj=world.company_a, after={"a": 1})
    client = _login(client, world.hq)
    urls = [
        reverse("core:home"),
        reverse("core:inbox"),
        reverse("core:audit"),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("orgs:tree"),
        reverse("orgs:tree") + "?q=Unit",
        reverse("orgs:detail", args=[world.company_a.pk]),
        reverse("orgs:edit", args=[world.company_a.pk]),
        reverse("orgs:add_child", args=[world.company_a.pk]),
        reverse("orgs:people"),
        reverse("orgs:person", args=[world.employee_a.pk]),
        reverse("orgs:person_edit", args=[world.employee_a.pk]),
        reverse("orgs:regions"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for bad in INLINE:
            assert bad not in html, f"{bad!r} on {url}"
        assert "Content-Security-Policy" in response.headers
    client.logout()
    html = client.get(reverse("accounts:login")).content.decode()
    assert not any(bad in html for bad in INLINE)


def test_a_null_character_in_a_search_is_refused_in_the_users_language(hq_client):
    response = hq_client.get("/orgs/people/?q=a%00", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "q" in response.content.decode() and "空字符" in response.content.decode()
