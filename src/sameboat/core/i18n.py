"""Helpers for records that carry their own Chinese and English text."""

from __future__ import annotations

from django.utils.translation import get_language


def prefers_chinese() -> bool:
    """Whether the active language is Chinese."""
    return (get_language() or "en").lower().startswith("zh")


def pick(zh: str, en: str) -> str:
    """The text in the active language, falling back to the other one when it is empty."""
    if prefers_chinese():
        return zh or en
    return en or zh
