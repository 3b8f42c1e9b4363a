"""The stock ledger: every receipt, transfer, issue, adjustment, return and write-off.

Each use case is one transaction that appends its moves and changes the balances they
touch, through the ledger guard's pass (``ledger_guard``). Concurrency, without deadlocks:
the balances a move may touch (the source's lots with stock, every lot of the item at the
destination) are locked in one ``SELECT … FOR UPDATE`` ordered by primary key, so two
moves always take their row locks in the same order; each decrement is also a conditional
``UPDATE … WHERE quantity >= n`` with the CHECK (quantity >= 0) as the last backstop.
Issues (and transfers, write-offs, negative adjustments without a named lot) take the lots
that expire first (FEFO).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.core.audit import Changes, audit
from sameboat.core.exceptions import DomainError
from sameboat.supplies import fastpath
from sameboat.supplies.access import ISSUE_ROLES, SUPPLY_CHAIN_ROLES
from sameboat.supplies.ledger_guard import ledger_close, ledger_open
from sameboat.supplies.models import Balance, Item, Location, Move, MoveKind
from sameboat.supplies.services.common import require_reach
from sameboat.supplies.signals import stock_moved

# A quantity the database's integers hold with room to add: nobody stocks more.
MAX_QUANTITY = 10**12

AUDIT_ACTION: dict[str, str] = {
    MoveKind.RECEIPT: "supplies.stock.received",
    MoveKind.TRANSFER: "supplies.stock.transferred",
    MoveKind.ISSUE: "supplies.stock.issued",
    MoveKind.ADJUSTMENT: "supplies.stock.adjusted",
    MoveKind.RETURN: "supplies.stock.returned",
    MoveKind.WRITE_OFF: "supplies.stock.written_off",
}


@dataclass(frozen=True)
class Posting:
    """One use case's request to the ledger, already checked."""

    kind: str
    item: Item
    source: Location | None
    destination: Location | None
    quantity: int
    lot: str | None  # None: the source's lots by FEFO
    expiry: datetime.date | None
    reason: str
    reference: str


# --- checks ---------------------------------------------------------------------------------------


def _quantity(value: Any, field: str = "quantity") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("The quantity must be a whole number."), field=field, code="invalid")
    if value <= 0:
        raise DomainError(_("The quantity must be more than zero."), field=field, code="invalid")
    if value > MAX_QUANTITY:
        raise DomainError(_("The quantity is too large."), field=field, code="invalid")
    return value


def _item(item: Any) -> Item:
    if not isinstance(item, Item) or not item.is_active:
        raise DomainError(_("Unknown or inactive item."), field="item", code="invalid")
    return item


def _location(location: Any, field: str) -> Location:
    if not isinstance(location, Location) or not location.is_active:
        raise DomainError(_("Unknown or inactive location."), field=field, code="invalid")
    return location


def _inbound_lot(item: Item, lot: str | None, expiry: datetime.date | None) -> tuple[str, datetime.date | None]:
    """The lot and expiry of stock coming in from outside, as the item requires them."""
    lot = (lot or "").strip()
    if item.serial_tracked and not lot:
        raise DomainError(_("Give the serial number (as the lot) of this item."), field="lot", code="required")
    if item.needs_expiry and expiry is None:
        raise DomainError(
            _("%(item)s needs an expiry date for every lot.") % {"item": item.code}, field="expiry", code="required"
        )
    if expiry is not None and not lot:
        raise DomainError(_("Give the lot number of stock with an expiry date."), field="lot", code="required")
    # A lot has one expiry wherever it sits.
    if lot:
        known = list(
            Balance.objects.filter(item=item, lot=lot).exclude(expiry=expiry).values_list("expiry", flat=True)[:1]
        )
        if known:
            raise DomainError(
                _("Lot %(lot)s of this item expires on %(expiry)s.") % {"lot": lot, "expiry": known[0] or _("no date")},
                field="expiry",
                code="invalid",
            )
    return lot, expiry


def _reason(kind: str, reason: str) -> str:
    reason = (reason or "").strip()
    if kind in (MoveKind.ADJUSTMENT, MoveKind.WRITE_OFF) and not reason:
        raise DomainError(_("Say why the stock changes."), field="reason", code="required")
    return reason[:300]


# --- the use cases --------------------------------------------------------------------------------


def stock_receive(
    *,
    actor: Any,
    item: Item,
    location: Location,
    quantity: int,
    lot: str = "",
    expiry: datetime.date | None = None,
    reference: str = "",
    reason: str = "",
) -> list[Move]:
    """Stock arrives from outside (a donation, a purchase) into a location."""
    return _inbound(MoveKind.RECEIPT, actor, item, location, quantity, lot, expiry, reference, reason)


