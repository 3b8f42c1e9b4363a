"""API views of the core resources. Reads come from the selectors (scoped: out of scope is
404, like missing); writes go through the services, whose refusals become the one error
shape (a rule broken: 422; not allowed: 403)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat.accounts import selectors as account_selectors
from sameboat.accounts import services as account_services
from sameboat.accounts.models import Membership, User
from sameboat.api import filters as f
from sameboat.api import serializers as s
from sameboat.api.errors import error_response
from sameboat.api.schema import AutoSchema
from sameboat.core.exceptions import DomainError
from sameboat.orgs import selectors, services
from sameboat.orgs.models import Employee, LeadershipGroup, Organization, Region


class ApiViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Base of the resource viewsets: the error-aware schema."""

    schema = AutoSchema()
    # A service's field name -> the name this resource uses for it in the API.
    api_field_names: dict[str, str] = {}

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DomainError) and exc.field in self.api_field_names:
            exc.field = self.api_field_names[exc.field]
        return super().handle_exception(exc)

    def paged(self, queryset: Any, serializer_class: Any) -> Response:
        """One page of ``queryset`` in the paging shape."""
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


# --- Organisations ---------------------------------------------------------------------------------


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Organisations in your scope, in tree order."""

    serializer_class = s.OrganizationSerializer
    queryset = Organization.objects.none()  # for the schema; get_queryset scopes every request

    def get_queryset(self) -> QuerySet[Organization]:
        if self.action != "list":
            return selectors.organization_list(user=self.request.user)
        params = f.filter_params(f.OrganizationFilter, self.request)
        qs = selectors.organization_list(
            user=self.request.user, search=params.get("search", ""), kind=params.get("kind", "")
        )
        parent = params.get("parent")
        if parent is not None:
            qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
        return qs

    @extend_schema(parameters=[f.OrganizationFilter])
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

    @extend_schema(request=s.OrganizationCreateSerializer, responses={201: s.OrganizationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add an organisation under a parent you administer."""
        payload = s.OrganizationCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        org = services.organization_create(actor=request.user, parent=data.pop("parent", None), **data)
        return Response(s.OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OrganizationUpdateSerializer, responses=s.OrganizationSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Replace an organisation's own fields (not its place in the tree: see move)."""
        org = self.get_object()
        payload = s.OrganizationUpdateSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        org = services.organization_update(actor=request.user, organization=org, **payload.validated_data)
        return Response(s.OrganizationSerializer(org).data)

    @extend_schema(request=s.OrganizationUpdateSerializer, responses=s.OrganizationSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change some of an organisation's own fields."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=s.OrganizationMoveSerializer, responses=s.OrganizationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move the organisation and its subtree under another parent (you administer both)."""
        org = self.get_object()
        payload = s.OrganizationMoveSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        org = services.organization_move(
            actor=request.user, organization=org, new_parent=payload.validated_data["parent"]
        )
        return Response(s.OrganizationSerializer(org).data)


# --- Regions ----------------------------------------------------------------------------------------


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Regions with their risk level and rules: reference data for everyone logged in."""

    queryset = Region.objects.none()  # for the schema; get_queryset builds every request's

    def get_queryset(self) -> QuerySet[Any]:
        params = f.filter_params(f.RegionFilter, self.request) if self.action == "list" else {}
        return selectors.region_list_with_rules(
            country=params.get("country", ""),
            search=params.get("search", ""),
            with_history=self.action == "retrieve",
        )

    def get_serializer_class(self) -> Any:
        return s.RegionDetailSerializer if self.action == "retrieve" else s.RegionSerializer

    @extend_schema(parameters=[f.RegionFilter])
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
        payload = s.RegionRuleWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rule = services.region_rule_set(actor=request.user, region=region, **payload.validated_data)
        return Response(s.RegionRuleSerializer(rule).data, status=status.HTTP_201_CREATED)


# --- People (the roster) -----------------------------------------------------------------------------


class EmployeeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """People on the rosters in your scope (and your own entry)."""

    serializer_class = s.EmployeeSerializer
    api_field_names = {"organization": "unit"}
    queryset = Employee.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet[Any]:
        params: dict[str, Any] = (
            f.filter_params(f.EmployeeFilter, self.request) if self.action == "list" else {"active": "all"}
        )
        return selectors.employee_list(
            user=self.request.user,
            organization=params.get("org"),
            search=params.get("search", ""),
            active=f.ACTIVE_CHOICES[params.get("active", "true")],
        )

    def get_object(self) -> Any:
        return selectors.employee_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[f.EmployeeFilter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """People in your scope. Filters: org (code), search, active."""
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.EmployeeWriteSerializer, responses={201: s.EmployeeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put a person on the roster of a unit you manage."""
        payload = s.EmployeeWriteSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        employee = services.employee_create(actor=request.user, **payload.validated_data)
        return Response(s.EmployeeSerializer(employee).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EmployeeWriteSerializer, responses=s.EmployeeSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Replace a roster entry (a new unit moves the person; you must manage both)."""
        employee = self.get_object()
        payload = s.EmployeeWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        employee = services.employee_update(actor=request.user, employee=employee, **payload.validated_data)
        return Response(s.EmployeeSerializer(employee).data)

    @extend_schema(request=s.EmployeeWriteSerializer, responses=s.EmployeeSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change some fields of a roster entry."""
        return self.update(request, *args, partial=True, **kwargs)


# --- Memberships -------------------------------------------------------------------------------------


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ApiViewSet):
    """Roles held on organisations in your scope (and your own roles)."""

    serializer_class = s.MembershipSerializer
    queryset = Membership.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self) -> QuerySet[Any]:
        params = f.filter_params(f.MembershipFilter, self.request) if self.action == "list" else {}
        qs = account_selectors.membership_list(user=self.request.user, organization=params.get("org"))
        return qs.filter(role=params["role"]) if params.get("role") else qs

    def get_object(self) -> Any:
        return account_selectors.membership_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[f.MembershipFilter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Roles in your scope. Filters: org (code), role."""
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.MembershipWriteSerializer, responses={201: s.MembershipSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Give someone a role on an organisation you administer."""
        payload = s.MembershipWriteSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        organization, role = payload.validated_data["organization"], payload.validated_data["role"]
        username = payload.validated_data["username"]
        # Refuse (audited) before looking the person up, so the answer says nothing about
        # who has a login to someone who may not grant this role here anyway.
        account_services.membership_grant_check(
            actor=request.user, username=username, organization=organization, role=role
        )
        user = User.objects.filter(username=username).first()
        if user is None:
            raise exceptions.ValidationError({"username": [_("No login has this user name.")]})
        membership = account_services.membership_grant(
            actor=request.user, user=user, organization=organization, role=role
        )
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

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


# --- Unknown paths ------------------------------------------------------------------------------------


class NotFoundView(APIView):
    """Unknown paths under /api/ answer the error shape, not an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    schema = AutoSchema()

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        message = _("Not found.")
        # The routes end in a slash; a path without it gets a hint instead of a redirect
        # that would turn a POST into a GET.
        path = request.path_info
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not NotFoundView:
                message = _("Not found. Did you mean %(path)s?") % {"path": request.path + "/"}
        return error_response("not_found", message, status.HTTP_404_NOT_FOUND)

    post = put = patch = delete = options = get
