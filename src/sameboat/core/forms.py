"""What every page's forms share: a service's refusal shown where the person can act on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpRequest

from sameboat.core.exceptions import DomainError, PermissionDenied
from sameboat.core.throttle import Throttled


def apply_domain_error(form: forms.BaseForm, exc: DomainError, *, field_map: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal next to the field it names (``field_map`` renames a
    service's argument to the form's field), or above the form when it names none."""
    field = (field_map or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, str(exc.message))


@dataclass
class Outcome:
    """What came of the service calls inside ``domain_errors``."""

    error: DomainError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def domain_errors(
    form: forms.BaseForm | None = None,
    *,
    request: HttpRequest | None = None,
    field_map: Mapping[str, str] | None = None,
    on_denied: Callable[[PermissionDenied], None] | None = None,
) -> Iterator[Outcome]:
    """Run a view's service calls: a refusal (``DomainError``) lands on ``form`` (without a
    form, as a message for ``request``) and ``Outcome.failed`` is set, never a 500; a
    permission refusal is a 403 unless ``on_denied`` handles it.

        with domain_errors(form) as outcome:
            case_add_note(actor=request.user, case=case, text=form.cleaned_data["text"])
        if not outcome.failed:
            return redirect(...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except Throttled:
        # Not a refusal of what was typed: the view answers it with a 429 page.
        raise
    except PermissionDenied as exc:
        if on_denied is None:
            raise HttpForbidden(str(exc.message)) from exc
        outcome.error = exc
        on_denied(exc)
    except DomainError as exc:
        outcome.error = exc
        if form is not None:
            apply_domain_error(form, exc, field_map=field_map)
        elif request is not None:
            messages.error(request, str(exc.message))
        else:
            raise


def form_run(form: forms.BaseForm, call: Callable[[], Any], *, field_map: Mapping[str, str] | None = None) -> Any:
    """Call one service; its result, or None when it refused (the refusal is on the form)."""
    with domain_errors(form, field_map=field_map):
        return call()
    return None
