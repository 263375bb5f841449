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

Files are read within the limits of _import_limits (bytes, rows, columns, cells) and, for .xlsx, after the package
check of _xlsx_check; a cell that cannot be read is named by its row and column, never by its value.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import importlib
import importlib.util
import os
import typing as t
import warnings

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _cells, _csv_strict, _import_limits, _xlsx_check
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_limits import (
    MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ImportFileError
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _user_fields
from ansible_collections.cyberark_community.identity.plugins.module_utils import _paths


def missing_library(name: str, writing: bool = False) -> str | None:
    """Why a spreadsheet cannot be read (or written) here, found without importing the library; None when it can."""
    if importlib.util.find_spec(name) is None:
        kind = {"openpyxl": ".xlsx", "xlrd": ".xls"}[name]
        return f"{'writing' if writing else 'reading'} {kind} files needs the Python library {name} on the Ansible controller"
    return None


def spreadsheet_library(name: str, writing: bool = False) -> t.Any:
    """openpyxl or xlrd, imported only when a spreadsheet is read or written: a CSV import never pays for them (openpyxl
    alone took 0.08 to 0.27 seconds to import where measured). ImportFileError when the controller lacks it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportFileError(missing_library(name, writing) or f"the Python library {name} cannot be imported") from None


MAX_ACCOUNTS = 10_000
HEADERS = _user_fields.HEADERS  # the one description of a user's fields gives the file's columns and their order
# This collection's extension, not a header of the service's import wizard: the login name a user had, to rename it.
PREVIOUS_NAME = "Previous Login Name"
KNOWN_HEADERS = HEADERS + (PREVIOUS_NAME,)
REQUIRED = _user_fields.REQUIRED_HEADERS
SNAKE = {h.lower().replace(" ", "_"): h for h in KNOWN_HEADERS}
SECRET_HEADERS = _user_fields.SECRET_HEADERS


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
    # (row, header) of the cells a spreadsheet stored as numbers: a phone number typed there lost its + and leading 0s.
    numbers: set[tuple[int, str]] = dataclasses.field(default_factory=set)

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
    return str(value).strip()


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
             structure: list[dict[str, t.Any]] | None = None, from_file: bool = True, spreadsheet: bool = False) -> Records:
    """Records from raw rows; ``exact_width`` (CSV) counts a row with fewer values than headers as misaligned.

    A file's cells lose the apostrophe an export put before a value that starts like a formula (``_cells``); inline
    records were never exported, and a password is never changed, so neither loses one.

    ``structure`` holds the reader's problems (quotes), each with its row and 1-based value position. Problems of a
    row's structure are collected, not raised, so that they are reported together with the row rules.

    A ``spreadsheet``'s number cells are noted (``Records.numbers``): a CSV file and inline records have none.
    """
    iterator = iter(raw_rows)
    try:
        _first, header_cells = next(iterator)
    except StopIteration:
        raise ImportFileError(f"{source} is empty: it needs a header row") from None
    headers = [_cells.restore(_cell(c)) if from_file else _cell(c) for c in header_cells]
    if not any(headers):
        raise ImportFileError(f"{source} has no header row: its first row is empty")
    columns, ignored = check_headers(headers)
    width = len(header_cells)
    rows = []
    misaligned: set[int] = set()
    broken: set[int] = set()
    numbers: set[tuple[int, str]] = set()
    problems = []
    for number, cells in iterator:
        values = [_cell(c) for c in cells]
        if spreadsheet:
            numbers.update((number, columns[i]) for i, c in enumerate(cells)
                           if i in columns and isinstance(c, (int, float)) and not isinstance(c, bool))
        if from_file:
            values = [v if columns.get(i) == "Password" else _cells.restore(v) for i, v in enumerate(values)]
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
    # The reader finds these while the rows are read: they are complete only now.
    for found in structure or []:
        position = found["column"]
        problems.append({"row": found["row"], "column": headers[position - 1] if position and position <= width else None,
                         "value": None, "message": found["message"]})
        broken.add(found["row"])
    problems.sort(key=lambda p: p["row"])
    return Records(rows=rows, other_headers=ignored, source=source, misaligned=misaligned | broken, problems=problems, broken=broken,
                   numbers=numbers)


def _limited(rows: t.Iterable[tuple[int, t.Sequence[t.Any]]], source: str) -> t.Iterator[tuple[int, t.Sequence[t.Any]]]:
    """The rows of a file until one passes a limit of _import_limits: then ImportFileError naming the limit."""
    try:
        yield from _import_limits.bounded(rows)
    except _import_limits.LimitExceeded as exc:
        raise ImportFileError(f"{source}: {exc}") from None
    except _csv_strict.TooManyValues as exc:
        raise ImportFileError(f"{source}: {_import_limits.too_many_columns(exc.row)}") from None


def _column_label(column: int) -> str:
    """``column 2 (B)``: a column named by its place, where it has no header to be named by."""
    letters = ""
    number = column
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"column {column} ({letters})"


def _unreadable(source: str, cells: list[tuple[int, int, str]], headers: list[str], more: int = 0) -> ImportFileError:
    """The error for cells that cannot be read, each named by row and column (its header), never by its value."""
    problems = []
    for row, column, reason in cells:
        header = headers[column - 1] if row > 1 and column <= len(headers) and headers[column - 1] else _column_label(column)
        problems.append({"row": row, "column": header, "value": None,
                         "message": f"row {row}, column {header}: the cell cannot be read: {reason}"})
    shown = "; ".join(f"row {p['row']}, column {p['column']}" for p in problems[:5])
    rest = len(problems) - 5 + more
    return ImportFileError(
        f"{source}: {len(problems) + more} cell(s) cannot be read as the type they are stored as: {shown}"
        + (f" and {rest} more" if rest > 0 else "") + "; format those cells as Text and enter their values again", problems)


def read_csv(data: bytes, source: str, encoding: str = "utf-8") -> Records:
    """CSV as Excel writes it (quoted fields, ``"last, first"``), with or without a UTF-8 byte-order mark."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"{source}: {_import_limits.too_large(len(data))}")
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
    structure: list[dict[str, t.Any]] = []
    raw_rows = _csv_strict.parse(text, structure, max_values=MAX_COLUMNS)
    return _records(_limited(raw_rows, source), source, exact_width=True, structure=structure)


def _sheet_rows(sheet: t.Any, source: str) -> t.Iterator[tuple[int, t.Sequence[t.Any]]]:
    """A worksheet's rows by number, gaps as empty rows. openpyxl parses each row's cells only when it is reached, so
    an error of a cell's text surfaces here; its message quotes the cell, so only its type is told."""
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # pylint: disable=broad-exception-caught
            where = f"after row {number}" if number else "of the first row"
            raise ImportFileError(f"{source}: a cell {where} cannot be read ({exc.__class__.__name__}); check that the "
                                  "cells of the next row are stored as the type they hold (or format them as Text)") from None
        number += 1
        yield number, values


def _opening_error(exc: Exception) -> str:
    """What openpyxl said about a workbook it cannot open: the message only where it cannot quote a cell."""
    if isinstance(exc, (KeyError, OSError)) or exc.__class__.__name__ == "InvalidFileException":
        return f"{exc.__class__.__name__}: {exc}"
    return exc.__class__.__name__


def _check_size(path: str) -> None:
    """A file past the byte limit is refused before it is opened."""
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise ImportFileError(f"{os.path.basename(path)}: {_import_limits.too_large(size)}")


def read_xlsx(path: str) -> Records:
    source = os.path.basename(path)
    _check_size(path)
    openpyxl = spreadsheet_library("openpyxl")
    try:
        findings = _xlsx_check.check(path)
    except (_xlsx_check.Refused, _import_limits.LimitExceeded) as exc:
        raise ImportFileError(f"{source}: {exc}") from None
    # openpyxl warns about what it skips, and a warning may quote a cell (a date out of range): none is shown.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file  # pylint: disable=broad-exception-caught
            raise ImportFileError(f"{source} cannot be opened as an Excel workbook: {_opening_error(exc)}") from None
        try:
            if not workbook.worksheets:
                raise ImportFileError(f"{source} holds no worksheet")
            sheet = workbook.worksheets[0]
            # The dimension a sheet declares pads every row and every gap between rows: read what the sheet holds.
            sheet.reset_dimensions()
            part = getattr(sheet, "_worksheet_path", None)  # openpyxl's name of the part it reads
            cells = findings.unreadable.get(part) if part else None
            if cells:
                headers: list[str] = []
                if all(c.row > 1 for c in cells):
                    headers = [_cell(v) for v in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())]
                raise _unreadable(source, [(c.row, c.column, c.reason) for c in cells], headers, findings.uncounted)
            return _records(_limited(_sheet_rows(sheet, source), source), source, spreadsheet=True)
        finally:
            workbook.close()


