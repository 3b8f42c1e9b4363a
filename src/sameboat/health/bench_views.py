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

from sameboat.core.db import column
from sameboat.health.fastpath import STAGE_FIELDS
from sameboat.health.models import CheckIn
from sameboat.orgs.models import Employee, Region

# The columns the bare insert fills, in its SELECT's order.
_COLUMNS = (*STAGE_FIELDS, "source", "on_time", "created_at", "updated_at")


@csrf_exempt
@require_POST
def raw_checkin_insert(request: HttpRequest) -> JsonResponse:
    """INSERT one check-in row as fast as the database takes it."""
    data = json.loads(request.body)
    now = timezone.now()
    q = connection.ops.quote_name
    c = {n: column(connection, CheckIn, n) for n in _COLUMNS}
    e_id, e_org, r_id = (
        column(connection, m, n) for m, n in ((Employee, "pk"), (Employee, "organization"), (Region, "pk"))
    )
    sql = (
        f"INSERT INTO {q(CheckIn._meta.db_table)} ({', '.join(c.values())})"  # noqa: S608 - names from the models
        f" SELECT e.{e_id}, e.{e_org}, %s, %s, '[]', r.{r_id},"
        " false, false, %s, 'none', 'api', false, %s, %s"
        f" FROM {q(Employee._meta.db_table)} e, {q(Region._meta.db_table)} r"
        f" WHERE e.{e_id} = %s AND r.{column(connection, Region, 'code')} = %s"
        f" RETURNING {column(connection, CheckIn, 'pk')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
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
