"""The supplies API: scope of every route (a unit sees its own stock only; out of scope is
404), stock moves with an Idempotency-Key (a retry never moves stock twice), bad input in
the one error shape naming the field, and the stock card."""

from __future__ import annotations

import pytest

from sameboat.core.contributions import scope_matrix
from sameboat.supplies.models import Balance, Move
from sameboat.supplies.services import ledger
from tests.api.conftest import assert_error
from tests.supplies.conftest import EXPIRY

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(sworld):
    o = sworld.officer
    ledger.stock_receive(actor=o, item=sworld.mask, location=sworld.warehouse, quantity=1000, lot="L1", expiry=EXPIRY)
    ledger.stock_transfer(actor=o, item=sworld.mask, source=sworld.warehouse, destination=sworld.store_a, quantity=30)
    ledger.stock_transfer(actor=o, item=sworld.mask, source=sworld.warehouse, destination=sworld.store_b, quantity=20)
    return sworld


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_every_supplies_api_route_is_in_the_scope_matrix():
    keys = {e.key for e in scope_matrix if e.app == "supplies" and e.api}
    assert {"supplies-move-list", "supplies-balance-list", "supplies-stock-card", "supplies-item-list"} <= keys


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("hq", {"WH-1", "ST-A1", "ST-B1"}),
        ("officer_a", {"ST-A1"}),
        ("viewer_a", {"ST-A1"}),
        ("officer_b", {"ST-B1"}),
        ("employee_user", set()),
        ("nobody", set()),
    ],
)
def test_locations_balances_and_moves_follow_scope(stocked, api_as, who, sees):
    client = api_as(getattr(stocked.world, who))
    places = {p.code: p for p in (stocked.warehouse, stocked.store_a, stocked.store_b)}
    listed = client.get("/api/v1/supplies/locations/").json()["results"]
    assert {row["code"] for row in listed} == sees
    balances = client.get("/api/v1/supplies/balances/").json()["results"]
    assert {row["location_code"] for row in balances} == sees
    moves = client.get("/api/v1/supplies/moves/?page_size=500").json()["results"]
    seen_ids = {places[c].pk for c in sees}
    assert all({m["from_location"], m["to_location"]} & seen_ids for m in moves)
    for code, place in places.items():
        detail = client.get(f"/api/v1/supplies/locations/{place.pk}/")
        balance = Balance.objects.get(location=place)
        balance_detail = client.get(f"/api/v1/supplies/balances/{balance.pk}/")
        card = client.get(f"/api/v1/supplies/stock-card/?item=KN95&location={place.pk}")
        if code in sees:
            assert detail.status_code == balance_detail.status_code == card.status_code == 200
        else:
            assert_error(detail, 404)
            assert_error(balance_detail, 404)
            assert_error(card, 404)
    out_of_scope = Move.objects.filter(to_location=stocked.store_b).first()
    response = client.get(f"/api/v1/supplies/moves/{out_of_scope.pk}/")
    assert response.status_code == (200 if "ST-B1" in sees or "WH-1" in sees else 404)


def test_the_catalogue_is_reference_data(stocked, api_as):
    body = api_as(stocked.world.officer_b).get("/api/v1/supplies/items/?category=protective").json()
    assert {row["code"] for row in body["results"]} == {"KN95", "GLOVE-M"}


def test_a_retried_issue_with_the_same_key_moves_stock_once(stocked, api_as):
    client = api_as(stocked.world.officer_a)
    payload = {"kind": "issue", "item": "KN95", "location": stocked.store_a.pk, "quantity": 10}
    first = client.post("/api/v1/supplies/moves/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/supplies/moves/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Balance.objects.get(location=stocked.store_a).quantity == 20
    # Without the key, or with another, it is another issue.
    client.post("/api/v1/supplies/moves/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert Balance.objects.get(location=stocked.store_a).quantity == 10


def test_a_failed_move_keeps_no_key_so_the_corrected_retry_goes_through(stocked, api_as):
    client = api_as(stocked.officer)
    bad = {"kind": "receipt", "item": "KN95", "location": stocked.warehouse.pk, "quantity": 5, "lot": "N"}
    err = assert_error(client.post("/api/v1/supplies/moves/", bad, format="json", HTTP_IDEMPOTENCY_KEY="r"), 422)
    assert "expiry" in err["fields"]
    good = {**bad, "expiry": "2028-01-01"}
    assert client.post("/api/v1/supplies/moves/", good, format="json", HTTP_IDEMPOTENCY_KEY="r").status_code == 201


def test_transfer_receive_adjust_and_the_card_through_the_api(stocked, api_as):
    client = api_as(stocked.officer)
    r = client.post(
        "/api/v1/supplies/moves/",
        {
            "kind": "transfer",
            "item": "KN95",
            "source": stocked.warehouse.pk,
            "destination": stocked.store_a.pk,
            "quantity": 70,
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()[0]["lot"] == "L1"
    r = client.post(
        "/api/v1/supplies/moves/",
        {"kind": "adjustment", "item": "KN95", "location": stocked.store_a.pk, "delta": -5, "reason": "count"},
        format="json",
    )
    assert r.status_code == 201
    card = client.get(f"/api/v1/supplies/stock-card/?item=KN95&location={stocked.store_a.pk}").json()
    assert card["on_hand"] == 95
    assert [(line["delta"], line["after"]) for line in card["results"]] == [(-5, 95), (70, 100), (30, 30)]


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"kind": "issue", "item": "KN95", "quantity": 0}, 400, "quantity"),
        ({"kind": "issue", "item": "KN95", "quantity": -3}, 400, "quantity"),
        ({"kind": "issue", "item": "NO-SUCH", "quantity": 1}, 400, "item"),
        ({"kind": "issue", "item": "KN95", "quantity": 31}, 422, "quantity"),
        ({"kind": "issue", "item": "KN95"}, 400, "quantity"),
        ({"kind": "transfer", "item": "KN95", "quantity": 1}, 400, "source"),
    ],
)
def test_bad_moves_name_the_field_and_move_nothing(stocked, api_as, payload, status, field):
    client = api_as(stocked.world.officer_a)
    before = (Move.objects.count(), list(Balance.objects.values_list("quantity", flat=True)))
    body = {"location": stocked.store_a.pk, **payload}
    err = assert_error(client.post("/api/v1/supplies/moves/", body, format="json"), status)
    assert field in err["fields"], err
    assert (Move.objects.count(), list(Balance.objects.values_list("quantity", flat=True))) == before


def test_a_location_out_of_scope_reads_like_a_missing_one(stocked, api_as):
    client = api_as(stocked.world.officer_a)
    out = client.post(
        "/api/v1/supplies/moves/",
        {"kind": "issue", "item": "KN95", "location": stocked.store_b.pk, "quantity": 1},
        format="json",
    )
    missing = client.post(
        "/api/v1/supplies/moves/", {"kind": "issue", "item": "KN95", "location": 99999999, "quantity": 1}, format="json"
    )
    assert out.status_code == missing.status_code == 400
    assert out.json() == missing.json()


def test_a_viewer_in_scope_may_not_move_stock(stocked, api_as):
    client = api_as(stocked.world.viewer_a)
    r = client.post(
        "/api/v1/supplies/moves/",
        {"kind": "issue", "item": "KN95", "location": stocked.store_a.pk, "quantity": 1},
        format="json",
    )
    assert_error(r, 403, "permission_denied")
