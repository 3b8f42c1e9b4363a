"""The supplies pages: scope (a unit sees its own stores only; out of scope is 404), the
move form (a refusal on its field, nothing moved), and the stock card's running balance."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sameboat.supplies.models import Balance, Move
from sameboat.supplies.services import ledger
from tests.supplies.conftest import EXPIRY

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(sworld):
    o = sworld.officer
    ledger.stock_receive(
        actor=o,
        item=sworld.mask,
        location=sworld.warehouse,
        quantity=10_000,
        lot="TR-1",
        expiry=EXPIRY,
        reference="DON-1",
    )
    ledger.stock_transfer(actor=o, item=sworld.mask, source=sworld.warehouse, destination=sworld.store_a, quantity=300)
    ledger.stock_transfer(actor=o, item=sworld.mask, source=sworld.warehouse, destination=sworld.store_b, quantity=200)
    return sworld


def test_a_unit_sees_its_own_store_only(stocked, client_as):
    w = stocked.world
    page = client_as(w.officer_a).get("/supplies/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ST-A1" in html and "ST-B1" not in html and "WH-1" not in html
    client = client_as(w.officer_a)
    assert client.get(f"/supplies/locations/{stocked.store_a.pk}/").status_code == 200
    for place in (stocked.store_b, stocked.warehouse):
        assert client.get(f"/supplies/locations/{place.pk}/").status_code == 404
        assert client.get(f"/supplies/locations/{place.pk}/items/{stocked.mask.pk}/").status_code == 404
        assert client.get(f"/supplies/locations/{place.pk}/moves/new?kind=issue").status_code == 404


def test_people_without_a_subtree_get_404(stocked, client_as):
    for who in (stocked.world.employee_user, stocked.world.nobody):
        client = client_as(who)
        assert client.get("/supplies/").status_code == 404
        assert client.get("/supplies/items/").status_code == 404


def test_hq_sees_everything_and_the_overview_pages(stocked, client_as):
    client = client_as(stocked.world.hq)
    html = client.get("/supplies/?page_size=1").content.decode()
    assert all(code in html for code in ("ST-A1", "ST-B1", "WH-1"))
    # One lot at each of three places: three rows.
    assert html.count('data-testid="balance-row-') == 3
    assert client.get("/supplies/?q=nothing-like-this").content.decode().count('data-testid="balance-row-') == 0


def test_the_expiring_filter_lists_what_the_tile_counts(stocked, client_as):
    from sameboat.supplies.contributions import expiring_lots

    soon = timezone.localdate() + datetime.timedelta(days=10)
    ledger.stock_receive(
        actor=stocked.officer, item=stocked.mask, location=stocked.store_a, quantity=5, lot="OLD", expiry=soon
    )
    ledger.stock_receive(actor=stocked.officer, item=stocked.gloves, location=stocked.warehouse, quantity=5)
    client = client_as(stocked.world.hq)
    html = client.get("/supplies/?expiring=1").content.decode()
    assert html.count('data-testid="balance-row-') == expiring_lots(stocked.world.hq) == 1
    assert 'data-testid="expiring"' in html
    # The unit's officer sees the same lot (their store); officer B does not.
    assert expiring_lots(stocked.world.officer_a) == 1 and expiring_lots(stocked.world.officer_b) == 0


def test_the_stock_card_shows_each_move_with_the_stock_after_it(stocked, client_as):
    client = client_as(stocked.world.hq)
    page = client.get(f"/supplies/locations/{stocked.warehouse.pk}/items/{stocked.mask.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    afters = [int(x.split("<")[0]) for x in html.split('data-testid="after">')[1:]]
    deltas = [int(x.split("<")[0]) for x in html.split('data-testid="delta">')[1:]]
    assert deltas == [-200, -300, 10_000]
    assert afters == [9_500, 9_700, 10_000]
    assert 'data-testid="on-hand">9500<' in html


def test_stock_card_pages_keep_the_running_balance(stocked, client_as, settings):
    import sameboat.supplies.views.stock as stock_views

    for _ in range(3):
        ledger.stock_issue(actor=stocked.officer, item=stocked.mask, location=stocked.warehouse, quantity=1)
    stock_views.PAGE, old = 2, stock_views.PAGE
    try:
        client = client_as(stocked.world.hq)
        url = f"/supplies/locations/{stocked.warehouse.pk}/items/{stocked.mask.pk}/"
        pages = [client.get(url + f"?page={n}").content.decode() for n in (1, 2, 3)]
    finally:
        stock_views.PAGE = old
    afters = [int(x.split("<")[0]) for html in pages for x in html.split('data-testid="after">')[1:]]
    assert afters == [9_497, 9_498, 9_499, 9_500, 9_700, 10_000]


def test_the_unit_officer_issues_from_their_store(stocked, client_as):
    client = client_as(stocked.world.officer_a)
    url = f"/supplies/locations/{stocked.store_a.pk}/moves/new?kind=issue"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "issue", "item": stocked.mask.pk, "quantity": 30, "reference": "WARD-3"})
    assert response.status_code == 302
    assert Balance.objects.get(location=stocked.store_a).quantity == 270
    # Receipts and transfers are the supply chain's: forbidden, not hidden, in scope.
    assert client.get(f"/supplies/locations/{stocked.store_a.pk}/moves/new?kind=receipt").status_code == 403
    assert client_as(stocked.world.viewer_a).get(url).status_code == 403


def test_an_issue_larger_than_the_stock_is_refused_on_the_quantity_field(stocked, client_as):
    client = client_as(stocked.world.officer_a)
    url = f"/supplies/locations/{stocked.store_a.pk}/moves/new?kind=issue"
    moves = Move.objects.count()
    response = client.post(url, {"kind": "issue", "item": stocked.mask.pk, "quantity": 301})
    assert response.status_code == 200
    form = response.context["form"]
    assert "quantity" in form.errors and "300" in form.errors["quantity"][0]
    assert Move.objects.count() == moves
    assert Balance.objects.get(location=stocked.store_a).quantity == 300


def test_a_receipt_without_expiry_is_refused_on_the_expiry_field(stocked, client_as):
    client = client_as(stocked.officer)
    url = f"/supplies/locations/{stocked.warehouse.pk}/moves/new"
    response = client.post(url, {"kind": "receipt", "item": stocked.mask.pk, "quantity": 5, "lot": "X"})
    assert response.status_code == 200
    assert "expiry" in response.context["form"].errors


def test_transfer_and_adjustment_through_the_form(stocked, client_as):
    client = client_as(stocked.officer)
    url = f"/supplies/locations/{stocked.warehouse.pk}/moves/new"
    r = client.post(
        url, {"kind": "transfer", "item": stocked.mask.pk, "quantity": 100, "destination": stocked.store_a.pk}
    )
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    r = client.post(
        url, {"kind": "adjustment", "item": stocked.gloves.pk, "quantity": 4, "direction": "in", "reason": "stock-take"}
    )
    assert r.status_code == 302
    assert Balance.objects.get(location=stocked.store_a).quantity == 400
    assert Balance.objects.get(item=stocked.gloves).quantity == 4


def test_catalogue_pages(stocked, client_as):
    client = client_as(stocked.world.viewer_a)
    html = client.get("/supplies/items/?category=equipment").content.decode()
    assert "CT-64" in html and "KN95" not in html
    detail = client.get(f"/supplies/items/{stocked.mask.pk}/")
    assert detail.status_code == 200
    assert "GB 2626 KN95" in detail.content.decode()
    assert client.get("/supplies/items/99999999/").status_code == 404
