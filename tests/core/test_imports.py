"""The import framework: reading CSV and xlsx, matching headers, checking cells, errors."""

from __future__ import annotations

import zipfile

import pytest
from django.utils import translation

from sameboat.core.import_text import render_text
from sameboat.core.imports import (
    MAX_ERRORS,
    Column,
    ErrorLog,
    Progress,
    RowError,
    check_email,
    check_length,
    estimate_rows,
    iter_rows,
    match_header,
    norm,
    parse_bool,
    records,
    unquote,
)
from sameboat.core.jobs import JobFailed

COLUMNS = (
    Column("no", "Number", True, aliases=("编号",)),
    Column("name", "Name", True),
    Column("note", "Note"),
)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_csv_utf8_with_bom_and_gb18030(tmp_path):
    text = "Number,Name\n1,张三\n"
    assert list(iter_rows(write(tmp_path, "a.csv", ("\ufeff" + text).encode()), "a.csv")) == [
        ["Number", "Name"],
        ["1", "张三"],
    ]
    assert list(iter_rows(write(tmp_path, "b.csv", text.encode("gb18030")), "b.csv"))[1] == ["1", "张三"]


def test_gb18030_found_late_in_a_big_file_reads_each_row_once(tmp_path):
    # The first megabytes are plain ASCII; only the last row is not UTF-8.
    lines = ["Number,Name"] + [f"{i},name{i}" for i in range(200_000)] + ["200000,王五"]
    path = write(tmp_path, "big.csv", "\n".join(lines).encode("gb18030"))
    rows = list(iter_rows(path, "big.csv"))
    assert len(rows) == len(lines)
    assert rows[-1] == ["200000", "王五"]


def test_undecodable_csv_is_refused_cleanly(tmp_path):
    path = write(tmp_path, "x.csv", b"Number,Name\n1,\xff\xfe\xff\n")
    with pytest.raises(JobFailed, match="encoding"):
        list(iter_rows(path, "x.csv"))


def test_binary_file_named_csv_is_refused_cleanly(tmp_path):
    path = write(tmp_path, "x.csv", b"Number,Name\n1,a\x00b\n")
    with pytest.raises(JobFailed, match="CSV"):
        list(iter_rows(path, "x.csv"))


def test_xlsx_rows_keep_their_numbers_and_formulas_are_text(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"] = "Number", "Name"
    sheet["A4"], sheet["B4"] = 7.0, "=1+1"
    sheet["B4"].data_type = "s"  # a string cell that looks like a formula
    sheet["A6"], sheet["B6"] = "8", "李四"
    path = tmp_path / "a.xlsx"
    book.save(path)
    got = list(records(path, "a.xlsx", COLUMNS))
    assert got == [(4, {"no": "7", "name": "=1+1"}), (6, {"no": "8", "name": "李四"})]


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("a.xlsx", b"just some text", "not an Excel workbook"),
        ("a.xlsx", None, "not an Excel workbook"),  # a ZIP archive that is not a workbook
        ("a.ods", b"PK\x03\x04", ".csv or .xlsx"),
    ],
)
def test_files_that_are_not_spreadsheets(tmp_path, name, data, fragment):
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hello")
    else:
        path.write_bytes(data)
    with pytest.raises(JobFailed, match=fragment):
        list(iter_rows(path, name))


def test_header_matching_is_case_space_and_language_insensitive():
    assert match_header(["  number * ", "NAME", "note"], COLUMNS) == {"no": 0, "name": 1, "note": 2}
    assert match_header(["编号", "name"], COLUMNS) == {"no": 0, "name": 1}
    assert norm(" Unit  Code *") == "unitcode"


def test_translated_labels_are_accepted():
    from django.utils.translation import gettext_lazy

    from sameboat.core.imports import header_aliases

    column = Column("name", gettext_lazy("Name"), True)
    with translation.override("zh-hans"):
        chinese = str(column.label)
    assert header_aliases([column])[norm(chinese)] == "name"


@pytest.mark.parametrize(
    ("header", "fragments"),
    [
        (["Name", "Note"], ["missing column(s): Number", "Expected: Number*, Name*, Note"]),
        (["Number", "Name", "Colour"], ["unknown column(s): Colour"]),
        (["Number", "Name", "编号"], ["given twice: Number"]),
        (None, ["empty"]),
        (["", " "], ["empty"]),
    ],
)
def test_bad_headers_say_what_is_wrong(header, fragments):
    with pytest.raises(JobFailed) as info:
        match_header(header, COLUMNS)
    for fragment in fragments:
        assert fragment in str(info.value.message)


