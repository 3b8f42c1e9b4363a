"""Checks of an uploaded file's container before anything parses it.

A 1.6 KB workbook can ask a reader for 512 GiB, a zip can unpack a thousandfold and an XML
part can define entities that expand exponentially. These checks look only at bytes, with
bounded memory: the zip's central directory (how many parts, how big unpacked, how well
packed), each part's real unpacked size (streamed, never held), any XML declaration that is
not a comment or CDATA (DOCTYPE, ENTITY), and the range a worksheet declares. What they
cannot foresee, the reader meets in a child process under a memory limit
(sameboat.core.xlsx_reader).

Standard library only: the reader's child process imports nothing from Django.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Signatures of what people upload by mistake, or on purpose, under a spreadsheet's name.
# Only signatures with bytes no CSV text starts with.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
    (b"\x7fELF", "elf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
)
ZIP_LOCAL = b"PK\x03\x04"
ZIP_END = b"PK\x05\x06"
REQUIRED_PARTS = ("[content_types].xml", "xl/workbook.xml")
XML_SUFFIXES = (".xml", ".rels", ".vml")
MAX_PARTS = 5000
# Parts smaller than this unpacked are not held to the ratio: tiny parts pack oddly.
RATIO_FLOOR = 1 << 20
_READ = 1 << 18
_OUT = 1 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"')


class Refused(Exception):
    """The file is refused; ``code`` names why (the caller turns it into words), ``params``
    fill the message."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Limits:
    """How far a workbook may go before it is refused."""

    max_unpacked: int  # bytes, all parts together
    max_ratio: int  # unpacked / packed, per part
    max_rows: int
    max_columns: int


