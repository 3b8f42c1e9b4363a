"""The organisation import: file order, idempotence, moves, bad rows, scope, one audit event."""

from __future__ import annotations

import pytest

from sameboat.accounts.roles import Role
from sameboat.core.import_kinds import errors_in_words
from sameboat.core.models import AuditEvent, Job
from sameboat.orgs.models import Organization, Region
from tests.factories import UserFactory, grant
from tests.orgs.test_import import _uploads_in_tmp, run  # noqa: F401 - the fixture applies here too

pytestmark = pytest.mark.django_db

HEADER = (
    "Code,Chinese name,English name,Kind,Parent code,Country,Region code,Address,Contact e-mail,Contact phone,Active\n"
)


def snapshot():
    return set(Organization.objects.values_list("code", "path", "name_en", "kind", "is_active"))


def test_children_are_created_in_file_order_and_reimport_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    Region.objects.create(code="LK-1", name_zh="科伦坡", name_en="Colombo")
    text = HEADER + (
        "CA2,甲二单位,Unit A2,unit,CA,CN,,,,,\n"
        "CA2D,甲二部门,Dept A2,部门,CA2,,,,,,\n"  # the kind by its Chinese label, the parent from the row above
        "CAL,斯里兰卡办事处,Sri Lanka office,Overseas office,CA,lk,lk-1,Colombo 3,lk@example.test,+94 11,yes\n"
    )
    job = run(client, world.hq, text, django_capture_on_commit_callbacks, kind="organizations", name="o.csv")
    assert job.status == "succeeded", (job.error_message, job.errors)
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (3, 0, 0)
    dept = Organization.objects.get(code="CA2D")
    assert dept.kind == "department" and Organization.objects.get_parent(dept).code == "CA2"
    office = Organization.objects.get(code="CAL")
    assert (office.country.code, office.region.code, office.contact_email) == ("LK", "LK-1", "lk@example.test")
    assert Organization.objects.get_parent(office) == world.company_a
    event = AuditEvent.objects.get(action="orgs.import.organizations")
    assert event.after["created"] == 3 and set(event.after["organizations"]) == {"CA2", "CA2D", "CAL"}

    again = run(client, world.hq, text, django_capture_on_commit_callbacks, kind="organizations", name="o.csv")
    assert (again.result["created"], again.result["updated"], again.result["unchanged"]) == (0, 0, 3)
    assert AuditEvent.objects.filter(action="orgs.import.organizations").count() == 2
    assert not AuditEvent.objects.filter(action__startswith="orgs.organization.").exists()  # one event per import


def test_changes_and_moves_are_updates_with_their_before_values(client, world, django_capture_on_commit_callbacks):
    text = HEADER + "CA1,甲一单位,Unit A1 renamed,unit,CB,,,,,,no\n"  # HQ moves CA1 to company B
    job = run(client, world.hq, text, django_capture_on_commit_callbacks, kind="organizations", name="o.csv")
    assert job.status == "succeeded", job.errors
    assert job.result["updated"] == 1
    unit = Organization.objects.get(code="CA1")
    assert (unit.name_en, unit.is_active) == ("Unit A1 renamed", False)
    assert Organization.objects.get_parent(unit) == world.company_b
    event = AuditEvent.objects.get(action="orgs.import.organizations")
    assert event.before["CA1"] == {"name_en": "Unit A1", "is_active": True, "parent": "CA"}
    assert event.after["organizations"]["CA1"]["parent"] == "CB"


