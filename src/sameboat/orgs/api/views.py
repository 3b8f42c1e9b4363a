"""API viewsets of the organisation resources, on the shared base (sameboat.api.viewsets).

Reads come from the selectors (scoped: out of scope is 404, like missing); writes go
through the services, whose refusals become the one error shape (a rule broken: 422; not
allowed: 403)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat.accounts import selectors as account_selectors
from sameboat.accounts import services as account_services
from sameboat.accounts.models import Membership, User
from sameboat.api.idempotency import idempotent
from sameboat.api.viewsets import ApiViewSet, CreateMixin, UpdateMixin
from sameboat.orgs import selectors, services
from sameboat.orgs.api import filters as f
from sameboat.orgs.api import serializers as s
from sameboat.orgs.models import Employee, LeadershipGroup, Organization, Region

# --- Organisations ---------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(description="Add an organisation under a parent you administer."),
    update=extend_schema(description="Replace an organisation's own fields (not its place in the tree: see move)."),
    partial_update=extend_schema(description="Change some of an organisation's own fields."),
)
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CreateMixin, UpdateMixin, ApiViewSet):
    """Organisations in your scope, in tree order."""

    serializer_class = s.OrganizationSerializer
    create_serializer_class = s.OrganizationCreateSerializer
    update_serializer_class = s.OrganizationUpdateSerializer
    filter_class = f.OrganizationFilter
    queryset = Organization.objects.none()  # for the schema; get_queryset scopes every request

    def get_queryset(self) -> QuerySet[Organization]:
        params = self.filters
        qs = selectors.organization_list(
            user=self.request.user, search=params.get("search", ""), kind=params.get("kind", "")
        )
        parent = params.get("parent")
        if parent is not None:
            qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
        return qs

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Organisations in your scope. Filters: kind, search, parent (code)."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.OrganizationSerializer(many=True))
    @action(detail=True)
    def children(self, request: Request, pk: str | None = None) -> Response:
        """The organisation's direct children in your scope."""
        org = self.get_object()
        children = selectors.organization_children(user=request.user, organization=org)
        return self.paged(children, s.OrganizationSerializer)

    def create_record(self, data: dict[str, Any]) -> Organization:
        return services.organization_create(actor=self.request.user, parent=data.pop("parent", None), **data)

    def update_record(self, instance: Organization, data: dict[str, Any]) -> Organization:
        return services.organization_update(actor=self.request.user, organization=instance, **data)

    @extend_schema(request=s.OrganizationMoveSerializer, responses=s.OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move the organisation and its subtree under another parent (you administer both)."""
        org = self.get_object()
        data = self.input(s.OrganizationMoveSerializer)
        org = services.organization_move(actor=request.user, organization=org, new_parent=data["parent"])
        return Response(s.OrganizationSerializer(org).data)


# --- Regions ----------------------------------------------------------------------------------------


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Regions with their risk level and rules: reference data for everyone logged in."""

    filter_class = f.RegionFilter
    queryset = Region.objects.none()  # for the schema; get_queryset builds every request's

    def get_queryset(self) -> QuerySet[Any]:
        params = self.filters
        return selectors.region_list_with_rules(
            country=params.get("country", ""),
            search=params.get("search", ""),
            with_history=self.action == "retrieve",
        )

    def get_serializer_class(self) -> Any:
        return s.RegionDetailSerializer if self.action == "retrieve" else s.RegionSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Regions with the rule in force today. Filters: country, search."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A region with the rule in force today and every rule it has had."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(methods=["GET"], request=None, responses=s.RegionRuleSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.RegionRuleWriteSerializer, responses={201: s.RegionRuleSerializer})
    @action(detail=True, methods=["get", "post"])
    def rules(self, request: Request, pk: str | None = None) -> Response:
        """GET: the region's rule history, newest first. POST: set its rules from a date on (HQ covering
        every organisation in the region)."""
        region = selectors.region_get(pk=pk)
        if request.method == "GET":
            return self.paged(selectors.region_rule_history(region=region), s.RegionRuleSerializer)
        rule = services.region_rule_set(actor=request.user, region=region, **self.input(s.RegionRuleWriteSerializer))
        return Response(s.RegionRuleSerializer(rule).data, status=status.HTTP_201_CREATED)


# --- People (the roster) -----------------------------------------------------------------------------


@extend_schema_view(
    update=extend_schema(description="Replace a roster entry (a new unit moves the person; you must manage both)."),
    partial_update=extend_schema(description="Change some fields of a roster entry."),
)
class EmployeeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CreateMixin, UpdateMixin, ApiViewSet):
    """People on the rosters in your scope (and your own entry)."""

    serializer_class = s.EmployeeSerializer
    create_serializer_class = update_serializer_class = s.EmployeeWriteSerializer
    filter_class = f.EmployeeFilter
    api_field_names = {"organization": "unit"}
    queryset = Employee.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet[Any]:
        params: dict[str, Any] = self.filters if self.action == "list" else {"active": "all"}
        return selectors.employee_list(
            user=self.request.user,
            organization=params.get("org"),
            search=params.get("search", ""),
            active=f.ACTIVE_CHOICES[params.get("active", "true")],
        )

    def get_object(self) -> Any:
        return selectors.employee_get(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """People in your scope. Filters: org (code), search, active."""
        return super().list(request, *args, **kwargs)

    # A client whose answer was lost retries with the same key and gets the same 201, not
    # a refusal for the employee number it has just taken.
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put a person on the roster of a unit you manage."""
        return super().create(request, *args, **kwargs)

    def create_record(self, data: dict[str, Any]) -> Employee:
        return services.employee_create(actor=self.request.user, **data)

    def update_record(self, instance: Employee, data: dict[str, Any]) -> Employee:
        return services.employee_update(actor=self.request.user, employee=instance, **data)


# --- Memberships -------------------------------------------------------------------------------------


@extend_schema_view(create=extend_schema(description="Give someone a role on an organisation you administer."))
class MembershipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, CreateMixin, ApiViewSet
):
    """Roles held on organisations in your scope (and your own roles)."""

    serializer_class = s.MembershipSerializer
    create_serializer_class = s.MembershipWriteSerializer
    filter_class = f.MembershipFilter
    queryset = Membership.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet[Any]:
        params = self.filters
        qs = account_selectors.membership_list(user=self.request.user, organization=params.get("org"))
        return qs.filter(role=params["role"]) if params.get("role") else qs

    def get_object(self) -> Any:
        return account_selectors.membership_get(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Roles in your scope. Filters: org (code), role."""
        return super().list(request, *args, **kwargs)

    def create_record(self, data: dict[str, Any]) -> Membership:
        organization, role, username = data["organization"], data["role"], data["username"]
        actor = self.request.user
        # Refuse (audited) before looking the person up, so the answer says nothing about
        # who has a login to someone who may not grant this role here anyway.
        account_services.membership_grant_check(actor=actor, username=username, organization=organization, role=role)
        user = User.objects.filter(username=username).first()
        if user is None:
            raise exceptions.ValidationError({"username": [_("No login has this user name.")]})
        return account_services.membership_grant(actor=actor, user=user, organization=organization, role=role)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Take a role away (on an organisation you administer)."""
        account_services.membership_revoke(actor=request.user, membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Leadership groups -------------------------------------------------------------------------------


class LeadershipGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Emergency leadership groups in your scope, with their members and duties."""

    serializer_class = s.LeadershipGroupSerializer
    queryset = LeadershipGroup.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet[Any]:
        # The selector prefetches the members (in their model order: order, id).
        return selectors.leadership_group_list(user=self.request.user).order_by("organization__path")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Leadership groups in your scope."""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One leadership group with its members and their duties."""
        return super().retrieve(request, *args, **kwargs)
