"""``notify(merge_key=...)``: the same reminder or alert to the same person on the same day
lands once, enforced by the database, so racing senders cannot double it either."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from sameboat.core.models import Notification
from sameboat.core.notify import merge_key_for, notify

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 11)
EVENT = "health.checkin.reminder"


def _send(world, capture, *, key: str, recipients=None) -> None:
    with capture(execute=True):
        notify(event=EVENT, recipients=recipients or [world.officer_a], params={"day": DAY.isoformat()}, merge_key=key)


def test_two_sends_with_one_key_make_one_row(world, django_capture_on_commit_callbacks):
    key = merge_key_for(EVENT, world.unit_a1, DAY)
    _send(world, django_capture_on_commit_callbacks, key=key)
    _send(world, django_capture_on_commit_callbacks, key=key, recipients=[world.officer_a, world.officer_b])
    assert Notification.objects.filter(recipient=world.officer_a).count() == 1
    assert Notification.objects.filter(recipient=world.officer_b).count() == 1  # new to them: sent


def test_two_sends_in_one_transaction_make_one_row(world, django_capture_on_commit_callbacks):
    key = merge_key_for(EVENT, world.unit_a1, DAY)
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=EVENT, recipients=[world.officer_a], params={"day": DAY.isoformat()}, merge_key=key)
        notify(event=EVENT, recipients=[world.officer_a], params={"day": DAY.isoformat()}, merge_key=key)
    assert Notification.objects.filter(recipient=world.officer_a).count() == 1


def test_another_day_or_subject_is_another_message(world, django_capture_on_commit_callbacks):
    _send(world, django_capture_on_commit_callbacks, key=merge_key_for(EVENT, world.unit_a1, DAY))
    _send(world, django_capture_on_commit_callbacks, key=merge_key_for(EVENT, world.unit_a1, DAY.replace(day=12)))
    _send(world, django_capture_on_commit_callbacks, key=merge_key_for(EVENT, world.unit_b1, DAY))
    assert Notification.objects.filter(recipient=world.officer_a).count() == 3


def test_without_a_key_nothing_is_merged(world, django_capture_on_commit_callbacks):
    _send(world, django_capture_on_commit_callbacks, key="")
    _send(world, django_capture_on_commit_callbacks, key="")
    assert Notification.objects.filter(recipient=world.officer_a).count() == 2


def test_the_database_refuses_a_second_row_with_the_key(world):
    Notification.objects.create(recipient=world.officer_a, event=EVENT, merge_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=world.officer_a, event=EVENT, merge_key="k")


def test_the_key_names_event_subject_and_day(world):
    assert merge_key_for(EVENT, world.unit_a1, DAY) == f"{EVENT}:{world.unit_a1.pk}:2026-03-11"
