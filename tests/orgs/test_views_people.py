"""Roster pages: the list, its exports, one person, editing and adding."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Employee
from tests.factories import RegionFactory, make_employee

pytestmark = pytest.mark.django_db


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


# --- the list -----------------------------------------------------------------------------------


def test_people_needs_login(client, world):
    response = client.get(reverse("orgs:people"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_people_lists_the_roster_in_scope(client_as, world):
    html = client_as(world.officer_a).get(reverse("orgs:people")).content.decode()
    assert 'data-testid="people-table"' in html
    assert 'data-testid="person-row-A-001"' in html
    assert "B-001" not in html and "李四" not in html


def test_people_sibling_does_not_see_company_a(client_as, world):
    html = client_as(world.officer_b).get(reverse("orgs:people")).content.decode()
    assert "person-row-B-001" in html and "A-001" not in html


def test_people_filter_by_org_code_or_id(client_as, world):
    client = client_as(world.hq)
    by_code = client.get(reverse("orgs:people"), {"org": "CB"})
    assert [e.employee_no for e in by_code.context["page"]] == ["B-001"]
    by_id = client.get(reverse("orgs:people"), {"org": str(world.unit_a1.pk)})
    assert [e.employee_no for e in by_id.context["page"]] == ["A-001"]


def test_people_filter_by_org_out_of_scope_reads_as_unknown(client_as, world):
    """Not a 404 page: a message beside the field, the same as for an unknown code, and the
    list of what the person may see."""
    response = client_as(world.officer_b).get(reverse("orgs:people"), {"org": "CA"})
    unknown = client_as(world.officer_b).get(reverse("orgs:people"), {"org": "XX"})
    assert response.status_code == unknown.status_code == 200
    assert response.context["form"].errors["org"] == [unknown.context["form"].errors["org"][0].replace("XX", "CA")]
    assert [e.employee_no for e in response.context["page"]] == ["B-001"]


def test_people_search_and_active_filters(client_as, world):
    make_employee(world.unit_a1, employee_no="A-002", name="王五", is_active=False)
    client = client_as(world.officer_a)
    assert [e.employee_no for e in client.get(reverse("orgs:people"), {"q": "张"}).context["page"]] == ["A-001"]
    assert [e.employee_no for e in client.get(reverse("orgs:people"), {"active": "0"}).context["page"]] == ["A-002"]
    everyone = client.get(reverse("orgs:people"), {"active": "all"}).context["page"]
    assert [e.employee_no for e in everyone] == ["A-001", "A-002"]
    assert [e.employee_no for e in client.get(reverse("orgs:people")).context["page"]] == ["A-001"]


def test_people_is_paged_by_fifty(client_as, world):
    for i in range(60):
        make_employee(world.unit_a1, employee_no=f"P-{i:03d}")
    response = client_as(world.officer_a).get(reverse("orgs:people"), {"page": 2})
    assert len(response.context["page"].object_list) == 11
    assert 'data-testid="pager"' in response.content.decode()


def test_people_query_count_does_not_grow_with_rows(client_as, world, django_assert_max_num_queries):
    region = RegionFactory()
    for i in range(45):
        make_employee(world.unit_a1 if i % 2 else world.unit_b1, employee_no=f"Q-{i:03d}", home_region=region)
    client = client_as(world.hq)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orgs:people"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 47
    with django_assert_max_num_queries(9):
        filtered = client.get(reverse("orgs:people"), {"org": "CA", "q": "Q-"})
    assert filtered.status_code == 200
    assert {e.employee_no for e in filtered.context["page"].object_list} == {f"Q-{i:03d}" for i in range(1, 45, 2)}


# --- exports ------------------------------------------------------------------------------------


def test_export_csv_is_scoped_and_neutralises_formulas(client_as, world):
    make_employee(world.unit_a1, employee_no="A-003", name="=1+1")
    response = client_as(world.officer_a).get(reverse("orgs:people_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = _csv(response)
    lines = text.splitlines()
    assert lines[0].startswith("Employee number,Name")
    assert "'=1+1" in text and ",=1+1" not in text
    assert "A-001" in text and "B-001" not in text


def test_export_uses_the_same_filters(client_as, world):
    response = client_as(world.hq).get(reverse("orgs:people_export", args=["csv"]), {"org": "CB"})
    text = _csv(response)
    assert "B-001" in text and "A-001" not in text


def test_export_headers_are_translated(client_as, world):
    client = client_as(world.hq)
    response = client.get(reverse("orgs:people_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    lines = _csv(response).splitlines()
    assert lines[0].startswith("工号,姓名")
    assert lines[1].endswith(",是")  # on the roster: yes


def test_export_xlsx(client_as, world):
    make_employee(world.unit_a1, employee_no="A-004", name="+cmd")
    response = client_as(world.officer_a).get(reverse("orgs:people_export", args=["xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    numbers = [r[0] for r in rows[1:]]
    assert numbers == ["A-001", "A-004"]
    assert rows[2][1] == "'+cmd"


def test_export_sibling_sees_nothing_of_company_a(client_as, world):
    text = _csv(client_as(world.officer_b).get(reverse("orgs:people_export", args=["csv"])))
    assert "A-001" not in text and "B-001" in text


def test_export_unknown_format_is_404(client_as, world):
    assert client_as(world.hq).get(reverse("orgs:people_export", args=["pdf"])).status_code == 404


def test_export_needs_login(client, world):
    assert client.get(reverse("orgs:people_export", args=["csv"])).status_code == 302


# --- one person ---------------------------------------------------------------------------------


def test_person_detail(client_as, world):
    response = client_as(world.viewer_a).get(reverse("orgs:person", args=[world.employee_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="person-title"' in html and "张三" in html and "A-001" in html
    assert "person-edit-link" not in html  # a viewer reads only


def test_person_own_record_for_the_employee(employee_client, world):
    client = employee_client
    assert client.get(reverse("orgs:person", args=[world.employee_a.pk])).status_code == 200
    assert client.get(reverse("orgs:person", args=[world.employee_b.pk])).status_code == 404


def test_person_out_of_scope_is_404(client_as, world):
    client = client_as(world.officer_b)
    assert client.get(reverse("orgs:person", args=[world.employee_a.pk])).status_code == 404
    assert client.get(reverse("orgs:person_edit", args=[world.employee_a.pk])).status_code == 404
    response = client.post(
        reverse("orgs:person_edit", args=[world.employee_a.pk]),
        {"employee_no": "A-001", "name": "Hacked", "is_active": "on"},
    )
    assert response.status_code == 404
    world.employee_a.refresh_from_db()
    assert world.employee_a.name == "张三"


def test_person_edit(client_as, world):
    url = reverse("orgs:person_edit", args=[world.employee_a.pk])
    client = client_as(world.officer_a)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "employee_no": "A-001",
            "name": "张三丰",
            "title": "Engineer",
            "is_active": "on",
            "organization_code": "CA1",
        },
    )
    assert response.status_code == 302
    world.employee_a.refresh_from_db()
    assert (world.employee_a.name, world.employee_a.title) == ("张三丰", "Engineer")
    event = AuditEvent.objects.get(action="orgs.employee.updated")
    assert event.before["name"] == "张三" and event.after["name"] == "张三丰"
    html = client.get(reverse("orgs:person", args=[world.employee_a.pk])).content.decode()
    assert 'data-testid="history"' in html


def test_person_edit_moves_within_scope_only(client_as, world):
    url = reverse("orgs:person_edit", args=[world.employee_a.pk])
    client = client_as(world.officer_a)
    response = client.post(url, {"employee_no": "A-001", "name": "张三", "is_active": "on", "organization_code": "CB1"})
    assert response.status_code == 200
    assert response.context["form"].errors["organization_code"]
    client = client_as(world.hq)
    response = client.post(url, {"employee_no": "A-001", "name": "张三", "is_active": "on", "organization_code": "CB1"})
    assert response.status_code == 302
    world.employee_a.refresh_from_db()
    assert world.employee_a.organization == world.unit_b1


def test_person_edit_duplicate_number_is_a_field_error(client_as, world):
    make_employee(world.unit_a1, employee_no="A-002")
    response = client_as(world.officer_a).post(
        reverse("orgs:person_edit", args=[world.employee_a.pk]),
        {"employee_no": "A-002", "name": "张三", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "A-002" in str(response.context["form"].errors["employee_no"])
    world.employee_a.refresh_from_db()
    assert world.employee_a.employee_no == "A-001"


def test_person_edit_forbidden_to_viewer(client_as, world):
    url = reverse("orgs:person_edit", args=[world.employee_a.pk])
    client = client_as(world.viewer_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"employee_no": "A-001", "name": "x", "is_active": "on"}).status_code == 403
    world.employee_a.refresh_from_db()
    assert world.employee_a.name == "张三"


def test_person_add(client_as, world):
    url = reverse("orgs:person_add", args=[world.unit_a1.pk])
    client = client_as(world.officer_a)
    assert client.get(url).status_code == 200
    response = client.post(url, {"employee_no": "A-010", "name": "新人", "is_active": "on"})
    new = Employee.objects.get(employee_no="A-010")
    assert response.status_code == 302 and response.url == reverse("orgs:person", args=[new.pk])
    assert new.group == world.group


def test_person_add_duplicate_number_in_group_is_a_field_error(client_as, world):
    response = client_as(world.hq).post(
        reverse("orgs:person_add", args=[world.unit_a1.pk]),
        {"employee_no": "B-001", "name": "Dup", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "B-001" in str(response.context["form"].errors["employee_no"])


def test_person_add_forbidden_to_viewer_and_404_to_sibling(client_as, world):
    url = reverse("orgs:person_add", args=[world.unit_a1.pk])
    assert client_as(world.viewer_a).post(url, {"employee_no": "X", "name": "X"}).status_code == 403
    assert client_as(world.officer_b).post(url, {"employee_no": "X", "name": "X"}).status_code == 404
    assert not Employee.objects.filter(employee_no="X").exists()


def test_each_export_leaves_one_audit_event_naming_what_and_the_filter(client_as, world):
    from sameboat.core.models import AuditEvent

    client = client_as(world.hq)
    response = client.get(reverse("orgs:people_export", args=["xlsx"]), {"org": "CB", "q": "B-", "active": "all"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action="orgs.people.exported")
    assert event.actor == world.hq and event.organization_id == world.company_b.pk
    assert event.after["format"] == "xlsx" and event.after["rows"] == 1
    assert {"phone", "email"} <= set(event.after["fields"])
    assert event.after["filter"] == {"organization": "CB", "search": "B-", "active": None}
    client.get(reverse("orgs:people_export", args=["csv"]))
    assert AuditEvent.objects.filter(action="orgs.people.exported").count() == 2