def test_superuser_may_add_a_tree_root(client, world, django_capture_on_commit_callbacks):
    admin = UserFactory(username="root-admin", is_superuser=True, is_staff=True)
    text = (
        HEADER
        + "ALLY,行业协会联盟,Alliance,association,,,,,,,\nASSN1,电力协会,Power association,association,ALLY,,,,,,\n"
    )
    job = run(client, admin, text, django_capture_on_commit_callbacks, kind="organizations", name="o.csv")
    assert job.status == "succeeded", job.errors
    assert Organization.objects.get(code="ALLY").is_root()
    assert Organization.objects.get_parent(Organization.objects.get(code="ASSN1")).code == "ALLY"


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        ("NEW1,新,New,unit,,,,,,,", "Parent code", "Only an administrator"),
        ("NEW1,新,New,unit,CB,,,,,,", "Parent code", "No organisation CB that you manage"),  # the sibling
        ("NEW1,新,New,unit,LATER,,,,,,", "Parent code", "No organisation LATER"),
        ("NEW1,新,New,spaceship,CA,,,,,,", "Kind", "Unknown kind spaceship"),
        ("NEW1,,New,unit,CA,,,,,,", "Chinese name", "name is missing"),
        ("NEW1,新,New,unit,CA,XX,,,,,", "Country", "Unknown country code XX"),
        ("NEW1,新,New,unit,CA,,NOPE,,,,", "Region code", "Unknown region code NOPE"),
        ("NEW1,新,New,unit,CA,,,,bad-mail,,", "Contact e-mail", "not an e-mail"),
        ("NEW1,新,New,unit,CA,,,,,,perhaps", "Active", "not yes or no"),
        ("NEW1,新,New,unit,NEW1,,,,,,", "Parent code", "its own parent"),
        ("CA,甲公司,Company A,company,CA1,,,,,,", "Parent code", "under itself"),
        ("CB1,乙一,B1,unit,CA,,,,,,", "Code", "you may not change it"),  # exists, out of scope
        (",新,New,unit,CA,,,,,,", "Code", "code is missing"),
    ],
)
def test_bad_rows_store_nothing(client, world, django_capture_on_commit_callbacks, line, column, fragment):
    grant(world.officer_a, world.company_a, Role.UNIT_MANAGER)  # an administrator of company A
    before = snapshot()
    text = HEADER + "GOOD1,好,Good,unit,CA,,,,,,\n" + line + "\n"
    job = run(client, world.officer_a, text, django_capture_on_commit_callbacks, kind="organizations", name="o.csv")
    assert job.status == "failed"
    errors = errors_in_words(job.kind, job.errors)
    assert [(e["row"], e["column"]) for e in errors] == [(3, column)], errors
    assert fragment in errors[0]["message"], errors
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="orgs.import.organizations").exists()


def test_duplicate_code_and_a_child_of_a_bad_row_are_named(client, world, django_capture_on_commit_callbacks):
    text = HEADER + "N1,新一,New 1,unit,CA,,,,,,\nN1,新一,New 1 again,unit,CA,,,,,,\nN2,新二,New 2,nope,CA,,,,,,\n"
    text += "N3,新三,New 3,department,N2,,,,,,\n"
    job = run(client, world.hq, text, django_capture_on_commit_callbacks, kind="organizations", name="o.csv")
    assert job.status == "failed"
    messages = {e["row"]: e["message"] for e in errors_in_words(job.kind, job.errors)}
    assert messages[3] == "Duplicate of row 2."
    assert "Unknown kind" in messages[4] and "row 4" in messages[5]
    assert not Organization.objects.filter(code__startswith="N").exists()


def test_keep_valid_rows(client, world, django_capture_on_commit_callbacks):
    text = HEADER + "N1,新一,New 1,unit,CA,,,,,,\nN2,新二,New 2,nope,CA,,,,,,\n"
    job = run(
        client, world.hq, text, django_capture_on_commit_callbacks, kind="organizations", name="o.csv", keep_valid=True
    )
    assert job.status == "succeeded" and (job.result["created"], job.result["skipped"]) == (1, 1)
    assert Organization.objects.filter(code="N1").exists() and not Organization.objects.filter(code="N2").exists()
    assert job.result["errors"][0]["row"] == 3


def test_officer_without_admin_role_may_not_import_organisations(client, world, django_capture_on_commit_callbacks):
    from tests.orgs.test_import import post

    response = post(
        client,
        world.officer_a,
        (HEADER + "N1,新一,New 1,unit,CA,,,,,,\n").encode(),
        kind="organizations",
        capture=django_capture_on_commit_callbacks,
    )
    assert (
        response.status_code == 200 and "organizations is not one of the available choices" in response.content.decode()
    )
    assert not Job.objects.exists()
