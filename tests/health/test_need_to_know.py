"""The need-to-know matrix: every health page, export and API endpoint, with every role.

Individual health values (a temperature of 38.7, a case note, a quarantine reason) are for
the person themselves and for the unit officers, managers and HQ whose scope reaches the
person's unit. Every other role sees the returns' counts and rates only: pages of individual
values answer 404, API lists are empty and API details 404, like records out of scope. Each
allowed read of someone else's values leaves exactly one audit event; reading one's own
leaves none. The URLs come from the scope matrix health registers (health/contributions.py); a health URL
registered without a line here, or left unregistered, fails ``test_the_matrix_covers_every_health_url``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest

from sameboat.accounts.roles import HEALTH_VALUE_ROLES, Role
from sameboat.core.contributions import scope_matrix
from sameboat.core.models import AuditEvent
from sameboat.health.models import CaseNote, FollowUpCase
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_start
from tests.factories import UserFactory, grant, make_employee

pytestmark = pytest.mark.django_db

TEMPERATURE = "38.7"
NOTE = "NTK-NOTE-watch-the-cough"
QUARANTINE_REASON = "NTK-QUARANTINE-came-back-from-Hubei"
SECRETS = (TEMPERATURE, NOTE, QUARANTINE_REASON)

# Who asks. Each role is held on company A, above the person's unit A1; "employee" is
# another person on the unit's roster (the employee role reads only its own); "self" is the
# person whose values these are; "nobody" has a login and no role; "outsider" is a unit
# officer of the sibling company B.
WHO = [*(role.value for role in Role), "self", "nobody", "outsider"]
ALLOWED = {str(role) for role in HEALTH_VALUE_ROLES}


def category(who: str) -> str:
    if who in ALLOWED:
        return "allowed"
    if who in {"self", "nobody", "outsider"}:
        return who
    if who == Role.EMPLOYEE:
        return "employee"
    return "reader"  # supplies, logistics, desk, alliance member, viewer


# Expected answers.
V = "values"  # 200, the values are shown, one audit event
S = "own"  # 200, the person's own values, no audit event
A = "aggregate"  # 200, no individual value, no audit event
E = "empty"  # API list: 200 with no result
N = "404"  # absent, like out of scope
R = "redirect"  # the dashboard sends people without a subtree to their check-in
M = "405"  # POST only

CATEGORIES = ("allowed", "reader", "employee", "self", "nobody", "outsider")


def rule(allowed: str, reader: str, employee: str, self_: str, nobody: str, outsider: str) -> dict[str, str]:
    return dict(zip(CATEGORIES, (allowed, reader, employee, self_, nobody, outsider), strict=True))


EVERYONE_AGGREGATE = rule(A, A, A, A, A, A)
EVERYONE_405 = rule(M, M, M, M, M, M)
SCOPED_AGGREGATE = rule(A, A, N, N, N, N)
# A list whose ?org= is a filter: an organisation out of scope is a message beside the field
# (the same as an unknown one) and the list shows the asker's own scope, never A's.
FILTERED_AGGREGATE = rule(A, A, N, N, N, A)


@dataclass(frozen=True)
class Line:
    path: str  # formatted with the fixture's ids
    expect: dict[str, str]
    shows: tuple[str, ...] = (TEMPERATURE,)  # what an allowed (or own) read must show


# url name -> the requests made for it
MATRIX: dict[str, list[Line]] = {
    # --- pages (sameboat/health/urls.py) ---
    "health:dashboard": [Line("/health/?org={ca}", rule(V, A, R, R, R, N))],
    "health:checkin": [
        Line("/health/checkin/", rule(A, A, A, S, A, A)),
        Line("/health/checkin/?employee={person}", rule(V, N, N, S, N, N)),
    ],
    "health:checkin_repeat": [Line("/health/checkin/repeat", EVERYONE_405)],
    "health:my_history": [Line("/health/me/", rule(A, A, A, S, A, A), shows=(TEMPERATURE, QUARANTINE_REASON))],
    "health:cases": [Line("/health/followup/", rule(V, N, N, N, N, A))],
    "health:case": [Line("/health/followup/{case}/", rule(V, N, N, N, N, N), shows=(TEMPERATURE, NOTE))],
    "health:quarantines": [Line("/health/quarantines/", rule(V, N, N, N, N, A), shows=(QUARANTINE_REASON,))],
    "health:quarantine_new": [Line("/health/quarantines/new?employee={person}", rule(A, N, N, N, N, N))],
    "health:quarantine": [
        Line("/health/quarantines/{quarantine}/", rule(V, N, N, S, N, N), shows=(QUARANTINE_REASON,))
    ],
    "health:missing": [Line("/health/missing/?org={ca}", FILTERED_AGGREGATE)],
    "health:fevers": [Line("/health/fevers/?org={ca}", rule(V, N, N, N, N, A))],
    "health:remind": [Line("/health/missing/remind", EVERYONE_405)],
    "health:person_checkins": [Line("/health/people/{person}/checkins/", rule(V, N, N, N, N, N))],
    "health:returns_export": [
        Line("/health/export/returns.csv?org={ca}", SCOPED_AGGREGATE),
        Line("/health/export/returns.xlsx?org={ca}", SCOPED_AGGREGATE),
    ],
    "health:service_worker": [Line("/health/sw.js", EVERYONE_AGGREGATE)],
    "health:manifest": [Line("/health/manifest.webmanifest", EVERYONE_AGGREGATE)],
    # --- API (sameboat/health/api/urls.py) ---
    "health-returns": [Line("/api/v1/health/returns/?org=CA", SCOPED_AGGREGATE)],
    "checkin-list": [Line("/api/v1/checkins/", rule(V, E, E, S, E, E))],
    "checkin-detail": [Line("/api/v1/checkins/{checkin}/", rule(V, N, N, S, N, N))],
    "case-list": [Line("/api/v1/cases/", rule(V, E, E, E, E, E))],
    "case-detail": [Line("/api/v1/cases/{case}/", rule(V, N, N, N, N, N))],
    "quarantine-list": [Line("/api/v1/quarantines/", rule(V, E, E, S, E, E), shows=(QUARANTINE_REASON,))],
    "quarantine-detail": [
        Line("/api/v1/quarantines/{quarantine}/", rule(V, N, N, S, N, N), shows=(QUARANTINE_REASON,))
    ],
}


def registered() -> list[str]:
    """Health's URLs as its app registered them in the scope matrix."""
    return [entry.key for entry in scope_matrix if entry.app == "health"]


