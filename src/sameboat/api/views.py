"""API views of the core resources. Reads come from the selectors (scoped); writes go
through the services, whose refusals become the one error shape."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat.accounts import selectors as account_selectors
from sameboat.accounts import services as account_services
from sameboat.accounts.models import User
from sameboat.api import serializers as s
from sameboat.api.errors import error_response
from sameboat.core.exceptions import DomainError
from sameboat.orgs import selectors, services
from sameboat.orgs.models import Region, RegionRule


def _scoped_orgs(request: Request) -> QuerySet[Any]:
    return selectors.organization_list(user=request.user)


def _limit(payload: serializers.Serializer, name: str, request: Request) -> None:
    # An organisation out of the caller's scope is "does not exist", as everywhere else.
    field: Any = payload.fields[name]
    field.queryset = _scoped_orgs(request)


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations in your scope. Filters: kind, search, parent (code)."""

    serializer_class = s.OrganizationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        qs = selectors.organization_list(
            user=self.request.user, search=params.get("search", ""), kind=params.get("kind", "")
        )
        parent = params.get("parent")
        if parent:
            org = selectors.organization_get(user=self.request.user, code=parent)
            qs = qs.filter(path__startswith=org.path, depth=org.depth + 1)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR),
            OpenApiParameter("search", OpenApiTypes.STR),
            OpenApiParameter("parent", OpenApiTypes.STR, description="Code of the parent organisation"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Organisations in your scope."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.OrganizationSerializer(many=True))
    @action(detail=True)
    def children(self, request: Request, pk: str | None = None) -> Response:
        """The organisation's direct children in your scope."""
        org = self.get_object()
        page = self.paginate_queryset(selectors.organization_children(user=request.user, organization=org))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.OrganizationWriteSerializer, responses={201: s.OrganizationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add an organisation under a parent you manage."""
        payload = s.OrganizationWriteSerializer(data=request.data)
        _limit(payload, "parent", request)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        org = services.organization_create(actor=request.user, parent=data.pop("parent", None), **data)
        return Response(s.OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OrganizationWriteSerializer, responses=s.OrganizationSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change an organisation's fields (not its place in the tree)."""
        org = self.get_object()
        payload = s.OrganizationWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = {k: v for k, v in payload.validated_data.items() if k != "parent"}
        org = services.organization_update(actor=request.user, organization=org, **data)
        return Response(s.OrganizationSerializer(org).data)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions with their risk level and rules (reference data for everyone logged in)."""

    queryset = Region.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = selectors.region_list()
        return qs.prefetch_related("rules") if self.action == "retrieve" else qs

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return s.RegionDetailSerializer if self.action == "retrieve" else s.RegionSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["current_rules"] = {r.pk: rule for r, rule in selectors.regions_with_current_rules()}
        return context

    @extend_schema(request=s.RegionRuleSerializer, responses={201: s.RegionRuleSerializer})
    @action(detail=True, methods=["post"])
    def rules(self, request: Request, pk: str | None = None) -> Response:
        """Record the region's rules from a date on (HQ only)."""
        region = self.get_object()
        payload = s.RegionRuleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rule: RegionRule = services.region_rule_set(actor=request.user, region=region, **payload.validated_data)
        return Response(s.RegionRuleSerializer(rule).data, status=status.HTTP_201_CREATED)


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    """People on the rosters in your scope. Filters: org (code), search, active."""

    serializer_class = s.EmployeeSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        org = selectors.organization_get(user=self.request.user, code=params["org"]) if params.get("org") else None
        active = {"true": True, "false": False}.get(params.get("active", "true").lower())
        return selectors.employee_list(
            user=self.request.user, organization=org, search=params.get("search", ""), active=active
        )

    def get_object(self):  # type: ignore[no-untyped-def]
        return selectors.employee_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.STR, description="Organisation code: its whole subtree"),
            OpenApiParameter("search", OpenApiTypes.STR),
            OpenApiParameter("active", OpenApiTypes.STR, enum=["true", "false", "all"]),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """People in your scope."""
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.EmployeeWriteSerializer, responses={201: s.EmployeeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put a person on a unit's roster."""
        payload = s.EmployeeWriteSerializer(data=request.data)
        _limit(payload, "unit", request)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        employee = services.employee_create(actor=request.user, **data)
        return Response(s.EmployeeSerializer(employee).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EmployeeWriteSerializer, responses=s.EmployeeSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a roster entry."""
        employee = self.get_object()
        payload = s.EmployeeWriteSerializer(data=request.data, partial=True)
        _limit(payload, "unit", request)
        payload.is_valid(raise_exception=True)
        employee = services.employee_update(actor=request.user, employee=employee, **payload.validated_data)
        return Response(s.EmployeeSerializer(employee).data)


class MembershipViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Roles held on organisations in your scope (and your own)."""

    serializer_class = s.MembershipSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return account_selectors.membership_list(user=self.request.user)

    @extend_schema(request=s.MembershipWriteSerializer, responses={201: s.MembershipSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Give someone a role on an organisation you manage."""
        payload = s.MembershipWriteSerializer(data=request.data)
        _limit(payload, "organization", request)
        payload.is_valid(raise_exception=True)
        user = User.objects.filter(username=payload.validated_data["username"]).first()
        if user is None:
            raise DomainError(_("No such user."), field="username")
        membership = account_services.membership_grant(
            actor=request.user,
            user=user,
            organization=payload.validated_data["organization"],
            role=payload.validated_data["role"],
        )
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Any) -> None:
        account_services.membership_revoke(actor=self.request.user, membership=instance)


class LeadershipGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Emergency leadership groups in your scope, with their members and duties."""

    serializer_class = s.LeadershipGroupSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.leadership_group_list(user=self.request.user).order_by("organization__path")


class TokenView(APIView):
    """Exchange a user name and password for an API token (login lockout applies)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request: Request) -> Response:
        """Return the caller's token, creating it on first use."""
        data: Any = request.data
        user = authenticate(
            request=request._request, username=data.get("username", ""), password=data.get("password", "")
        )
        if getattr(request._request, "axes_locked_out", False):
            return error_response("locked_out", _("Too many failed attempts; try again later."), 403)
        if user is None or not user.is_active:
            return error_response("invalid_credentials", _("The user name or password is wrong."), 400)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class NotFoundView(APIView):
    """Unknown paths under /api/ answer the error shape, not an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return error_response("not_found", _("Not found."), 404)

    post = put = patch = delete = get
