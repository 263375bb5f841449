# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading bulk-import records from CSV, XLSX, XLS or an inline list, with the import file's header rules.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Rules from CyberArk's "Create CyberArk Cloud Directory users in bulk": every
field has a header, headers match exactly (case and spaces), Login Name and
Email Address are required, at most 10,000 accounts. Blank rows are skipped;
row numbers are the spreadsheet's (the header is row 1).
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import os
import traceback
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _cells, _csv_strict
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError

OPENPYXL_IMPORT_ERROR: str | None
XLRD_IMPORT_ERROR: str | None
try:
    import openpyxl
except ImportError:  # pragma: no cover - reported when an .xlsx file is given
    openpyxl = None
    OPENPYXL_IMPORT_ERROR = traceback.format_exc()
else:
    OPENPYXL_IMPORT_ERROR = None
try:
    import xlrd
except ImportError:  # pragma: no cover - reported when an .xls file is given
    xlrd = None
    XLRD_IMPORT_ERROR = traceback.format_exc()
else:
    XLRD_IMPORT_ERROR = None

MAX_ACCOUNTS = 10_000
HEADERS = (
    "Login Name", "Email Address", "Display Name", "Description", "Office Number", "Mobile number", "Home number",
    "Roles", "Expiration Date", "Password", "Require Password Change", "Password Never Expires", "Reports to",
)
# This collection's extension, not a header of the service's import wizard: the login name a user had, to rename it.
PREVIOUS_NAME = "Previous Login Name"
KNOWN_HEADERS = HEADERS + (PREVIOUS_NAME,)
REQUIRED = ("Login Name", "Email Address")
SNAKE = {h.lower().replace(" ", "_"): h for h in KNOWN_HEADERS}
SECRET_HEADERS = ("Password",)


class ImportFileError(ConfigurationError):
    """The file cannot be read as an import file; ``problems`` lists each reason with its row and column."""

    def __init__(self, message: str, problems: list[dict[str, t.Any]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclasses.dataclass
class Records:
    """What was read: records by header (default and other headers), their row numbers, and the other headers.

    Other headers are imported only when the tenant defines them as additional attributes;
    the caller decides, and lists the rest in ``ignored_headers``.
    """

    rows: list[tuple[int, dict[str, str]]]
    other_headers: list[str]
    source: str
    ignored_headers: list[str] = dataclasses.field(default_factory=list)
    # Rows whose number of values does not match the headers: any value may have shifted into another column.
    misaligned: set[int] = dataclasses.field(default_factory=set)
    # Problems of the file's structure in its rows (field counts, quotes), reported with the row rules; always fatal.
    problems: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)
    broken: set[int] = dataclasses.field(default_factory=set)

    def guarded(self, number: int, values: dict[str, str]) -> bool:
        """Whether a row's values other than its login name must not be echoed (a password may be among them)."""
        return number in self.misaligned or bool(values.get("Password"))


def _cell(value: t.Any) -> str:
    """A spreadsheet cell as text: integral numbers without ``.0`` (phone numbers), dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _cells.restore(str(value).strip())  # an exported cell's protective apostrophe off


def check_headers(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> header, and the headers that are not default fields; raises ImportFileError on any header problem."""
    problems = []
    columns: dict[int, str] = {}
    ignored = []
    folded = {h.lower().replace(" ", ""): h for h in KNOWN_HEADERS}
    for index, header in enumerate(headers):
        column = index + 1
        if header in KNOWN_HEADERS:
            if header in columns.values():
                problems.append({"row": 1, "column": header, "value": header, "message": f"header appears twice (column {column})"})
            columns[index] = header
        elif not header.strip():
            problems.append({"row": 1, "column": None, "value": header, "message": f"column {column} has no header: every field must have a header"})
        elif header.lower().replace(" ", "") in folded:
            expected = folded[header.lower().replace(" ", "")]
            problems.append({"row": 1, "column": header, "value": header,
                             "message": f"headers must match exactly, including case and spaces: write {expected!r}"})
        elif header in columns.values():
            problems.append({"row": 1, "column": header, "value": header, "message": f"header appears twice (column {column})"})
        else:
            columns[index] = header
            ignored.append(header)
    misspelled = {str(p["value"]).lower().replace(" ", "") for p in problems if p["value"]}
    for header in REQUIRED:
        if header not in columns.values() and header.lower().replace(" ", "") not in misspelled:
            problems.append({"row": 1, "column": header, "value": None, "message": f"the required header {header!r} is missing"})
    if problems:
        raise ImportFileError("the import file's headers are not valid", problems)
    return columns, ignored


def _records(raw_rows: t.Iterable[tuple[int, list[t.Any]]], source: str, exact_width: bool = False,
             structure: list[dict[str, t.Any]] | None = None) -> Records:
    """Records from raw rows; ``exact_width`` (CSV) counts a row with fewer values than headers as misaligned.

    ``structure`` holds the reader's problems (quotes), each with its row and 1-based value position. Problems of a
    row's structure are collected, not raised, so that they are reported together with the row rules.
    """
    iterator = iter(raw_rows)
    try:
        _first, header_cells = next(iterator)
    except StopIteration:
        raise ImportFileError(f"{source} is empty: it needs a header row") from None
    headers = [_cell(c) for c in header_cells]
    if not any(headers):
        raise ImportFileError(f"{source} has no header row: its first row is empty")
    columns, ignored = check_headers(headers)
    width = len(header_cells)
    rows = []
    misaligned: set[int] = set()
    broken: set[int] = set()
    problems = []
    for found in structure or []:
        position = found["column"]
        problems.append({"row": found["row"], "column": headers[position - 1] if position and position <= width else None,
                         "value": None, "message": found["message"]})
        broken.add(found["row"])
    for number, cells in iterator:
        values = [_cell(c) for c in cells]
        if not any(values):
            continue  # blank rows, often trailing in spreadsheets
        # A CSV row has exactly one value per header; a spreadsheet's trailing empty cells are no values.
        count = len(values) if exact_width else max([i + 1 for i, v in enumerate(values) if v] or [0])
        if count != width and (exact_width or count > width):
            misaligned.add(number)
        if count > width:
            # Never echo a value past the last header: an unquoted comma may have pushed a password there.
            problems.append({"row": number, "column": None, "value": None,
                             "message": f"row {number} has {count} values for {width} headers: quote values that contain commas"})
            broken.add(number)
        rows.append((number, {header: values[i] if i < len(values) else "" for i, header in columns.items()}))
        if len(rows) > MAX_ACCOUNTS:
            raise ImportFileError(f"{source} holds more than {MAX_ACCOUNTS:,} accounts, the most one import takes")
    problems.sort(key=lambda p: p["row"])
    return Records(rows=rows, other_headers=ignored, source=source, misaligned=misaligned | broken, problems=problems, broken=broken)


def read_csv(data: bytes, source: str, encoding: str = "utf-8") -> Records:
    """CSV as Excel writes it (quoted fields, ``"last, first"``), with or without a UTF-8 byte-order mark."""
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"{source} is not valid {encoding} text: byte 0x{data[exc.start]:02x} at row {line} cannot be decoded; "
            "save the file as UTF-8 (CSV UTF-8 in Excel) or give its encoding with the encoding option"
        ) from None
    except LookupError:
        raise ImportFileError(f"unknown encoding {encoding!r}") from None
    if not text.strip():
        raise ImportFileError(f"{source} is empty: it needs a header row")
    raw_rows, structure = _csv_strict.parse(text)
    return _records(raw_rows, source, exact_width=True, structure=structure)