def test_the_matrix_covers_every_health_url():
    # tests/test_scope_matrix.py holds the registry to the URLconf; this holds MATRIX to it.
    assert set(registered()) == set(MATRIX), "add the new health URL to MATRIX with who may read what"
    for key in registered():
        roles = scope_matrix[key].roles
        if roles is not None and set(roles) <= ALLOWED:  # registered for the value readers only...
            for line in MATRIX[key]:  # ...so nobody else may see a value there
                assert all(line.expect[c] != V for c in CATEGORIES if c != "allowed"), key


@dataclass
class NTK:
    ids: dict[str, int]
    users: dict[str, object]
    person: object


@pytest.fixture
def ntk(hworld, today) -> NTK:
    """Employee A (login worker_a) with a fever, a case with a note, a quarantine; a user
    per role on company A."""
    person = hworld.employee_a
    checkin, _ = checkin_submit(
        actor=None,
        employee=person,
        day=today,
        temperature=TEMPERATURE,
        symptoms=["taste_smell"],
        travelled=True,
        contact=True,
        region=hworld.regions["home"],
        work_status="cloud",
    )
    case = FollowUpCase.objects.get(employee=person)
    CaseNote.objects.create(case=case, text=NOTE)
    quarantine = quarantine_start(actor=None, employee=person, start=today, reason=QUARANTINE_REASON)
    users: dict[str, object] = {"self": hworld.employee_user, "nobody": hworld.nobody, "outsider": hworld.officer_b}
    for role in Role:
        user = UserFactory(username=f"ntk_{role.value}")
        if role == Role.EMPLOYEE:
            grant(user, hworld.unit_a1, role)
            make_employee(hworld.unit_a1, user=user)  # a colleague: has a roster entry of their own
        else:
            grant(user, hworld.company_a, role)
        users[role.value] = user
    ids = {
        "ca": hworld.company_a.pk,
        "person": person.pk,
        "checkin": checkin.pk,
        "case": case.pk,
        "quarantine": quarantine.pk,
    }
    return NTK(ids, users, person)


