"""Rows per second of a 200,000-row check-in upload into PostgreSQL, end to end from the
file's bytes to committed, validated, rolled-up rows, divided by PostgreSQL binary COPY of
the same rows (into a table shaped and indexed like the check-in table) in the same run.
Goal (issue 16): median ratio >= 0.5 over alternating rounds (``bench.timing``). Also: the
xlsx upload's rate against the csv's (goal >= 0.5) and the peak memory the upload adds
(goal < 300 MB, the highest round's).
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

from bench.timing import alternate, judged

UNITS = 500
PER_UNIT = 400
ROWS = UNITS * PER_UNIT
ROUNDS = 5
GOAL = 0.5


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
    from sameboat.health.models import CheckIn, DailyReturn, FollowUpCase

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
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM orgs_region WHERE code = 'CN-SC'")
            region_id = cursor.fetchone()[0]
        now = timezone.now()
        from decimal import Decimal

        typed = [
            (
                *by_no[r[0]],
                today,
                Decimal(r[2]),
                "[]",
                region_id,
                False,
                False,
                r[7],
                r[8],
                "import",
                False,
                now,
                now,
            )
            for r in rows
        ]
        columns = (
            "employee_id, organization_id, day, temperature, symptoms, region_id, travelled, contact,"
            " work_status, commute_mode, source, on_time, created_at, updated_at"
        )
        types = [
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

        def copy_round() -> float:
            with connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TABLE bench_copy (LIKE health_checkin INCLUDING DEFAULTS INCLUDING IDENTITY"
                    " INCLUDING INDEXES INCLUDING CONSTRAINTS)"
                )
            started = time.perf_counter()
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY bench_copy ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
            ):
                copy.set_types(types)
                for t in typed:
                    copy.write_row(t)
            seconds = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE bench_copy")
            return ROWS / seconds

        def clear() -> None:
            # Each round starts from the same empty day, as the first upload of a morning does.
            CheckIn.objects.all().delete()
            DailyReturn.objects.all().delete()
            FollowUpCase.objects.all().delete()
            if not connection.in_atomic_block:  # VACUUM cannot run in a transaction
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE health_checkin")

        peaks: list[float] = []

        def csv_round() -> float:
            clear()
            with PeakRSS() as mem:
                started = time.perf_counter()
                result = import_checkins(path=csv_path, name="checkins.csv", actor=hq)
                seconds = time.perf_counter() - started
            assert result["created"] == ROWS, result
            peaks.append(mem.added_mb)
            return ROWS / seconds

        pairs = alternate(csv_round, copy_round, rounds=ROUNDS, warmup=1)
        typed.clear()  # memory back before the xlsx upload is measured
        clear()
        with PeakRSS() as xlsx_mem:
            started = time.perf_counter()
            result = import_checkins(path=xlsx_path, name="checkins.xlsx", actor=hq)
            xlsx_seconds = time.perf_counter() - started
        assert result["created"] == ROWS, result

    csv_rates = sorted(c for c, _b in pairs)
    copy_rates = sorted(b for _c, b in pairs)
    csv_rate = csv_rates[len(csv_rates) // 2]
    xlsx_rate = ROWS / xlsx_seconds
    yield {
        **judged([c / b for c, b in pairs], goal=GOAL, at_least=True),
        "detail": {
            "rows": ROWS,
            "copy_rows_per_s": round(copy_rates[len(copy_rates) // 2]),
            "csv_rows_per_s": round(csv_rate),
            "xlsx_rows_per_s": round(xlsx_rate),
            "xlsx_vs_csv": round(xlsx_rate / csv_rate, 3),
            "csv_peak_added_mb": max(peaks),
            "xlsx_peak_added_mb": xlsx_mem.added_mb,
            "goal": f"ratio >= {GOAL}; xlsx_vs_csv >= 0.5; peak < 300 MB",
        },
    }
