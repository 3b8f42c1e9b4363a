"""The employee's check-in page, the repeat button, the history and the offline pieces."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from sameboat.health import selectors as health_selectors
from sameboat.health.models import CheckIn
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_start

pytestmark = pytest.mark.django_db

URL = "/health/checkin/"


def answers(w, **fields):
    return {
        "temperature": "36.6",
        "symptoms": ["none"],
        "region": w.regions["home"].pk,
        "travelled": "no",
        "contact": "no",
        "work_status": "on_site",
        "commute_mode": "car",
        **fields,
    }


def file_checkin(w, employee, day, **fields):
    values = {"temperature": "36.4", "region": w.regions["home"], "work_status": "cloud", **fields}
    return checkin_submit(actor=None, employee=employee, day=day, **values)[0]


def field_block(html: str, name: str) -> str:
    """The HTML of one form field's wrapper (core/_form.html)."""
    match = re.search(
        rf'<div class="field[^"]*" data-testid="field-{name}">(.*?)</div>\s*(?=<div class="field|<div class="actions)',
        html,
        re.S,
    )
    assert match, f"no field {name}"
    return match.group(0)


def test_get_shows_the_form_with_what_the_offline_script_needs(client_as, hworld, today):
    client = client_as(hworld.employee_user)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for testid in ("checkin-form", "checkin-temperature", "checkin-submit", "offline-queue"):
        assert f'data-testid="{testid}"' in html
    assert 'data-testid="checkin-done"' not in html and 'data-testid="checkin-repeat"' not in html
    assert 'rel="manifest" href="/health/manifest.webmanifest"' in html
    assert re.search(r'<script src="/static/sameboat/health/checkin\.js" defer></script>', html)
    assert 'inputmode="decimal"' in html
    # Regions: labelled by name, valued by id, with the code for the API.
    option = re.search(rf'<option value="{hworld.regions["home"].pk}"[^>]*>', html).group(0)
    assert 'data-code="CN-SC"' in option and "selected" in option  # the unit's region by default
    # The day, the CSRF token, the API and the user's texts come from the server.
    assert f'data-day="{today:%Y-%m-%d}"' in html
    assert re.search(r'data-csrf="[A-Za-z0-9]{32,}"', html)
    assert 'data-api="/api/v1/checkins/"' in html
    assert f'data-employee="{hworld.employee_a.pk}"' in html
    for name in ("item", "queued", "waiting", "sending", "sent", "refused", "login", "temperature", "required"):
        assert re.search(rf'data-msg-{name}="[^"]+"', html), name
    assert '<input type="checkbox" name="symptoms" value="none"' in html


def test_post_files_then_a_second_post_edits_the_same_row(client_as, hworld, today):
    client = client_as(hworld.employee_user)
    response = client.post(URL, answers(hworld, symptoms=["cough"], temperature="36,8"))
    assert (response.status_code, response["Location"]) == (302, URL)
    page = client.get(URL).content.decode()
    done = re.search(r'<section class="card checkin-done" data-testid="checkin-done".*?</section>', page, re.S).group(0)
    assert "36.8 °C" in done and "Cough" in done and "Sichuan" in done and "Own car" in done
    assert 'href="/health/me/"' in done
    assert 'data-testid="checkin-follow-up"' in done  # a symptom: the officer will follow up
    # The form now holds today's answers and a second post corrects them.
    assert 'value="36.8"' in field_block(page, "temperature")
    response = client.post(URL, answers(hworld, temperature="36.9", work_status="cloud"))
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (str(checkin.temperature), checkin.work_status, checkin.symptoms, checkin.day) == (
        "36.9",
        "cloud",
        [],
        today,
    )
    assert checkin.revisions.count() == 1


def test_defaults_come_from_yesterday(client_as, hworld, today):
    file_checkin(
        hworld,
        hworld.employee_a,
        today - datetime.timedelta(days=1),
        region=hworld.regions["hot"],
        work_status="cloud",
        commute_mode="shuttle",
    )
    client = client_as(hworld.employee_user)
    html = client.get(URL).content.decode()
    assert re.search(rf'<option value="{hworld.regions["hot"].pk}"[^>]*selected', html)
    assert re.search(r'value="cloud"[^>]*checked', field_block(html, "work_status"))
    assert re.search(r'value="shuttle"[^>]*checked', field_block(html, "commute_mode"))
    assert "value=" not in field_block(html, "temperature")  # the temperature is today's to give


@pytest.mark.parametrize("temperature", ["44.0", "hot", ""])
def test_bad_temperature_shows_the_field_error_and_stores_nothing(client_as, hworld, temperature):
    client = client_as(hworld.employee_user)
    response = client.post(URL, answers(hworld, temperature=temperature))
    assert response.status_code == 200
    block = field_block(response.content.decode(), "temperature")
    assert 'class="field has-error"' in block and "errorlist" in block
    if temperature == "44.0":
        assert "plausible" in block
    assert not CheckIn.objects.exists()


