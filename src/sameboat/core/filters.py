"""What every list's filters share: a bad value is a message beside its field, never a 404.

A list page binds its filters to the query string with a ``FilterForm`` and asks it for
``values()``: the cleaned value of each field that is valid, and the field's default for
one that is missing or wrong. The list is then shown filtered by everything else the
person chose, and the form (with what they typed) says what was wrong where they typed it.
Fields that look something up for the person (an organisation they may see) receive the
user through ``for_user(user)`` before they are cleaned.
"""

from __future__ import annotations

from typing import Any

from django import forms


class FilterForm(forms.Form):
    """A list's filters, read from the query string (``request.GET``)."""

    def __init__(self, data: Any = None, *, user: Any = None, **kwargs: Any) -> None:
        # An empty query string is an unbound form: no errors, every filter at its default.
        super().__init__(data or None, **kwargs)
        self.user = user
        for field in self.fields.values():
            for_user = getattr(field, "for_user", None)
            if for_user is not None:
                for_user(user)

    def default(self, name: str) -> Any:
        """A filter's value when it is not given or not valid: the field's initial value."""
        field = self.fields[name]
        initial = self.initial.get(name, field.initial)
        return initial() if callable(initial) else initial

    def values(self) -> dict[str, Any]:
        """Every filter's value to apply: the cleaned value where valid, the default elsewhere."""
        if not self.is_bound:
            return {name: self.default(name) for name in self.fields}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name] if name in cleaned and name not in self.errors else self.default(name)
            for name in self.fields
        }
