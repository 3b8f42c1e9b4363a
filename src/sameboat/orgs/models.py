"""The organisation tree, regions and their rules, rosters and leadership groups."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from treebeard.mp_tree import MP_Node, MP_NodeManager

from sameboat.core.i18n import pick
from sameboat.core.models import TimeStampedModel


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}

# The country a region is in unless said otherwise; the region list puts it first.
HOME_COUNTRY = "CN"


class Region(TimeStampedModel):  # type: ignore[django-manager-missing]
    """A place whose authorities set a risk level and local rules (a province, a city)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    country = CountryField(_("country"), default=HOME_COUNTRY)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def other_name(self) -> str:
        """The name in the other language, or "" when it would only repeat ``name``."""
        other = pick(self.name_en, self.name_zh)
        return "" if other == self.name else other


class RegionRule(models.Model):
    """The region's risk level and rules from a date on; the history is never rewritten."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="rules")
    effective_from = models.DateField(_("effective from"))
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    max_onsite_ratio = models.DecimalField(
        _("maximum on-site ratio"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of staff allowed on site, from 0 to 1."),
    )
    quarantine_days = models.PositiveSmallIntegerField(
        _("quarantine days for arrivals from higher-risk regions"),
        validators=[MaxValueValidator(60)],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("region rule")
        verbose_name_plural = _("region rules")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="region_rule_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(max_onsite_ratio__gte=0, max_onsite_ratio__lte=1),
                name="region_rule_ratio_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_level__in=RiskLevel.values),
                name="region_rule_risk_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.effective_from}: {self.get_risk_level_display()}"

    @property
    def max_onsite_percent(self) -> str:
        """The cap as people read and type it: a percentage without trailing zeros ("12.5", "50")."""
        return percent_text(Decimal(self.max_onsite_ratio))


def percent_text(ratio: Decimal) -> str:
    """A 0–1 share as a percentage number: 0.125 → "12.5", 0.500 → "50", 0 → "0"."""
    return format((Decimal(ratio) * 100).normalize(), "f")


class OrgKind(models.TextChoices):
    GROUP = "group", _("Group")
    COMPANY = "company", _("Member company")
    UNIT = "unit", _("Unit")
    DEPARTMENT = "department", _("Department")
    OVERSEAS_OFFICE = "overseas_office", _("Overseas office")
    ASSOCIATION = "association", _("Industry association")
    ENTERPRISE = "enterprise", _("Member enterprise")
    SUPPLIER = "supplier", _("Supplier")
    DONOR = "donor", _("Donor")
    HOSPITAL = "hospital", _("Hospital")
    EMBASSY = "embassy", _("Embassy")
    INTL_ORG = "intl_org", _("International organisation")
    GOVERNMENT = "government", _("Government body")


# Kinds that have staff on the group's roster and run the daily health return.
STAFFED_KINDS = frozenset({OrgKind.GROUP, OrgKind.COMPANY, OrgKind.UNIT, OrgKind.DEPARTMENT, OrgKind.OVERSEAS_OFFICE})


class Organization(MP_Node, TimeStampedModel):
    """Any organisation Sameboat knows, in one tree (materialised path).

    The group and its members form one subtree; associations with their member
    enterprises, and suppliers, donors, hospitals, embassies and government bodies stand
    in subtrees of their own.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short unique code, used in spreadsheets and the API."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    country = CountryField(_("country"), default="CN")
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["code"]
    objects = MP_NodeManager()  # type: ignore[django-manager-missing]  # treebeard ships no type hints

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OrgKind.values), name="organization_kind_valid"),
        ]
        indexes = [
            # Subtree queries are "path LIKE 'prefix%'"; on PostgreSQL with a non-C
            # collation only a pattern-ops index serves them.
            models.Index(fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind"], name="org_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def is_staffed(self) -> bool:
        return self.kind in STAFFED_KINDS


class Employee(TimeStampedModel):
    """A person on a unit's roster. They may or may not have a login."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    # The tree root the employee belongs to, kept so the database can hold "employee
    # number unique within the group" as a constraint; set by the roster services.
    group = models.ForeignKey(
        Organization,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    employee_no = models.CharField(_("employee number"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("on the roster"), default=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["organization__path", "employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["group", "employee_no"], name="employee_no_unique_in_group"),
        ]
        indexes = [models.Index(fields=["organization", "is_active"], name="employee_org_active_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    @property
    def display_name(self) -> str:
        return pick(self.name, self.name_en)


class LeadershipGroup(TimeStampedModel):
    """An organisation's emergency leadership group for epidemic prevention and control."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="leadership_group",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"), default=datetime.date.today)

    class Meta:
        verbose_name = _("leadership group")
        verbose_name_plural = _("leadership groups")

    def __str__(self) -> str:
        return self.name or str(self.organization)


class LeadershipPosition(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")


class LeadershipMember(models.Model):
    """A seat in a leadership group, with the duty its holder carries."""

    group = models.ForeignKey(
        LeadershipGroup,
        verbose_name=_("leadership group"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    position = models.CharField(_("position"), max_length=10, choices=LeadershipPosition.choices)
    person_name = models.CharField(_("name"), max_length=100)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leadership_seats",
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    duty = models.CharField(_("duty"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("leadership group member")
        verbose_name_plural = _("leadership group members")
        ordering = ["group", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(position="leader"),
                name="leadership_one_leader",
            ),
            models.CheckConstraint(
                condition=models.Q(position__in=LeadershipPosition.values),
                name="leadership_position_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.person_name}"

    @property
    def audit_repr(self) -> str:
        """How the audit trail names the seat: by its holder, in no language (the position is
        in the event, shown in the reader's language)."""
        return self.person_name

    @property
    def organization(self) -> Organization:
        return self.group.organization
