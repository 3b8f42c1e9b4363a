"""Fields every domain's API shares: bounded numbers for every id and number the API
takes, and records named by their code.

The database's integers are 64-bit: a bigger number reaches a lookup or a raw statement
and fails there (an OverflowError on SQLite, an out-of-range error on PostgreSQL): a 500
instead of a 400. Every integer the API reads goes through these fields, ids in URLs match
``ID_PATTERN`` (routers.py, core.converters), and a test walks every input serializer to
hold it so.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

# The largest value of a signed 64-bit integer (BigAutoField, BigIntegerField).
DB_INT_MAX = 2**63 - 1
DB_INT_MIN = -(2**63)


class BoundedIntegerField(serializers.IntegerField):
    """An integer the database can hold; a bigger or smaller one is a 400 naming the field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", DB_INT_MAX)
        kwargs.setdefault("min_value", DB_INT_MIN)
        super().__init__(**kwargs)


class IdField(BoundedIntegerField):
    """A record's id: a whole number from 1 up to what the database can hold."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


class CodeField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A record named by its code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        # PostgreSQL cannot even compare a text with a NUL byte in it: it would be a 500.
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)