def test_symptoms_and_none_together_are_refused(client_as, hworld):
    client = client_as(hworld.employee_user)
    response = client.post(URL, answers(hworld, symptoms=["none", "cough"]))
    assert response.status_code == 200
    assert "has-error" in field_block(response.content.decode(), "symptoms")
    assert not CheckIn.objects.exists()


def test_quarantine_hides_on_site_and_refuses_it(client_as, hworld, today):
    quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    client = client_as(hworld.employee_user)
    page = client.get(URL).content.decode()
    assert 'data-testid="checkin-quarantined"' in page
    assert 'value="on_site"' not in field_block(page, "work_status")
    response = client.post(URL, answers(hworld, work_status="on_site"))
    assert response.status_code == 200
    block = field_block(response.content.decode(), "work_status")
    assert "has-error" in block and "quarantine" in block
    assert not CheckIn.objects.exists()
    # Any other status is fine.
    assert client.post(URL, answers(hworld, work_status="home_quarantine")).status_code == 302
    assert CheckIn.objects.get().work_status == "home_quarantine"


def test_a_domain_error_lands_on_its_field(client_as, hworld, today, monkeypatch):
    """The service has the last word: its DomainError.field becomes the form field's error."""
    quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    # The page believes the person is free (on site offered), the service knows better.
    monkeypatch.setattr(health_selectors, "in_quarantine", lambda **kwargs: False)
    client = client_as(hworld.employee_user)
    response = client.post(URL, answers(hworld, work_status="on_site"))
    assert response.status_code == 200
    block = field_block(response.content.decode(), "work_status")
    assert "has-error" in block and "cannot report being on site" in block
    assert not CheckIn.objects.exists()


def test_same_as_yesterday_only_after_a_healthy_yesterday(client_as, hworld, today):
    client = client_as(hworld.employee_user)
    yesterday = today - datetime.timedelta(days=1)
    # No yesterday: no button, and a forced post files nothing.
    assert b"checkin-repeat" not in client.get(URL).content
    assert client.post("/health/checkin/repeat").status_code == 302
    assert not CheckIn.objects.filter(day=today).exists()
    # A fever yesterday: still no button, and the service refuses.
    unwell = file_checkin(hworld, hworld.employee_a, yesterday, temperature="38.2")
    assert b"checkin-repeat" not in client.get(URL).content
    client.post("/health/checkin/repeat")
    assert not CheckIn.objects.filter(day=today).exists()
    # A healthy yesterday: one click files today's with yesterday's answers.
    file_checkin(hworld, hworld.employee_a, yesterday, temperature="36.4", commute_mode="walk")
    unwell.refresh_from_db()
    assert not unwell.needs_follow_up
    page = client.get(URL).content.decode()
    assert 'data-testid="checkin-repeat"' in page
    assert 'action="/health/checkin/repeat"' in page
    assert client.post("/health/checkin/repeat").status_code == 302
    repeated = CheckIn.objects.get(day=today)
    assert (repeated.source, repeated.commute_mode, repeated.work_status) == ("repeat", "walk", "cloud")
    # Filed today: the button is gone, the confirmation is shown.
    page = client.get(URL).content.decode()
    assert "checkin-repeat" not in page and 'data-testid="checkin-done"' in page


def test_repeat_needs_a_post_and_a_roster_entry(client_as, hworld):
    client = client_as(hworld.employee_user)
    assert client.get("/health/checkin/repeat").status_code == 405
    client = client_as(hworld.nobody)
    assert client.post("/health/checkin/repeat").status_code == 404


def test_officer_files_for_someone_in_scope_only(client_as, hworld):
    url = f"{URL}?employee={hworld.employee_a.pk}"
    client = client_as(hworld.officer_a)
    page = client.get(url).content.decode()
    assert 'data-testid="checkin-for-someone"' in page and "张三" in page
    assert f'name="employee" value="{hworld.employee_a.pk}"' in page
    assert "checkin-repeat" not in page
    response = client.post(url, answers(hworld, work_status="cloud", employee=hworld.employee_a.pk))
    assert (response.status_code, response["Location"]) == (302, url)
    checkin = CheckIn.objects.get()
    assert (checkin.employee, checkin.submitted_by) == (hworld.employee_a, hworld.officer_a)
    # A sibling company's officer, a read-only viewer and a bad id: 404 like a missing person.
    for user in (hworld.officer_b, hworld.viewer_a):
        client = client_as(user)
        assert client.get(url).status_code == 404
        assert client.post(url, answers(hworld, temperature="39.0")).status_code == 404
    client = client_as(hworld.officer_a)
    assert client.get(f"{URL}?employee=nope").status_code == 404
    assert client.get(f"{URL}?employee=999999").status_code == 404
    assert str(CheckIn.objects.get().temperature) == "36.6"


