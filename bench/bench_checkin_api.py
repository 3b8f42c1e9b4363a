"""Check-ins per second through the real server against PostgreSQL, everything included
(token auth, validation, idempotency key, roll-up, audit), divided by requests per second of
a bare view on the same server that inserts the same row with one raw SQL INSERT.

Goal (issue 16): median ratio >= 0.6 over alternating rounds of both sides, after a warm-up
of each (``bench.timing``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from bench.timing import alternate, judged

UNITS = 50  # people enough for every request of all rounds to file someone new
PER_UNIT = 1000
SECONDS = 4.0
ROUNDS = 5
GOAL = 0.6
CLIENTS = 6
WORKERS = 3


def _build() -> tuple[str, list[int]]:
    from knox.models import AuthToken

    from sameboat.accounts.models import Membership, User
    from sameboat.accounts.roles import Role
    from sameboat.orgs.models import Employee, Organization, Region, RegionRule

    region = Region.objects.get_or_create(code="CN-SC", defaults={"name_zh": "四川", "name_en": "Sichuan"})[0]
    RegionRule.objects.create(
        region=region, effective_from="2020-01-01", risk_level="low", max_onsite_ratio="0.8", quarantine_days=14
    )
    group = Organization.objects.add_root(
        create_kwargs={"code": "G", "name_zh": "集团", "name_en": "Group", "kind": "group", "region": region}
    )
    rows = []
    for u in range(UNITS):
        group.refresh_from_db()
        unit = Organization.objects.add_child(
            group,
            create_kwargs={
                "code": f"U{u:03d}",
                "name_zh": f"单位{u}",
                "name_en": f"Unit {u}",
                "kind": "unit",
                "region": region,
            },
        )
        rows += [
            Employee(organization=unit, group=group, employee_no=f"E{u:03d}{i:05d}", name=f"员工{u}-{i}")
            for i in range(PER_UNIT)
        ]
    Employee.objects.bulk_create(rows, batch_size=5000)
    hq = User.objects.create(username="bench-hq")
    Membership.objects.create(user=hq, organization=group, role=Role.HQ_COMMANDER)
    _instance, token = AuthToken.objects.create(user=hq)
    # As in production, where `sameboat health_open_day` runs after midnight.
    from django.utils import timezone

    from sameboat.health.services.rollup import returns_open_day

    returns_open_day(timezone.localdate())
    ids = list(Employee.objects.order_by("organization__path", "id").values_list("id", flat=True))
    # Interleave units so concurrent requests hit different units, as mornings do.
    interleaved = [ids[u * PER_UNIT + i] for i in range(PER_UNIT) for u in range(UNITS)]
    return token, interleaved


def run() -> Iterator[dict[str, Any]]:
    """Alternate raw and full rounds on one server and compare their rates."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield {"skipped": "needs PostgreSQL (set DATABASE_URL or run a local server)"}
        return
    from bench.server import gunicorn, load

    token, employees = _build()
    body = {"temperature": "36.6", "region": "CN-SC", "work_status": "on_site"}

    def ours(n: int) -> tuple[dict[str, Any], dict[str, str]]:
        return (
            {**body, "employee": employees[n]},
            {"Authorization": f"Token {token}", "Idempotency-Key": uuid.uuid4().hex},
        )

    def raw(n: int) -> tuple[dict[str, Any], dict[str, str]]:
        return {**body, "employee": employees[n]}, {}

    results: dict[str, list[dict[str, Any]]] = {"ours": [], "raw": []}
    position = 0

    with gunicorn(workers=WORKERS) as host:

        def side(name: str, path: str, maker: Any, seconds: float) -> float:
            nonlocal position
            outcome = load(host, path=path, make_request=maker, seconds=seconds, clients=CLIENTS, start_at=position)
            # Each request files a new person: no round reuses another's people.
            position = outcome["next"] + 10
            results[name].append(outcome)
            return float(outcome["rps"])

        side("raw", "/bench/raw-checkin", raw, 1.0)  # warm-up: workers, connections, caches
        side("ours", "/api/v1/checkins/", ours, 1.0)
        pairs = alternate(
            lambda: side("ours", "/api/v1/checkins/", ours, SECONDS),
            lambda: side("raw", "/bench/raw-checkin", raw, SECONDS),
            rounds=ROUNDS,
            warmup=0,
        )
    kept = {name: runs[-ROUNDS:] for name, runs in results.items()}
    ours_rps = sorted(a for a, _b in pairs)[ROUNDS // 2]
    raw_rps = sorted(b for _a, b in pairs)[ROUNDS // 2]
    yield {
        **judged([a / b for a, b in pairs], goal=GOAL, at_least=True),
        "detail": {
            "ours_rps": round(ours_rps, 1),
            "raw_rps": round(raw_rps, 1),
            "ours_p50_ms": sorted(r["p50_ms"] or 0 for r in kept["ours"])[ROUNDS // 2],
            "raw_p50_ms": sorted(r["p50_ms"] or 0 for r in kept["raw"])[ROUNDS // 2],
            "ours_errors": sum(r["errors"] for r in results["ours"]),
            "raw_errors": sum(r["errors"] for r in results["raw"]),
            "statuses": kept["ours"][-1]["statuses"],
            "server": f"gunicorn sync x{WORKERS}",
            "clients": CLIENTS,
            "seconds_per_side": SECONDS,
            "goal": f">= {GOAL}",
        },
    }