def stock_return(
    *,
    actor: Any,
    item: Item,
    location: Location,
    quantity: int,
    lot: str = "",
    expiry: datetime.date | None = None,
    reference: str = "",
    reason: str = "",
) -> list[Move]:
    """Stock handed out earlier comes back into a location."""
    return _inbound(MoveKind.RETURN, actor, item, location, quantity, lot, expiry, reference, reason)


def stock_transfer(
    *,
    actor: Any,
    item: Item,
    source: Location,
    destination: Location,
    quantity: int,
    lot: str | None = None,
    reference: str = "",
    reason: str = "",
) -> list[Move]:
    """Move stock between two locations of the same group (lots by FEFO unless one is named)."""
    item, source = _item(item), _location(source, "source")
    destination = _location(destination, "destination")
    if source.pk == destination.pk:
        raise DomainError(_("Choose a different destination."), field="destination", code="invalid")
    require_reach(actor, source.organization, SUPPLY_CHAIN_ROLES)
    if (
        source.organization.path[: source.organization.steplen]
        != destination.organization.path[: destination.organization.steplen]
    ):
        raise DomainError(_("Stock moves only within one group."), field="destination", code="invalid")
    return _post(
        actor,
        Posting(
            MoveKind.TRANSFER,
            item,
            source,
            destination,
            _quantity(quantity),
            (lot or "").strip() or None,
            None,
            _reason(MoveKind.TRANSFER, reason),
            reference.strip(),
        ),
    )


def stock_issue(
    *,
    actor: Any,
    item: Item,
    location: Location,
    quantity: int,
    lot: str | None = None,
    reference: str = "",
    reason: str = "",
) -> list[Move]:
    """Hand stock out to people from a location (lots by FEFO unless one is named)."""
    return _outbound(MoveKind.ISSUE, actor, item, location, quantity, lot, reference, reason, ISSUE_ROLES)


def stock_write_off(
    *,
    actor: Any,
    item: Item,
    location: Location,
    quantity: int,
    reason: str,
    lot: str | None = None,
    reference: str = "",
) -> list[Move]:
    """Take spoiled, expired or lost stock off the books (a reason is required)."""
    return _outbound(MoveKind.WRITE_OFF, actor, item, location, quantity, lot, reference, reason, SUPPLY_CHAIN_ROLES)


def stock_adjust(
    *,
    actor: Any,
    item: Item,
    location: Location,
    delta: int,
    reason: str,
    lot: str | None = None,
    expiry: datetime.date | None = None,
    reference: str = "",
) -> list[Move]:
    """Correct a count (a stock-take): ``delta`` units more (positive) or fewer (negative)."""
    if isinstance(delta, int) and not isinstance(delta, bool) and delta < 0:
        return _outbound(
            MoveKind.ADJUSTMENT, actor, item, location, -delta, lot, reference, reason, SUPPLY_CHAIN_ROLES, "delta"
        )
    _quantity(delta, "delta")
    return _inbound(MoveKind.ADJUSTMENT, actor, item, location, delta, lot or "", expiry, reference, reason)


def _inbound(
    kind: str, actor: Any, item: Any, location: Any, quantity: Any, lot: str, expiry: Any, reference: str, reason: str
) -> list[Move]:
    item, location = _item(item), _location(location, "location")
    quantity = _quantity(quantity, "delta" if kind == MoveKind.ADJUSTMENT else "quantity")
    roles = ISSUE_ROLES if kind == MoveKind.RETURN else SUPPLY_CHAIN_ROLES
    require_reach(actor, location.organization, roles)
    reason = _reason(kind, reason)
    lot, expiry = _inbound_lot(item, lot, expiry)
    return _post(actor, Posting(kind, item, None, location, quantity, lot, expiry, reason, (reference or "").strip()))


def _outbound(
    kind: str,
    actor: Any,
    item: Any,
    location: Any,
    quantity: Any,
    lot: str | None,
    reference: str,
    reason: str,
    roles: frozenset[str],
    quantity_field: str = "quantity",
) -> list[Move]:
    item, location = _item(item), _location(location, "location")
    quantity = _quantity(quantity, quantity_field)
    require_reach(actor, location.organization, roles)
    reason = _reason(kind, reason)
    posting = Posting(
        kind, item, location, None, quantity, (lot or "").strip() or None, None, reason, (reference or "").strip()
    )
    if kind == MoveKind.ISSUE and posting.lot is None and fastpath.usable():
        return _issue_fast(actor, posting)
    return _post(actor, posting, quantity_field=quantity_field)


# --- posting --------------------------------------------------------------------------------------


def fefo_key(balance: Balance) -> tuple[Any, ...]:
    """Lots that expire first go first; lots without expiry last; then by lot and age."""
    return (balance.expiry is None, balance.expiry or datetime.date.max, balance.lot, balance.pk)


