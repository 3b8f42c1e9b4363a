"""Sorting names the way a reader of either language expects, without a database collation."""

from __future__ import annotations

# Place names whose first character GB2312 files under another reading: 重庆 is read
# Chongqing, not "zhong", so it sorts as if written with 虫 (chong).
_PLACE_READINGS = str.maketrans({"重": "虫"})


def collation_key(text: str) -> bytes:
    """A sort key for names in Chinese or English.

    GB18030 keeps GB2312's order, whose 3,755 common characters are laid out by pinyin
    (北京 before 湖北 before 天津), and Latin letters sort before any Chinese character.
    Rare characters fall in radical order and a polyphone sorts by its commonest reading
    (the few that matter in place names are mapped above): good enough for short
    reference lists such as regions. Casefolded, so "hubei" and "Hubei" sort together.
    """
    return text.casefold().translate(_PLACE_READINGS).encode("gb18030", errors="replace")