def test_records_skip_blank_rows_and_pad_short_ones(tmp_path):
    path = write(tmp_path, "a.csv", b"\n,,\nNumber,Note,Name\n1\n\n2,x,y\n")
    assert list(records(path, "a.csv", COLUMNS)) == [
        (4, {"no": "1", "note": "", "name": ""}),
        (6, {"no": "2", "note": "x", "name": "y"}),
    ]


def test_values_checks():
    assert parse_bool("是", "c") is True and parse_bool("No", "c") is False
    assert parse_bool("", "c", default=True) is True
    with pytest.raises(RowError):
        parse_bool("maybe", "c")
    assert check_email("a@example.test", "e") == "a@example.test" and check_email("", "e") == ""
    with pytest.raises(RowError) as info:
        check_email("nope", "email")
    assert info.value.column == "email"
    with pytest.raises(RowError, match="40"):
        check_length("x" * 41, "no", 40)
    # Our exports put an apostrophe before formula-like text; importing gives the text back.
    assert unquote("'=SUM(A1)") == "=SUM(A1)" and unquote("'quoted") == "'quoted" and unquote("") == ""


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_value_an_export_quotes_imports_back_as_itself(start):
    """One list of formula starts serves both ways: what safe_cell quotes, unquote undoes
    (a tab-led value used to come back with the apostrophe the export added)."""
    from sameboat.core.spreadsheets import safe_cell

    value = f"{start}1+1"
    assert safe_cell(value) == "'" + value
    assert unquote(safe_cell(value)) == value


def test_error_log_keeps_the_first_errors_and_counts_the_rest():
    log = ErrorLog.for_columns(COLUMNS)
    for row in range(2, 2 + MAX_ERRORS + 37):
        log.add(row, RowError("no", "bad %(v)s", v=row))
    # Stored as the column's key and a phrase with its values, worded when read.
    assert len(log.shown) == MAX_ERRORS and log.shown[0] == {
        "row": 2,
        "column": "no",
        "phrase": "bad %(v)s",
        "args": {"v": 2},
    }
    with pytest.raises(JobFailed) as info:
        log.fail_if_any()
    assert "nothing was imported" in str(info.value.message)
    assert "37 more" in str(info.value.message)
    assert len(info.value.errors) == MAX_ERRORS
    log.fail_if_any(keep_valid=True)  # the person chose to keep the valid rows
    assert log.skipped_report()["skipped"] == MAX_ERRORS + 37
    ErrorLog().fail_if_any()  # nothing wrong: nothing raised


def test_estimate_rows(tmp_path):
    from openpyxl import Workbook

    assert estimate_rows(write(tmp_path, "a.csv", b"h\n1\n2\n"), "a.csv") == 3
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for i in range(50):
        sheet.append([i, "x"])
    book.save(tmp_path / "a.xlsx")
    assert estimate_rows(tmp_path / "a.xlsx", "a.xlsx") == 50
    assert estimate_rows(write(tmp_path, "b.xlsx", b"junk"), "b.xlsx") is None


def test_progress_stays_below_the_saving_mark():
    class Ctx:
        def __init__(self):
            self.calls = []

        def progress(self, percent, stage=None, *, force=False):
            # The stage is stored as a phrase, read in the active language (here English).
            self.calls.append((percent, None if stage is None else render_text(stage)))

    ctx = Ctx()
    progress = Progress(ctx, total=10_000, every=1000)  # type: ignore[arg-type]
    for count in range(1, 12_001):  # more rows than estimated
        progress.row(count)
    progress.saving()
    percents = [p for p, _stage in ctx.calls]
    assert percents[:-1] == sorted(percents[:-1]) and max(percents[:-1]) < 80
    assert ctx.calls[-1] == (80, "Saving…")


def test_no_header_spelling_means_two_columns():
    from sameboat.health.importers import COLUMNS as CHECKIN_COLUMNS
    from sameboat.orgs.importers import EMPLOYEE_COLUMNS, ORG_COLUMNS

    for columns in (EMPLOYEE_COLUMNS, ORG_COLUMNS, CHECKIN_COLUMNS):
        owners: dict[str, set[str]] = {}
        for column in columns:
            spellings = {norm(column.key), *(norm(a) for a in column.aliases)}
            for lang in ("en", "zh-hans"):
                with translation.override(lang):
                    spellings.add(norm(str(column.label)))
            for spelling in spellings:
                owners.setdefault(spelling, set()).add(column.key)
        assert {s: keys for s, keys in owners.items() if len(keys) > 1} == {}