class _Discard:
    """Where xlrd's log goes: it writes warnings to standard output by default, which is the module's answer."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def read_xls(path: str) -> Records:
    source = os.path.basename(path)
    _check_size(path)
    xlrd = spreadsheet_library("xlrd")
    try:
        # The first sheet only, and rows as long as their cells: xlrd pads every row to the widest one otherwise.
        book = xlrd.open_workbook(path, on_demand=True, ragged_rows=True, logfile=_Discard())
    except Exception as exc:  # xlrd raises many types for a damaged file  # pylint: disable=broad-exception-caught
        raise ImportFileError(f"{source} cannot be opened as an Excel 97-2003 workbook: {exc}") from None
    try:
        try:
            sheet = book.sheet_by_index(0)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            raise ImportFileError(f"{source}: its first sheet cannot be read ({exc.__class__.__name__})") from None
        if sheet.nrows > MAX_ROWS:
            raise ImportFileError(f"{source}: {_import_limits.too_many_rows(sheet.nrows)}")
        if sheet.ncols > MAX_COLUMNS:
            row = next(r for r in range(sheet.nrows) if sheet.row_len(r) > MAX_COLUMNS)
            raise ImportFileError(f"{source}: {_import_limits.too_many_columns(row + 1, sheet.row_len(row))}")
        if sum(sheet.row_len(r) for r in range(sheet.nrows)) > MAX_CELLS:
            raise ImportFileError(f"{source}: {_import_limits.too_many_cells()}")

        def value(cell: t.Any) -> t.Any:
            if cell.ctype == xlrd.XL_CELL_DATE:
                return xlrd.xldate_as_datetime(cell.value, book.datemode)
            if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                return bool(cell.value)
            return cell.value

        rows: list[tuple[int, list[t.Any]]] = []
        unreadable = []
        for r in range(sheet.nrows):
            values = []
            for c, cell in enumerate(sheet.row(r)):
                try:
                    values.append(value(cell))
                except Exception:  # xlrd's date errors may quote the number  # pylint: disable=broad-exception-caught
                    unreadable.append((r + 1, c + 1, "it is formatted as a date but holds a number no date has"))
                    values.append(None)
            rows.append((r + 1, values))
        if unreadable:
            headers = [_cell(v) for v in rows[0][1]] if rows and all(row > 1 for row, _c, _r in unreadable) else []
            raise _unreadable(source, unreadable, headers)
        return _records(_limited(rows, source), source, spreadsheet=True)
    finally:
        book.release_resources()


def read_path(path: str, encoding: str = "utf-8") -> Records:
    """Read an import file by its extension."""
    extension = os.path.splitext(path)[1].lower()
    source = os.path.basename(path)
    if extension not in (".csv", ".xlsx", ".xls"):
        raise ImportFileError(f"path must be a .csv, .xlsx or .xls file (got {source!r})")
    if not os.path.isfile(path):
        raise ImportFileError(f"path: no file at {_paths.shown(path)}")
    if extension == ".xlsx":
        return read_xlsx(path)
    if extension == ".xls":
        return read_xls(path)
    _check_size(path)
    with open(path, "rb") as handle:
        return read_csv(handle.read(MAX_FILE_BYTES + 1), source, encoding)


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
    return _records(iter(rows), "users", from_file=False)