def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is (a key of MAGIC), or None for unknown."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def column_number(letters: str) -> int:
    """A1-style column letters as a number (A = 1, XFD = 16384)."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def check_xlsx(path: Path, limits: Limits) -> None:
    """Refuse a file that is not a plain OOXML workbook or that would unpack or expand too
    far; returns only when every part was streamed and found in bounds."""
    check_xlsx_parts(path, check_xlsx_directory(path, limits), limits)


def check_xlsx_directory(path: Path, limits: Limits) -> list[Any]:
    """The quick checks: the signature, the central directory (parts, declared sizes and
    ratios) and the start of each XML part (its encoding, declarations in its prolog, a
    sheet's declared range). Returns the parts, for check_xlsx_parts."""
    with path.open("rb") as fh:
        head = fh.read(8)
        if not head.startswith(ZIP_LOCAL):
            kind = sniff(head)
            raise Refused("ole" if kind == "ole" else "not_xlsx", kind=kind)
        check_end_record(fh)
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise Refused("broken_zip", reason=str(exc)[:200]) from None
    if len(infos) > MAX_PARTS:
        raise Refused("too_many_parts", limit=MAX_PARTS)
    names = {info.filename.lower() for info in infos}
    if not all(part in names for part in REQUIRED_PARTS):
        raise Refused("not_ooxml")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused("compression", part=info.filename[:100])
        total += info.file_size
        if total > limits.max_unpacked:
            raise Refused("unpacked_size", limit_mb=limits.max_unpacked >> 20)
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(1, info.compress_size):
            raise Refused(
                "ratio",
                part=info.filename[:100],
                ratio=info.file_size // max(1, info.compress_size),
                limit=limits.max_ratio,
            )
    with path.open("rb") as fh:
        for info in infos:
            _stream_part(fh, info, limits, head_only=True)
    return infos


def check_xlsx_parts(path: Path, infos: list[Any], limits: Limits) -> None:
    """The thorough check: every part unpacked in full, in bounded chunks: its real size is
    the declared one, and no XML part holds a declaration anywhere."""
    with path.open("rb") as fh:
        for info in infos:
            _stream_part(fh, info, limits, head_only=False)


def check_end_record(fh: Any) -> None:
    # Read the end-of-central-directory record ourselves: the zipfile module would build an
    # object per entry before anyone could count them.
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(max(0, size - 65557))
    tail = fh.read()
    at = tail.rfind(ZIP_END)
    if at < 0 or len(tail) - at < 22:
        raise Refused("broken_zip", reason="no end of central directory")
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if entries == 0xFFFF or entries > MAX_PARTS:  # 0xFFFF: ZIP64, which no workbook of ours needs
        raise Refused("too_many_parts", limit=MAX_PARTS)


def _stream_part(fh: Any, info: Any, limits: Limits, *, head_only: bool) -> None:
    """Unpack one part in bounded chunks: its real size must be the declared one, and an
    XML part may hold no declaration but comments and CDATA. ``head_only``: look at the
    first chunk of an XML part only."""
    if head_only and not info.filename.lower().endswith(XML_SUFFIXES):
        return
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or not local.startswith(ZIP_LOCAL):
        raise Refused("broken_zip", reason="bad local header")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    name = info.filename
    lowered = name.lower()
    is_xml = lowered.endswith(XML_SUFFIXES)
    is_sheet = lowered.startswith("xl/worksheets/") and lowered.endswith(".xml")
    produced = 0
    pending = b""
    first = True
    for out in _unpacked(fh, info):
        produced += len(out)
        if produced > info.file_size:
            # The directory said less than the part unpacks to: a bomb that lies.
            raise Refused("size_lie", part=name[:100])
        if is_xml and out:
            if first:
                _check_encoding(out, name)
                if is_sheet:
                    _check_dimension(out[:65536], limits)
                first = False
            pending = _scan_declarations(pending + out, name)
            if head_only:
                return
    if produced != info.file_size:
        raise Refused("broken_zip", reason=f"{name[:100]}: size differs")
    if pending.startswith(b"<!"):
        raise Refused("doctype", part=name[:100])


def _unpacked(fh: Any, info: Any) -> Iterator[bytes]:
    """The part's bytes, unpacked in chunks of at most _OUT bytes."""
    inflate = zlib.decompressobj(-15) if info.compress_type == 8 else None
    left = info.compress_size
    try:
        while left > 0:
            raw = fh.read(min(_READ, left))
            if not raw:
                raise Refused("broken_zip", reason="truncated")
            left -= len(raw)
            if inflate is None:
                yield raw
                continue
            yield inflate.decompress(raw, _OUT)
            while inflate.unconsumed_tail:
                yield inflate.decompress(inflate.unconsumed_tail, _OUT)
        if inflate is not None:
            yield inflate.flush()
    except zlib.error as exc:
        raise Refused("broken_zip", reason=str(exc)[:200]) from None


def _check_encoding(start: bytes, name: str) -> None:
    # UTF-16 would hide "<!" from a byte scan; Excel writes UTF-8 only.
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start[:64]:
        raise Refused("xml_encoding", part=name[:100])


def _scan_declarations(data: bytes, name: str) -> bytes:
    """Refuse "<!" that opens anything but a comment or CDATA (DOCTYPE, ENTITY, …);
    returns the bytes to carry into the next chunk."""
    # Look for "!", not "<!": a sheet has a "<" every few bytes and "!" almost never, so
    # this runs at memchr speed (20 times faster on a 96 MB sheet).
    pos = data.find(b"!", 1)
    while pos != -1:
        if data[pos - 1] == 0x3C:  # "<"
            start = pos - 1
            if len(data) - start < 9:
                return data[start:]  # too close to the end to tell: decide with the next chunk
            if not (data.startswith(b"<!--", start) or data.startswith(b"<![CDATA[", start)):
                raise Refused("doctype", part=name[:100])
        pos = data.find(b"!", pos + 1)
    return data[-1:]


def _check_dimension(start: bytes, limits: Limits) -> None:
    found = _DIMENSION.search(start)
    if not found:
        return
    last_col, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
    rows, columns = int(last_row), column_number(last_col.decode())
    if rows > limits.max_rows or columns > limits.max_columns:
        raise Refused(
            "dimension",
            range=found.group(0).split(b'"')[1].decode()[:40],
            rows=rows,
            columns=columns,
            max_rows=limits.max_rows,
            max_columns=limits.max_columns,
        )


def check_csv_head(head: bytes) -> None:
    """Refuse a binary file named .csv, naming what it is when its signature says."""
    kind = sniff(head)
    if kind is not None:
        raise Refused("not_csv", kind=kind)


def longest_line_within(chunk: bytes, carried: int, limit: int) -> int:
    """Bytes since the last newline after ``chunk`` (``carried`` before it); Refused when a
    line runs past ``limit``. Lines wholly inside a chunk no longer than ``limit`` need no
    look: only the stretch across chunk boundaries is measured."""
    first = chunk.find(b"\n")
    if first == -1:
        carried += len(chunk)
        if carried > limit:
            raise Refused("csv_line", limit=limit)
        return carried
    if carried + first > limit:
        raise Refused("csv_line", limit=limit)
    if len(chunk) > limit:
        # A chunk bigger than the limit can hide a long line between two newlines.
        for line in chunk.split(b"\n"):
            if len(line) > limit:
                raise Refused("csv_line", limit=limit)
    return len(chunk) - chunk.rfind(b"\n") - 1