@transaction.atomic
def _post(actor: Any, p: Posting, *, quantity_field: str = "quantity") -> list[Move]:
    ledger_open(connection)
    # Every balance this posting may touch, locked in one statement in primary-key order.
    touched = Q(pk__in=[])
    if p.source is not None:
        touched |= Q(location=p.source, quantity__gt=0) & (Q(lot=p.lot) if p.lot is not None else Q())
    if p.destination is not None:
        touched |= Q(location=p.destination)
    locked = list(Balance.objects.select_for_update().filter(Q(item=p.item) & touched).order_by("pk"))

    # What leaves the source, lot by lot: (lot, expiry, quantity).
    parts: list[tuple[str, datetime.date | None, int]] = []
    if p.source is not None:
        available = sorted((b for b in locked if b.location_id == p.source.pk), key=fefo_key)
        if sum(b.quantity for b in available) < p.quantity:
            raise DomainError(
                _insufficient(p, sum(b.quantity for b in available)), field=quantity_field, code="insufficient_stock"
            )
        wanted = p.quantity
        for balance in available:
            if not wanted:
                break
            take = min(wanted, balance.quantity)
            # The row is locked, so this holds; the condition keeps it a backstop, never a race.
            if not Balance.objects.filter(pk=balance.pk, quantity__gte=take).update(quantity=F("quantity") - take):
                raise DomainError(_insufficient(p, 0), field=quantity_field, code="insufficient_stock")
            parts.append((balance.lot, balance.expiry, take))
            wanted -= take
    else:
        parts.append((p.lot or "", p.expiry, p.quantity))

    if p.destination is not None:
        at_destination = {b.lot: b for b in locked if b.location_id == p.destination.pk}
        for lot, expiry, quantity in parts:
            _add(p.item, p.destination, lot, expiry, quantity, at_destination.get(lot))

    now = timezone.now()
    moves = Move.objects.bulk_create(
        [
            Move(
                kind=p.kind,
                item=p.item,
                from_location=p.source,
                to_location=p.destination,
                quantity=quantity,
                lot=lot,
                expiry=expiry,
                reason=p.reason,
                reference=p.reference,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                at=now,
            )
            for lot, expiry, quantity in parts
        ]
    )
    ledger_close(connection)
    _record(actor, p, moves, parts)
    return moves


def _record(actor: Any, p: Posting, moves: list[Move], parts: list[tuple[str, datetime.date | None, int]]) -> None:
    """Audit the use case once and tell the domains built on supplies."""
    place = p.source or p.destination
    assert place is not None
    audit(
        AUDIT_ACTION[p.kind],
        moves[0],
        Changes(
            after={
                "item": p.item.code,
                "from": p.source.code if p.source else None,
                "to": p.destination.code if p.destination else None,
                "quantity": p.quantity,
                "lots": [{"lot": lot, "expiry": expiry, "quantity": q} for lot, expiry, q in parts],
                "reason": p.reason,
                "reference": p.reference,
            }
        ),
        actor=actor,
        organization=place.organization,
        object_repr=str(p.item),
    )
    stock_moved.send(sender=Move, moves=moves)


def _issue_fast(actor: Any, p: Posting) -> list[Move]:
    """An issue through ``fastpath`` when one lot serves it, else the plain posting."""
    assert p.source is not None
    outer = connection.in_atomic_block
    with transaction.atomic():
        move = fastpath.issue_one_lot(
            item_id=p.item.pk,
            location=p.source,
            quantity=p.quantity,
            actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
            reason=p.reason,
            reference=p.reference,
        )
        if move is None:
            return _post(actor, p)
        if outer:  # the enclosing transaction goes on: close the pass the statement opened
            ledger_close(connection)
        _record(actor, p, [move], [(move.lot, move.expiry, move.quantity)])
        return [move]


def _add(item: Item, location: Location, lot: str, expiry: Any, quantity: int, existing: Balance | None) -> None:
    """Put stock on a balance: the locked row, or a new one (or a row a concurrent move has
    just made, which the unique constraint finds; then it is locked and added to)."""
    if existing is None:
        try:
            with transaction.atomic():
                Balance.objects.create(item=item, location=location, lot=lot, expiry=expiry, quantity=quantity)
            return
        except IntegrityError:
            existing = Balance.objects.select_for_update().get(item=item, location=location, lot=lot)
    Balance.objects.filter(pk=existing.pk).update(quantity=F("quantity") + quantity)


def _insufficient(p: Posting, available: int) -> str:
    assert p.source is not None
    if p.lot is not None:
        return _("Only %(n)d of lot %(lot)s of %(item)s at %(place)s; %(asked)d asked.") % {
            "n": available,
            "lot": p.lot,
            "item": p.item.code,
            "place": p.source.name,
            "asked": p.quantity,
        }
    return _("Only %(n)d of %(item)s at %(place)s; %(asked)d asked.") % {
        "n": available,
        "item": p.item.code,
        "place": p.source.name,
        "asked": p.quantity,
    }
