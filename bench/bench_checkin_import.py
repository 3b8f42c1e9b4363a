"""Rows per second of a 200,000-row check-in upload into PostgreSQL, end to end from the
file's bytes to committed, validated, rolled-up rows, divided by PostgreSQL binary COPY of
the same rows (into a table shaped and indexed like the check-in table) in the same run.
Goal (issue 3): ratio >= 0.4. Also: the xlsx upload's rate against the csv's (goal >= 0.5)
and the peak memory the upload adds (goal < 300 MB).
"""

from __future__ import annotations

import csv
import datetime
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

UNITS = 500
PER_UNIT = 400
ROWS = UNITS * PER_UNIT


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakRSS:
    """Samples the process's resident memory while a block runs."""

    def __enter__(self) -> PeakRSS:
        self.base = _rss_mb()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def added_mb(self) -> float:
        return round(self.peak - self.base, 1)


def _build() -> tuple[Any, list[tuple[str, int, int]]]:
    from sameboat.accounts.models import Membership, User
    from sameboat.accounts.roles import Role
    from sameboat.orgs.models import Employee, Organization, Region

    Region.objects.get_or_create(code="CN-SC", defaults={"name_zh": "四川", "name_en": "Sichuan"})[0]
    group = Organization.objects.add_root(
        create_kwargs={"code": "IG", "name_zh": "集团", "name_en": "Group", "kind": "group"}
    )
    batch: list[Employee] = []
    n = 0
    for u in range(UNITS):
        group.refresh_from_db()
        unit = Organization.objects.add_child(
            group, create_kwargs={"code": f"IU{u:03d}", "name_zh": f"单位{u}", "name_en": f"Unit {u}", "kind": "unit"}
        )
        for _ in range(PER_UNIT):
            n += 1
            batch.append(Employee(organization=unit, group=group, employee_no=f"I{n:07d}", name=f"员工{n}"))
        if len(batch) >= 20000:
            Employee.objects.bulk_create(batch)
            batch = []
    Employee.objects.bulk_create(batch)
    hq = User.objects.create(username="bench-import-hq")
    Membership.objects.create(user=hq, organization=group, role=Role.HQ_COMMANDER)
    return hq, list(Employee.objects.filter(group=group).values_list("employee_no", "id", "organization_id"))


def _rows(employees: list[tuple[str, int, int]], day: datetime.date) -> list[list[Any]]:
    statuses = ["on_site", "on_site", "on_site", "cloud", "leave"]
    rows = []
    for i, (no, _pk, _org) in enumerate(employees):
        temp = 36.0 + (i % 12) / 10  # 36.0 … 37.1
        if i % 997 == 0:
            temp = 37.8  # a few fevers
        rows.append([no, day.isoformat(), f"{temp:.1f}", "", "CN-SC", "no", "no", statuses[i % 5], "car"])
    return rows


HEADER = [
    "employee_no",
    "day",
    "temperature",
    "symptoms",
    "region",
    "travelled",
    "contact",
    "work_status",
    "commute_mode",
]


def run() -> Iterator[dict[str, Any]]:
    """Time COPY of the rows, then the csv upload, then the xlsx upload of the same rows."""
    from django.db import connection, transaction
    from django.utils import timezone

    if connection.vendor != "postgresql":
        yield {"skipped": "needs PostgreSQL (set DATABASE_URL or run a local server)"}
        return
    from sameboat.health.importers import import_checkins
    from sameboat.health.models import CheckIn

    hq, employees = _build()
    today = timezone.localdate()
    rows = _rows(employees, today)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "checkins.csv"
        with csv_path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows)
        xlsx_path = Path(tmp) / "checkins.xlsx"
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        book.save(xlsx_path)

        # The physical limit: binary COPY of the same, already-typed rows into a table shaped
        # and indexed like health_checkin.
        by_no = {no: (pk, org) for no, pk, org in employees}
        typed = [
            (by_no[r[0]][0], by_no[r[0]][1], today, r[2], "[]", None, False, False, r[7], r[8], "import", False)
            for r in rows
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM orgs_region WHERE code = 'CN-SC'")
            region_id = cursor.fetchone()[0]
            cursor.execute(
                "CREATE TABLE bench_copy (LIKE health_checkin INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES"
                " INCLUDING CONSTRAINTS)"
            )
        typed = [(*t[:5], region_id, *t[6:]) for t in typed]
        columns = (
            "employee_id, organization_id, day, temperature, symptoms, region_id, travelled, contact,"
            " work_status, commute_mode, source, on_time, created_at, updated_at"
        )
        now = timezone.now()
        from decimal import Decimal

        typed = [(*t[:3], Decimal(t[3]), *t[4:], now, now) for t in typed]
        started = time.perf_counter()
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY bench_copy ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(
                [
                    "int8",
                    "int8",
                    "date",
                    "numeric",
                    "jsonb",
                    "int8",
                    "bool",
                    "bool",
                    "varchar",
                    "varchar",
                    "varchar",
                    "bool",
                    "timestamptz",
                    "timestamptz",
                ]
            )
            for t in typed:
                copy.write_row(t)
        copy_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_copy")
        del typed

        with PeakRSS() as csv_mem:
            started = time.perf_counter()
            result = import_checkins(path=csv_path, name="checkins.csv", actor=hq)
            csv_seconds = time.perf_counter() - started
        assert result["created"] == ROWS, result
        CheckIn.objects.all().delete()
        from sameboat.health.models import DailyReturn, FollowUpCase

        DailyReturn.objects.all().delete()
        FollowUpCase.objects.all().delete()
        with PeakRSS() as xlsx_mem:
            started = time.perf_counter()
            result = import_checkins(path=xlsx_path, name="checkins.xlsx", actor=hq)
            xlsx_seconds = time.perf_counter() - started
        assert result["created"] == ROWS, result

    copy_rate = ROWS / copy_seconds
    csv_rate = ROWS / csv_seconds
    xlsx_rate = ROWS / xlsx_seconds
    yield {
        "ratio": round(csv_rate / copy_rate, 3),
        "detail": {
            "rows": ROWS,
            "copy_rows_per_s": round(copy_rate),
            "csv_rows_per_s": round(csv_rate),
            "xlsx_rows_per_s": round(xlsx_rate),
            "xlsx_vs_csv": round(xlsx_rate / csv_rate, 3),
            "csv_peak_added_mb": csv_mem.added_mb,
            "xlsx_peak_added_mb": xlsx_mem.added_mb,
            "goal": "ratio >= 0.4; xlsx_vs_csv >= 0.5; peak < 300 MB",
        },
    }
