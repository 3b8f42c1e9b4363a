"""The employee's check-in page, the repeat button, the history and the offline pieces."""

from __future__ import annotations

import datetime
import re

import pytest

from sameboat.health.models import CheckIn
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_start

pytestmark = pytest.mark.django_db


def post(client, w, **fields):
    data = {
        "temperature": "36.6",
        "symptoms": ["none"],
        "region": w.regions["home"].pk,
        "travelled": "no",
        "contact": "no",
        "work_status": "on_site",
        "commute_mode": "car",
        **fields,
    }
    return client.post("/health/checkin/", data)


def test_employee_files_then_corrects(client, hworld, today):
    client.force_login(hworld.employee_user)
    page = client.get("/health/checkin/").content.decode()
    assert 'data-testid="checkin-form"' in page and 'rel="manifest"' in page
    assert post(client, hworld).status_code == 302
    assert b'data-testid="checkin-done"' in client.get("/health/checkin/").content
    post(client, hworld, temperature="36.9", work_status="cloud")
    checkin = CheckIn.objects.get()
    assert (str(checkin.temperature), checkin.work_status, checkin.day) == ("36.9", "cloud", today)


def test_bad_temperature_and_quarantine_show_field_errors(client, hworld, today):
    client.force_login(hworld.employee_user)
    response = post(client, hworld, temperature="44.0")
    assert response.status_code == 200 and "plausible" in response.content.decode()
    assert re.search(r'data-testid="field-temperature"[^>]*>', response.content.decode())
    quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    page = client.get("/health/checkin/").content.decode()
    assert 'data-testid="checkin-quarantined"' in page and 'value="on_site"' not in page
    response = post(client, hworld)
    assert response.status_code == 200
    assert not CheckIn.objects.exists()


def test_same_as_yesterday(client, hworld, today):
    client.force_login(hworld.employee_user)
    assert b"checkin-repeat" not in client.get("/health/checkin/").content
    checkin_submit(
        actor=None,
        employee=hworld.employee_a,
        day=today - datetime.timedelta(days=1),
        temperature="36.4",
        region=hworld.regions["home"],
        work_status="cloud",
    )
    assert b"checkin-repeat" in client.get("/health/checkin/").content
    assert client.post("/health/checkin/repeat").status_code == 302
    assert CheckIn.objects.get(day=today).source == "repeat"
    assert b"checkin-repeat" not in client.get("/health/checkin/").content


def test_officer_files_for_someone_in_scope_only(client, hworld):
    client.force_login(hworld.officer_a)
    assert client.get(f"/health/checkin/?employee={hworld.employee_a.pk}").status_code == 200
    response = client.post(
        f"/health/checkin/?employee={hworld.employee_a.pk}",
        {
            "temperature": "36.6",
            "symptoms": ["none"],
            "region": hworld.regions["home"].pk,
            "travelled": "no",
            "contact": "no",
            "work_status": "cloud",
            "commute_mode": "none",
            "employee": hworld.employee_a.pk,
        },
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().submitted_by == hworld.officer_a
    client.force_login(hworld.officer_b)
    assert client.get(f"/health/checkin/?employee={hworld.employee_a.pk}").status_code == 404


def test_without_roster_entry_and_anonymous(client, hworld):
    client.force_login(hworld.nobody)
    assert b"checkin-no-roster" in client.get("/health/checkin/").content
    client.logout()
    assert client.get("/health/checkin/").status_code == 302


def test_history_shows_only_own_rows(client, hworld, today):
    checkin_submit(
        actor=None,
        employee=hworld.employee_a,
        day=today,
        temperature="36.1",
        region=hworld.regions["home"],
        work_status="cloud",
    )
    checkin_submit(
        actor=None,
        employee=hworld.employee_b,
        day=today,
        temperature="37.0",
        region=hworld.regions["home"],
        work_status="cloud",
    )
    client.force_login(hworld.employee_user)
    page = client.get("/health/me/").content.decode()
    assert "36.1" in page and "37.0" not in page


def test_manifest_and_service_worker(client, hworld):
    manifest = client.get("/health/manifest.webmanifest")
    assert manifest["Content-Type"].startswith("application/manifest+json")
    assert manifest.json()["start_url"] == "/health/checkin/"
    worker = client.get("/health/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/health/"
    assert b"caches" in worker.content


def test_no_inline_script_or_style(client, hworld):
    client.force_login(hworld.employee_user)
    html = client.get("/health/checkin/").content.decode()
    assert not re.search(r"<script(?![^>]*application/json)[^>]*>\s*[^<\s]", html)
    assert " style=" not in html
