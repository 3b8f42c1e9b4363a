"""The employee's home page says whether today's check-in is done (issue 9): "已打卡 ✓" with
the time, or "not yet" with a one-tap way to the form (and "same as yesterday" when allowed)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sameboat.health.services.checkins import checkin_submit

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _file(w, day, **fields):
    values = {"temperature": "36.4", "region": w.regions["home"], "work_status": "cloud", **fields}
    return checkin_submit(actor=None, employee=w.employee_a, day=day, **values)[0]


def _home(client) -> str:
    response = client.get(reverse("core:home"), **ZH)
    assert response.status_code == 200
    assert response.templates[0].name == "core/home_personal.html"
    return response.content.decode()


def test_not_yet_offers_the_form_in_one_tap(client_as, hworld):
    page = _home(client_as(hworld.employee_user))
    assert 'data-testid="home-checkin-not-yet"' in page and "今天还未打卡" in page
    assert re.search(r'href="/health/checkin/"[^>]*data-testid="home-checkin-go"', page)
    assert "立即打卡" in page
    # Nothing filed yesterday: nothing to repeat.
    assert "home-checkin-repeat" not in page
    assert "已打卡" not in page


def test_not_yet_offers_same_as_yesterday_after_a_healthy_yesterday(client_as, hworld, today):
    _file(hworld, today - datetime.timedelta(days=1))
    page = _home(client_as(hworld.employee_user))
    assert 'data-testid="home-checkin-repeat"' in page and "同昨日" in page
    assert 'action="/health/checkin/repeat"' in page


def test_no_repeat_after_a_fever_yesterday(client_as, hworld, today):
    _file(hworld, today - datetime.timedelta(days=1), temperature="38.2")
    page = _home(client_as(hworld.employee_user))
    assert 'data-testid="home-checkin-not-yet"' in page and "home-checkin-repeat" not in page


def test_done_says_so_with_the_time(client_as, hworld, today):
    checkin = _file(hworld, today)
    page = _home(client_as(hworld.employee_user))
    time = timezone.localtime(checkin.updated_at).strftime("%H:%M")
    assert f"已打卡 ✓（{time}）" in page
    assert 'data-testid="home-checkin-done"' in page and "home-checkin-not-yet" not in page
    assert "修改今天的打卡" in page


def test_no_card_without_a_roster_entry(client_as, hworld):
    page = _home(client_as(hworld.nobody))
    assert "home-checkin" not in page
