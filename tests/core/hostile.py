"""Hostile spreadsheets, built by hand in a few kilobytes: what an attacker would upload."""

from __future__ import annotations

import io
import struct
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1)) for _ in range(10)))
        for i in range(1, 10)
    )
    + b"]>\n"
)
# Any row of a real upload: a header the roster import knows.
ROSTER_HEADER = ["Employee number", "Name", "Unit code"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_xml(cells: list[tuple[str, str]], *, dimension: str | None = None, prolog: bytes = b"") -> bytes:
    """A worksheet part with inline-string cells at the given A1 references."""
    rows: dict[int, list[str]] = {}
    for ref, value in cells:
        number = int("".join(c for c in ref if c.isdigit()))
        rows.setdefault(number, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = SHEET_HEAD if not prolog else prolog + SHEET_HEAD.split(b"\n", 1)[1]
    return head + f"{dim}<sheetData>{body}</sheetData></worksheet>".encode()


def workbook(sheet: bytes, *, parts: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    """A minimal .xlsx: the five parts Excel needs, deflated, with ``parts`` replacing any."""
    members = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
    }
    members.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def roster_rows(rows: list[list[str]]) -> list[tuple[str, str]]:
    """Cells for a sheet whose first row is ROSTER_HEADER."""
    cells = []
    for r, row in enumerate([ROSTER_HEADER, *rows], start=1):
        for c, value in enumerate(row):
            cells.append((f"{chr(65 + c)}{r}", value))
    return cells


def dimension_bomb() -> bytes:
    """The finding itself: cells A1 and XFD1048576, and the range that joins them declared."""
    return workbook(sheet_xml([("A1", "Employee number"), ("XFD1048576", "x")], dimension="A1:XFD1048576"))


def hidden_dimension_bomb() -> bytes:
    """The same two cells with no declared range: only reading the sheet finds how far apart they are."""
    return workbook(sheet_xml([("A1", "Employee number"), ("XFD1048576", "x")]))


def zip_bomb(megabytes: int = 20) -> bytes:
    """A sheet padded with megabytes of blanks that pack a thousandfold."""
    padding = b" " * (megabytes << 20)
    sheet = sheet_xml(roster_rows([])).replace(b"<sheetData>", padding + b"<sheetData>")
    return workbook(sheet, level=9)


def lying_zip_bomb() -> bytes:
    """A part whose directory entries declare far less than its data unpacks to."""
    sheet = sheet_xml(roster_rows([])).replace(b"<sheetData>", b" " * (3 << 20) + b"<sheetData>")
    data = bytearray(workbook(sheet, level=9))
    name = b"xl/worksheets/sheet1.xml"
    # Local header: uncompressed size at offset 22; central directory entry: at offset 24.
    local = data.find(b"PK\x03\x04")
    while local != -1:
        if data[local + 30 : local + 30 + len(name)] == name:
            data[local + 22 : local + 26] = struct.pack("<I", 1000)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(name)] == name:
            data[central + 24 : central + 28] = struct.pack("<I", 1000)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def entity_bomb(part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Billion laughs: nine levels of ten references each, in the given part."""
    if part == "xl/worksheets/sheet1.xml":
        sheet = sheet_xml([("A1", "&lol9;")], prolog=BILLION_LAUGHS)
        return workbook(sheet)
    original = {"xl/workbook.xml": WORKBOOK, "[Content_Types].xml": CONTENT_TYPES}[part]
    poisoned = BILLION_LAUGHS + original.split(b"\n", 1)[1]
    return workbook(sheet_xml(roster_rows([])), parts={part: poisoned})


def not_a_workbook_zip() -> bytes:
    """A zip with a document's parts (a .docx, say), renamed .xlsx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<document/>")
    return out.getvalue()