def test_without_roster_entry_and_anonymous(client_as, hworld):
    client = client_as(hworld.nobody)
    response = client.get(URL)
    assert response.status_code == 200 and b'data-testid="checkin-no-roster"' in response.content
    assert b"checkin-form" not in response.content
    assert b'data-testid="checkin-no-roster"' in client.get("/health/me/").content
    client.logout()
    for url in (URL, "/health/me/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert "/login/" in client.post("/health/checkin/repeat")["Location"]
    assert not CheckIn.objects.exists()


def test_history_shows_only_own_rows_and_own_quarantines(client_as, hworld, today):
    file_checkin(hworld, hworld.employee_a, today, temperature="36.1")
    file_checkin(hworld, hworld.employee_a, today - datetime.timedelta(days=1), temperature="38.5")
    # Older than the service lets anyone file: written directly, as history would be.
    CheckIn.objects.create(
        employee=hworld.employee_a,
        organization=hworld.employee_a.organization,
        day=today - datetime.timedelta(days=30),
        temperature="36.3",
        region=hworld.regions["home"],
        work_status="cloud",
    )
    file_checkin(hworld, hworld.employee_b, today, temperature="37.0")
    quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="own-reason")
    quarantine_start(actor=None, employee=hworld.employee_b, start=today, reason="other-reason")
    client = client_as(hworld.employee_user)
    page = client.get("/health/me/").content.decode()
    table = re.search(r'<table class="table history-table" data-testid="history-table">.*?</table>', page, re.S).group(
        0
    )
    assert "36.1" in table and "38.5" in table
    assert "37.0" not in page  # employee_b's
    assert "36.3" not in table  # older than 30 days
    assert len(re.findall(r"<tr[^>]*data-day=", table)) == 2
    assert re.search(r'<tr class="fever"[^>]*>.*?38\.5', table, re.S)  # fever highlighted
    assert "own-reason" in page and "other-reason" not in page
    assert 'href="/health/checkin/"' in page


def test_manifest(client, hworld):
    response = client.get("/health/manifest.webmanifest")  # no login needed
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (URL, "/health/", "standalone")
    assert manifest["name"] and manifest["short_name"] and manifest["theme_color"] and manifest["background_color"]
    assert manifest["icons"] == [
        {"src": "/static/sameboat/health/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
    ]
    assert finders.find("sameboat/health/icon.svg")


def test_service_worker(client, hworld):
    response = client.get("/health/sw.js")  # no login needed
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/health/"
    assert "no-cache" in response["Cache-Control"]
    source = Path(finders.find("sameboat/health/sw.js")).read_bytes()
    assert response.content == source
    assert b'"/health/checkin/"' in source and b'method !== "GET"' in source


@pytest.mark.parametrize("url", [URL, "/health/me/", f"{URL}?employee=self"])
def test_no_inline_script_or_style(client_as, hworld, today, url):
    file_checkin(hworld, hworld.employee_a, today - datetime.timedelta(days=1))
    client = client_as(hworld.employee_user)
    html = client.get(url.replace("self", str(hworld.employee_a.pk))).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


# --- Whose check-in it is: the questions speak to the person or about them ---------------------

SELF_WORDING = {
    "en": ["Where are you today?", "Travelled outside your home region", "How do you get to work today?"],
    "zh-hans": ["今天您在哪里？", "近14天是否离开过常驻地区？", "今天的通勤方式"],
}
OTHER_WORDING = {
    "en": [
        "Where is 张三 today?",
        "Has 张三 travelled outside their home region in the last 14 days?",
        "Has 张三 been in contact with a confirmed or suspected case",
        "How does 张三 get to work today?",
        "Enter 张三's temperature",
    ],
    "zh-hans": [
        "今天张三在哪里？",
        "近14天张三是否离开过常驻地区？",
        "近14天张三是否接触过确诊或疑似病例？",
        "张三今天的通勤方式",
    ],
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_questions_speak_to_the_employee_filing_for_themselves(client_as, hworld, language):
    html = client_as(hworld.employee_user).get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in SELF_WORDING[language]:
        assert text in html
    for text in OTHER_WORDING[language]:
        assert text not in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_questions_speak_of_the_person_when_an_officer_files_for_them(client_as, hworld, language):
    url = f"{URL}?employee={hworld.employee_a.pk}"
    html = client_as(hworld.officer_a).get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in OTHER_WORDING[language]:
        assert text in html
    assert SELF_WORDING[language][0] not in html
    assert ("您" if language == "zh-hans" else "your home region") not in field_block(html, "travelled")


def test_a_refused_answer_keeps_the_wording_about_the_person(client_as, hworld):
    url = f"{URL}?employee={hworld.employee_a.pk}"
    response = client_as(hworld.officer_a).post(
        url, answers(hworld, region="", employee=hworld.employee_a.pk), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert "今天张三在哪里？" in field_block(response.content.decode(), "region")
