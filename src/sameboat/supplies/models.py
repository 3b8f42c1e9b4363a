"""Supplies: the catalogue (items, equivalences), stock locations and the stock ledger.

The ledger is two tables: ``Move``, append-only (every receipt, transfer, issue,
adjustment, return and write-off), and ``Balance``, one row per item, location and lot,
kept by the same transaction as each move. Both refuse UPDATE and DELETE in the database
except through the ledger service (``ledger_guard``); a balance never goes below zero
(a named CHECK). Corrections are new moves, never edits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.core.i18n import pick
from sameboat.core.models import TimeStampedModel


class Category(models.TextChoices):
    PROTECTIVE = "protective", _("Protective equipment")
    DISINFECTION = "disinfection", _("Disinfection")
    TESTING = "testing", _("Testing")
    EQUIPMENT = "equipment", _("Medical equipment")


class StockUnit(models.TextChoices):
    PIECE = "piece", _("piece")
    PAIR = "pair", _("pair")
    BOX = "box", _("box")
    BOTTLE = "bottle", _("bottle")
    LITRE = "litre", _("litre")
    KIT = "kit", _("kit")
    SET = "set", _("set")


class Standard(models.TextChoices):
    """The standard an item is made to (a mask's grade differs by country)."""

    NONE = "", _("None")
    GB2626_KN95 = "gb2626_kn95", "GB 2626 KN95"
    GB19083 = "gb19083", "GB 19083"
    YY0469 = "yy0469", "YY 0469"
    EN149_FFP2 = "en149_ffp2", "EN 149 FFP2"
    EN149_FFP3 = "en149_ffp3", "EN 149 FFP3"
    NIOSH_N95 = "niosh_n95", "NIOSH N95"
    CE = "ce", "CE"
    FDA_EUA = "fda_eua", "FDA EUA"
    OTHER = "other", _("Other")


class Item(TimeStampedModel):
    """A kind of supply the group keeps: masks of one standard, a disinfectant, a CT scanner."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=StockUnit.choices, default=StockUnit.PIECE)
    pack_size = models.PositiveIntegerField(_("pack size"), default=1, help_text=_("Units in one pack."))
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices, blank=True, default="")
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    serial_tracked = models.BooleanField(
        _("tracked by serial number"), default=False, help_text=_("Each unit has its own serial number (its lot).")
    )
    needs_expiry = models.BooleanField(
        _("needs an expiry date"), default=False, help_text=_("Every lot received must carry its expiry date.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=Category.values), name="supplies_item_category_valid"),
            models.CheckConstraint(condition=Q(pack_size__gte=1), name="supplies_item_pack_size_positive"),
            models.CheckConstraint(
                condition=Q(shelf_life_days__isnull=True) | Q(shelf_life_days__gte=1),
                name="supplies_item_shelf_life_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


class Equivalence(models.Model):
    """``substitute`` may be given where ``item`` is asked for (an FFP2 for a KN95)."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="equivalences")
    substitute = models.ForeignKey(
        Item, verbose_name=_("substitute"), on_delete=models.CASCADE, related_name="substitutes_for"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("equivalence")
        verbose_name_plural = _("equivalences")
        constraints = [
            models.UniqueConstraint(fields=["item", "substitute"], name="supplies_equivalence_unique"),
            models.CheckConstraint(condition=~Q(item=models.F("substitute")), name="supplies_equivalence_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} ≈ {self.substitute.code}"


class LocationKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("Warehouse")
    STORE = "store", _("Unit store")
    TRANSIT = "transit", _("In transit")


class Location(TimeStampedModel):
    """Where stock sits: an organisation's warehouse or store, or its goods in transit."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="stock_locations"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=LocationKind.choices, default=LocationKind.WAREHOUSE)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LocationKind.values), name="supplies_location_kind_valid"),
            # Goods on their way are one place per organisation.
            models.UniqueConstraint(
                fields=["organization"], condition=Q(kind="transit"), name="supplies_location_one_transit"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    TRANSFER = "transfer", _("Transfer")
    ISSUE = "issue", _("Issue")
    ADJUSTMENT = "adjustment", _("Adjustment")
    RETURN = "return", _("Return")
    WRITE_OFF = "write_off", _("Write-off")


# Which end of a move each kind has: stock comes in from outside (no source), goes out to
# people (no destination), moves between two places, or (an adjustment) either.
_IN = Q(from_location__isnull=True, to_location__isnull=False)
_OUT = Q(from_location__isnull=False, to_location__isnull=True)
_BETWEEN = Q(from_location__isnull=False, to_location__isnull=False) & ~Q(from_location=models.F("to_location"))
MOVE_PLACES = (
    Q(kind__in=[MoveKind.RECEIPT, MoveKind.RETURN]) & _IN
    | Q(kind=MoveKind.TRANSFER) & _BETWEEN
    | Q(kind__in=[MoveKind.ISSUE, MoveKind.WRITE_OFF]) & _OUT
    | Q(kind=MoveKind.ADJUSTMENT) & (_IN | _OUT)
)


class Move(models.Model):
    """One line of the stock ledger. Never changed or deleted: a correction is a new move."""

    kind = models.CharField(_("kind"), max_length=20, choices=MoveKind.choices)
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="moves")
    from_location = models.ForeignKey(
        Location, verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT, related_name="moves_out"
    )
    to_location = models.ForeignKey(
        Location, verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="moves_in"
    )
    quantity = models.BigIntegerField(_("quantity"))
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # People leave by deactivation; the ledger keeps who moved what (PROTECT: a delete
    # that would rewrite this column is refused rather than half-done).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_move_quantity_positive"),
            models.CheckConstraint(condition=Q(kind__in=MoveKind.values), name="supplies_move_kind_valid"),
            models.CheckConstraint(condition=MOVE_PLACES, name="supplies_move_places_fit_kind"),
        ]
        indexes = [
            models.Index(fields=["item", "from_location", "at"], name="supplies_move_out_idx"),
            models.Index(fields=["item", "to_location", "at"], name="supplies_move_in_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} × {self.item_id}"

    def delta_at(self, location_id: int) -> int:
        """What this move did to the stock at one location."""
        if self.to_location_id == location_id:
            return self.quantity
        if self.from_location_id == location_id:
            return -self.quantity
        return 0


class Balance(models.Model):
    """Stock of one item and lot at one location: the sum of its moves, never below zero."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="balances")
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="balances"
    )
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    quantity = models.BigIntegerField(_("quantity"), default=0)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        ordering = ["item__code", "location__code", "expiry", "lot"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="supplies_balance_not_negative"),
            models.UniqueConstraint(fields=["item", "location", "lot"], name="supplies_balance_one_per_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}/{self.lot}: {self.quantity}"


class LedgerPass(models.Model):
    """SQLite's stand-in for PostgreSQL's per-transaction setting: the ledger service puts a
    row here for the length of its writes, and the guard triggers let balances and moves be
    written only while one exists (``ledger_guard``). Always empty between transactions."""

    class Meta:
        verbose_name = _("ledger pass")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.pk)
