"""Pass 2 of the check-in upload written with the ORM: the plain counterpart of the
staging table's set-based statements (``health.fastpath.stage_apply`` and
``stage_follow_up_keys``). It runs when the fast paths are turned off
(``SAMEBOAT_FAST_PATHS=false``), and tests/health/test_fastpath.py holds the two equal."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.utils import timezone

from sameboat.health.models import FEVER_THRESHOLD, CheckIn, CheckInRevision, Source
from sameboat.health.selectors import ARRIVAL_LOOKBACK_DAYS
from sameboat.health.services.checkins import VALUE_FIELDS, checkin_values

# Rows read, compared and written at a time.
CHUNK = 2000


def spool_rows(spool: IO[str]) -> Iterator[dict[str, Any]]:
    """The spool's lines (pass 1's COPY text) as check-in values."""
    spool.seek(0)
    for line in spool:
        v = line.rstrip("\n").split("\t")
        yield {
            "employee_id": int(v[0]),
            "organization_id": int(v[1]),
            "day": datetime.date.fromisoformat(v[2]),
            "temperature": Decimal(v[3]),
            "symptoms": json.loads(v[4]),
            "region_id": int(v[5]),
            "travelled": v[6] == "t",
            "contact": v[7] == "t",
            "work_status": v[8],
            "commute_mode": v[9],
        }


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def apply_rows(spool: IO[str], *, actor: Any) -> dict[str, Any]:
    """New reports inserted, changed ones updated with a revision of their old values,
    unchanged ones left alone; returns the counts and the (unit, day) ``pairs`` touched."""
    actor_id = getattr(actor, "pk", None)
    now = timezone.now()
    counts = {"rows": 0, "created": 0, "updated": 0}
    pairs: set[tuple[int, datetime.date]] = set()
    for chunk in _chunks(spool_rows(spool)):
        existing = {
            (c.employee_id, c.day): c
            for c in CheckIn.objects.filter(
                employee_id__in={r["employee_id"] for r in chunk}, day__in={r["day"] for r in chunk}
            )
        }
        new, changed, revisions = [], [], []
        for row in chunk:
            pairs.add((row["organization_id"], row["day"]))
            checkin = existing.get((row["employee_id"], row["day"]))
            if checkin is None:
                new.append(CheckIn(**row, source=Source.IMPORT, on_time=False, submitted_by_id=actor_id))
                continue
            before = checkin_values(checkin)
            for name in VALUE_FIELDS:
                setattr(checkin, name, row[name])
            if checkin_values(checkin) == before:
                continue
            checkin.source = Source.IMPORT
            checkin.updated_at = now
            changed.append(checkin)
            revisions.append(CheckInRevision(checkin=checkin, values=before, actor_id=actor_id))
        CheckIn.objects.bulk_create(new)
        CheckInRevision.objects.bulk_create(revisions)
        CheckIn.objects.bulk_update(changed, [*VALUE_FIELDS, "source", "updated_at"], batch_size=500)
        counts["rows"] += len(chunk)
        counts["created"] += len(new)
        counts["updated"] += len(changed)
    return {**counts, "pairs": pairs}


def follow_up_keys(spool: IO[str]) -> tuple[set[tuple[int, datetime.date]], set[tuple[int, datetime.date]]]:
    """The (person, day) of the rows with fever, symptoms or contact, and of those arriving
    from another region (a check-in of the 14 days before in another region)."""
    flagged: set[tuple[int, datetime.date]] = set()
    arriving: set[tuple[int, datetime.date]] = set()
    window = datetime.timedelta(days=ARRIVAL_LOOKBACK_DAYS)
    for chunk in _chunks(spool_rows(spool)):
        flagged |= {
            (r["employee_id"], r["day"])
            for r in chunk
            if r["temperature"] >= FEVER_THRESHOLD or r["contact"] or r["symptoms"]
        }
        earlier: dict[int, list[tuple[datetime.date, int]]] = {}
        for employee_id, day, region_id in CheckIn.objects.filter(
            employee_id__in={r["employee_id"] for r in chunk},
            day__gte=min(r["day"] for r in chunk) - window,
            day__lt=max(r["day"] for r in chunk),
        ).values_list("employee_id", "day", "region_id"):
            earlier.setdefault(employee_id, []).append((day, region_id))
        arriving |= {
            (r["employee_id"], r["day"])
            for r in chunk
            if any(
                r["day"] - window <= day < r["day"] and region_id != r["region_id"]
                for day, region_id in earlier.get(r["employee_id"], ())
            )
        }
    return flagged, arriving
