"""The suite's fixed clock, for tests that depend on the day (see ``frozen_today``)."""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine
from django.conf import settings

# Mid-month, so "yesterday" and "the last 30 days" never straddle a month or a year by
# accident; 08:30 local time, before the check-in cut-off (10:00 by default: a report
# filed now is on time), and far enough from midnight that no test runs into the next day.
FROZEN_NOW = datetime.datetime(2026, 3, 11, 8, 30, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def frozen_clock() -> time_machine.travel:
    """Travel to FROZEN_NOW; the clock keeps ticking from there, so durations and timeouts
    still pass. Not for tests/e2e: the live server and the browser keep their own clocks."""
    return time_machine.travel(FROZEN_NOW, tick=True)
