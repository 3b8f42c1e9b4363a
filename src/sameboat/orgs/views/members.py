"""Memberships (granting and revoking roles) and an organisation's leadership group."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sameboat.accounts.roles import ADMIN_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.accounts.selectors import membership_get
from sameboat.accounts.services import (
    membership_grant,
    membership_grant_check,
    membership_revoke,
)
from sameboat.core import exceptions as domain
from sameboat.orgs import services
from sameboat.orgs.forms import (
    LeadershipGroupForm,
    LeadershipMemberForm,
    MembershipGrantForm,
)
from sameboat.orgs.selectors import (
    leadership_group_for,
    leadership_member_get,
    organization_get,
)
from sameboat.orgs.views.common import (
    _admin_org,
    _errors_to_messages,
    _require,
    _run,
    _run_or_message,
)


@login_required
@require_POST
def member_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a login a role on this organisation; a refusal is a message here (and audited)."""
    org = organization_get(user=request.user, pk=pk)
    may_admin = reaches(request.user, org, ADMIN_ROLES)
    # Every role is accepted so that a forged one reaches the service, which refuses it with
    # a message and an audit event; the page's form offers only the grantable ones.
    form = MembershipGrantForm(request.POST)
    if not form.is_valid():
        _require(may_admin)
    else:
        username, role = form.cleaned_data["username"].strip(), form.cleaned_data["role"]
        try:
            # Before the person is looked up: someone who may not grant this here learns
            # nothing about which logins exist.
            membership_grant_check(actor=request.user, username=username, organization=org, role=role)
        except domain.PermissionDenied as exc:
            _require(may_admin)  # not an administrator here at all: the 403 page, as before
            messages.error(request, str(exc.message))
        else:
            person = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
            if person is None:
                form.add_error("username", _("No active login is called %(name)s.") % {"name": username})
            elif _run_or_message(
                request,
                form,
                lambda: membership_grant(actor=request.user, user=person, organization=org, role=role),
            ):
                messages.success(request, _("%(user)s now has that role.") % {"user": person})
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#members")


@login_required
@require_POST
def member_revoke(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Take a role away (the page asks to confirm first)."""
    org = organization_get(user=request.user, pk=pk)
    membership = membership_get(user=request.user, pk=membership_pk)
    if membership.organization_id != org.pk:
        raise Http404
    form = forms.Form()

    def revoke() -> bool:
        membership_revoke(actor=request.user, membership=membership)
        return True

    # The service decides and audits a refusal; not administering here at all stays a 403.
    try:
        revoked = _run(form, revoke)
    except PermissionDenied as exc:
        _require(reaches(request.user, org, ADMIN_ROLES))
        messages.error(request, str(exc))
        revoked = None
    if revoked:
        messages.success(request, _("The role was taken away."))
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#members")


@login_required
@require_POST
def leadership_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set up or rename the organisation's leadership group."""
    org = _admin_org(request, pk)
    form = LeadershipGroupForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.leadership_group_set(
            actor=request.user,
            organization=org,
            name=form.cleaned_data["name"],
            established_on=form.cleaned_data["established_on"],
        ),
    ):
        messages.success(request, _("The leadership group was saved."))
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#leadership")


@login_required
@require_POST
def leader_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Seat someone in the leadership group (set up first if there is none)."""
    org = _admin_org(request, pk)
    form = LeadershipMemberForm(request.POST)
    if form.is_valid():

        def add() -> Any:
            group = leadership_group_for(user=request.user, organization=org)
            if group is None:
                group = services.leadership_group_set(actor=request.user, organization=org)
            return services.leadership_member_add(actor=request.user, group=group, **form.cleaned_data)

        if _run(form, add):
            messages.success(
                request,
                _("%(name)s joined the leadership group.") % {"name": form.cleaned_data["person_name"]},
            )
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#leadership")


@login_required
@require_POST
def leader_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Take someone off the leadership group (the page asks to confirm first)."""
    org = _admin_org(request, pk)
    member = leadership_member_get(user=request.user, pk=member_pk)
    if member.group.organization_id != org.pk:
        raise Http404
    form = forms.Form()
    _run(form, lambda: services.leadership_member_remove(actor=request.user, member=member))
    if form.errors:
        _errors_to_messages(request, form)
    else:
        messages.success(request, _("%(name)s left the leadership group.") % {"name": member.person_name})
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#leadership")
