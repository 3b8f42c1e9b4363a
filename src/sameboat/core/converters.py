"""Path converters of the site's URLs."""

from __future__ import annotations

# Ids in URLs: up to 18 digits, so every one fits a 64-bit integer (2**63 - 1 has 19). A
# longer one is no page (404) before any query or raw statement meets it; Django's own
# <int:> matches any length. The API's routers use the same pattern (sameboat.api.routers).
ID_PATTERN = "[0-9]{1,18}"


class IdConverter:
    """``<id:pk>``: a record id that fits the database's integers."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))
