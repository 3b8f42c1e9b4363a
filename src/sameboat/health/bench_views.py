"""The plain alternative that bench/checkin_api measures our endpoint against.

Mounted only when SAMEBOAT_BENCH_ENDPOINTS=true (never in production): it inserts the same
check-in row with one raw SQL statement and nothing else — no auth, no validation, no
idempotency, no roll-up, no audit.
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def raw_checkin_insert(request: HttpRequest) -> JsonResponse:
    """INSERT one check-in row as fast as the database takes it."""
    data = json.loads(request.body)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO health_checkin (employee_id, organization_id, day, temperature, symptoms, region_id,"
            " travelled, contact, work_status, commute_mode, source, on_time, created_at, updated_at)"
            " SELECT e.id, e.organization_id, %s, %s, '[]', r.id, false, false, %s, 'none', 'api', false, %s, %s"
            " FROM orgs_employee e, orgs_region r WHERE e.id = %s AND r.code = %s RETURNING id",
            [
                timezone.localdate(),
                data["temperature"],
                data["work_status"],
                now,
                now,
                data["employee"],
                data["region"],
            ],
        )
        row = cursor.fetchone()
    return JsonResponse({"id": row[0] if row else None}, status=201)