def _body(response) -> str:
    """The response as text; a workbook as the text of its cells."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("who", WHO)
def test_need_to_know(client_as, ntk, who):
    """Every health URL, for one asker: the answer, the values shown, the audit events."""
    user = ntk.users[who]
    client = client_as(user)
    problems: list[str] = []
    for name in registered():
        for line in MATRIX[name]:
            path = line.path.format(**ntk.ids)
            expected = line.expect[category(who)]
            last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(path)
            body = _body(response)
            events = list(AuditEvent.objects.filter(pk__gt=last))
            status = {V: 200, S: 200, A: 200, E: 200, N: 404, R: 302, M: 405}[expected]
            where = f"{name} {path} as {who}"
            if response.status_code != status:
                problems.append(f"{where}: {response.status_code}, expected {status}")
                continue
            shown = [s for s in SECRETS if s in body]
            if expected in (V, S):
                missing = [s for s in line.shows if s not in body]
                if missing:
                    problems.append(f"{where}: does not show {missing}")
            elif shown:
                problems.append(f"{where}: shows {shown}")
            if expected == E and json.loads(body)["results"]:
                problems.append(f"{where}: lists {json.loads(body)['results']}")
            if expected == V:
                if len(events) != 1:
                    problems.append(f"{where}: {len(events)} audit events, expected one")
                    continue
                event = events[0]
                if event.actor_id != user.pk or not event.action.endswith(".read"):
                    problems.append(f"{where}: the event is {event.action} by {event.actor_repr}")
                if ntk.person.pk not in (event.after or {}).get("employees", []) or not event.after.get("read"):
                    problems.append(f"{where}: the event does not name what was read: {event.after}")
            elif events:
                problems.append(f"{where}: {[e.action for e in events]} recorded, expected nothing")
    assert not problems, "\n".join(problems)


# --- Scope is by role on the person's unit, and menus offer only what the role can use ---


def test_a_role_without_need_elsewhere_does_not_open_values_here(client_as, api_as, hworld, today):
    """Viewer on company A and officer on company B: B's values, none of A's."""
    user = UserFactory(username="two_hats")
    grant(user, hworld.company_a, Role.VIEWER)
    grant(user, hworld.company_b, Role.UNIT_OFFICER)
    for employee, temperature in ((hworld.employee_a, "38.7"), (hworld.employee_b, "39.1")):
        checkin_submit(
            actor=None,
            employee=employee,
            day=today,
            temperature=temperature,
            region=hworld.regions["home"],
            work_status="cloud",
        )
    client = client_as(user)
    api = api_as(user)
    listed = api.get("/api/v1/checkins/").json()["results"]
    assert [row["temperature"] for row in listed] == ["39.1"]
    cases = {c["employee"] for c in api.get("/api/v1/cases/").json()["results"]}
    assert cases == {hworld.employee_b.pk}
    assert client.get(f"/health/people/{hworld.employee_a.pk}/checkins/").status_code == 404
    assert client.get(f"/health/people/{hworld.employee_b.pk}/checkins/").status_code == 200
    page = client.get(f"/health/?org={hworld.company_a.pk}").content.decode()
    assert "38.7" not in page and 'data-testid="officer-lists"' not in page  # A's counts only
    assert "39.1" in client.get(f"/health/?org={hworld.company_b.pk}").content.decode()
    # Filing for someone shows their answers: only where the role reads them.
    body = {"temperature": "36.6", "region": "CN-SC", "work_status": "on_site"}
    refused = api.post("/api/v1/checkins/", {**body, "employee": hworld.employee_a.pk}, format="json")
    assert refused.status_code == 422 and "employee" in refused.json()["error"]["fields"]
    assert client.get(f"/health/checkin/?employee={hworld.employee_a.pk}").status_code == 404
    filed = api.post("/api/v1/checkins/", {**body, "employee": hworld.employee_b.pk}, format="json")
    assert filed.status_code == 200, filed.content  # today's edited


@pytest.mark.parametrize("who", WHO)
def test_menus_and_tiles_offer_only_pages_the_role_can_use(client_as, ntk, who):
    client = client_as(ntk.users[who])
    pages = [client.get("/").content.decode(), client.get("/health/checkin/").content.decode()]
    dashboard = client.get(f"/health/?org={ntk.ids['ca']}")
    if dashboard.status_code == 200:
        pages.append(dashboard.content.decode())
    offered = {
        link
        for page in pages
        for link in ("/health/followup/", "/health/quarantines/", "/health/people/", "/health/quarantines/new")
        if f'href="{link}' in page
    }
    if category(who) == "allowed":  # the menus, and the dashboard's people with a fever
        assert {"/health/followup/", "/health/quarantines/", "/health/people/"} <= offered
    elif who == "outsider":  # follows up company B: the menus, not A's dashboard
        assert {"/health/followup/", "/health/quarantines/"} <= offered
    elif who == "self":
        # The person's own quarantine is linked from their check-in page, nothing else.
        assert offered <= {"/health/quarantines/"}
    else:
        assert not offered, offered


def test_someone_elses_checkin_upload_is_for_the_roles_that_read_values(client_as, hworld):
    """Its row errors quote temperatures: a viewer of the subtree does not open it."""
    from sameboat.core.models import Job
    from sameboat.health.importers import KIND

    job = Job.objects.create(
        kind=KIND,
        created_by=hworld.officer_a,
        organization=hworld.company_a,
        status="failed",
        errors=[{"row": 2, "field": "temperature", "message": "45.2 °C is not a plausible body temperature"}],
    )
    for user, status in ((hworld.officer_a, 200), (hworld.hq, 200), (hworld.viewer_a, 404), (hworld.officer_b, 404)):
        client = client_as(user)
        for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status"):
            response = client.get(url)
            assert response.status_code == status, (user, url)
            assert (b"45.2" in response.content) == (status == 200), (user, url)