def read_xlsx(path: str) -> Records:
    if openpyxl is None:
        raise ImportFileError("reading .xlsx files needs the Python library openpyxl on the Ansible controller")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file  # pylint: disable=broad-exception-caught
        raise ImportFileError(f"{os.path.basename(path)} cannot be opened as an Excel workbook: {exc.__class__.__name__}: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        return _records(((i + 1, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True))), os.path.basename(path))
    finally:
        workbook.close()


def read_xls(path: str) -> Records:
    if xlrd is None:
        raise ImportFileError("reading .xls files needs the Python library xlrd on the Ansible controller")
    try:
        book = xlrd.open_workbook(path)
    except Exception as exc:  # xlrd raises many types for a damaged file  # pylint: disable=broad-exception-caught
        raise ImportFileError(f"{os.path.basename(path)} cannot be opened as an Excel 97-2003 workbook: {exc}") from None
    sheet = book.sheet_by_index(0)

    def value(cell: t.Any) -> t.Any:
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return cell.value
    return _records(((r + 1, [value(c) for c in sheet.row(r)]) for r in range(sheet.nrows)), os.path.basename(path))


def read_path(path: str, encoding: str = "utf-8") -> Records:
    """Read an import file by its extension."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in (".csv", ".xlsx", ".xls"):
        raise ImportFileError(f"path must be a .csv, .xlsx or .xls file (got {os.path.basename(path)!r})")
    if not os.path.isfile(path):
        raise ImportFileError(f"path: no file at {path}")
    if extension == ".xlsx":
        return read_xlsx(path)
    if extension == ".xls":
        return read_xls(path)
    with open(path, "rb") as handle:
        return read_csv(handle.read(), os.path.basename(path), encoding)


def check_encoding(encoding: str) -> None:
    """Refuse an unknown encoding before anything is read or sent."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportFileError(f"encoding: {encoding!r} is not an encoding Python knows (for example utf-8, cp1252, latin-1)") from None


def _inline_values(user: dict[str, t.Any]) -> dict[str, t.Any]:
    """One inline record by header: snake_case names and header names alike, additional attributes from ``attributes``."""
    values: dict[str, t.Any] = {}
    for key, value in user.items():
        if key == "attributes" or value is None:
            continue
        header = SNAKE.get(key, key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        values[header] = value
    for name, value in (user.get("attributes") or {}).items():
        if value is not None:
            values[str(name)] = value
    return values


def read_inline(users: list[dict[str, t.Any]]) -> Records:
    """Records given as a list of dicts, keyed by the file's headers or their snake_case names."""
    if len(users) > MAX_ACCOUNTS:
        raise ImportFileError(f"users holds more than {MAX_ACCOUNTS:,} accounts, the most one import takes")
    records = [_inline_values(user) for user in users]
    headers: list[str] = []
    for values in records:
        headers += [h for h in values if h not in headers]
    for header in REQUIRED:
        if header not in headers:
            headers.append(header)
    rows: list[tuple[int, list[t.Any]]] = [(0, headers)]
    rows += [(index + 1, [values.get(h) for h in headers]) for index, values in enumerate(records)]
    return _records(iter(rows), "users")
