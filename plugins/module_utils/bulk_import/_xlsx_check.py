# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""An .xlsx package checked before openpyxl reads it: its sizes, XML without a document type declaration, the import
file's limits, and the cells whose stored text openpyxl could not read as their type.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

openpyxl trusts a package: it inflates whatever a part holds, builds whole trees of the small parts, keeps every shared
string, pads the gaps between rows, and parses a sheet's cells only while its rows are iterated, with errors that quote
the cell's text. This check streams every part once through expat, in fixed memory, and refuses the package before
openpyxl could spend more than the limits allow; a cell that cannot be read is reported by row and column.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
import zipfile
from xml.parsers import expat

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_limits
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS


# What all parts may inflate to, as declared and as inflated: a 10,000-row sheet of 25 columns of text is about 15 MB
# of XML. openpyxl holds some parts whole (the theme, the styles), and a cell's text as long as the read lasts.
MAX_UNCOMPRESSED_BYTES = 30_000_000
# openpyxl keeps every shared string, with an XML element each, for the whole read.
MAX_SHARED_STRINGS_BYTES = 16_000_000
# XML elements of the whole package: 10,000 rows of 25 cells of inline text (three elements a cell) fit. openpyxl
# spends up to 5 microseconds on an element (rich text runs), so 800,000 take about 4 seconds.
MAX_ELEMENTS = 800_000
# Elements of one part outside its rows and its shared strings (styles, workbook, relationships, formatting), which
# openpyxl turns into objects all at once. Excel's own files hold a few hundred.
MAX_PART_ELEMENTS = 20_000
# Characters between two tags, or in one tag's attributes. Excel holds at most 32,767 characters in a cell.
MAX_TEXT_CHARACTERS = 100_000
MAX_DEPTH = 64
MAX_MEMBERS = 1_000
# Unreadable cells kept for the report; more are counted.
KEPT_CELLS = 100
_CHUNK = 65_536
_CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")
_REASONS = {
    "n": "it is stored as a number (or a date) but holds text",
    "s": "it refers to a shared string the workbook does not hold",
    "b": "it is stored as a true/false value but holds something else",
    "d": "it is stored as a date but holds something else",
}


class Refused(Exception):
    """The package holds what openpyxl must not be given, or passes one of the package limits; the message says which."""


@dataclasses.dataclass
class UnreadableCell:
    row: int
    column: int
    reason: str


@dataclasses.dataclass
class Findings:
    """Cells openpyxl could not read, by worksheet part, in the order of the sheet; ``uncounted`` past KEPT_CELLS."""

    unreadable: dict[str, list[UnreadableCell]] = dataclasses.field(default_factory=dict)
    uncounted: int = 0
    shared_strings: int | None = None
    elements: int = 0


def unreadable_reason(kind: str, text: str, shared: int | None) -> str | None:
    """Why openpyxl would fail to read a cell's stored text as its type (``t``), or None: its own conversions."""
    try:
        if kind == "n":  # openpyxl reads a number with a point or an exponent as a float, any other as an integer
            if any(c in text for c in ".eE"):
                float(text)
            else:
                int(text)
        elif kind == "s":
            index = int(text)
            if shared is not None and not -shared <= index < shared:
                return _REASONS["s"]
        elif kind == "b":
            int(text)
        elif kind == "d":
            from openpyxl.utils.datetime import from_ISO8601  # pylint: disable=import-outside-toplevel  # read as openpyxl will
            from_ISO8601(text)
    except (ValueError, OverflowError, TypeError):
        return _REASONS.get(kind, "its stored text cannot be read")
    return None


def _column_number(reference: str) -> int | None:
    """The column of a cell reference (``B7`` is 2), or None where openpyxl would refuse the reference."""
    match = _CELL_REFERENCE.fullmatch(reference)
    if not match or not int(match.group(2)):
        return None
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


def _row_number(text: str) -> int | None:
    """A row's ``r`` as openpyxl reads it (an integer, or a float without a fraction), or None."""
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


# What an element is to the check, from its place in the part.
_OTHER, _ROW, _CELL, _VALUE, _IN_CELL, _STRING = range(6)


class _Part:
    """One part streamed through expat: the package's limits, the sheet's limits, and its cells' stored text."""

    def __init__(self, name: str, size: int, findings: Findings) -> None:
        self.name = name
        self.size = size
        self.findings = findings
        self.root: str | None = None
        self.roles: list[int] = []
        self.elements = 0
        self.text = 0
        self.row = 0
        self.column = 0
        self.row_cells = 0
        self.row_width = 0
        self.cells = 0
        self.strings = 0
        self.kind = "n"
        self.value: list[str] | None = None
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters

    def doctype(self, *_args: t.Any) -> None:
        raise Refused(f"{self.name} holds a document type declaration (DTD), which Excel never writes and XML attacks "
                      "need (entity expansion, external entities): the file is refused")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.findings.elements += 1
        if self.findings.elements > MAX_ELEMENTS:
            raise Refused(f"it holds more than {MAX_ELEMENTS:,} XML elements: an .xlsx import file may hold at most "
                          f"{MAX_ELEMENTS:,}")
        if len(self.roles) >= MAX_DEPTH:
            raise Refused(f"{self.name} nests XML elements more than {MAX_DEPTH} deep")
        if sum(len(v) for v in attributes.values()) > MAX_TEXT_CHARACTERS:
            raise Refused(f"{self.name} holds an XML element with more than {MAX_TEXT_CHARACTERS:,} characters of attributes")
        self.text = 0
        local = name.rpartition(" ")[2]
        parent = self.roles[-1] if self.roles else None
        if parent is None:
            self.root = local
            if local == "sst" and self.size > MAX_SHARED_STRINGS_BYTES:
                raise Refused(f"its shared strings ({self.name}) take {self.size:,} bytes: an .xlsx import file may "
                              f"hold at most {MAX_SHARED_STRINGS_BYTES:,} bytes of shared strings")
            role = _OTHER
        elif parent in (_CELL, _VALUE, _IN_CELL):
            role = _VALUE if parent == _CELL and local == "v" and self.value is None else _IN_CELL
        elif parent == _STRING:
            role = _STRING
        elif parent == _ROW:
            role = _CELL
            self.cell(attributes)
        elif local == "row" and self.root == "worksheet":
            role = _ROW
            self.row_start(attributes)
        elif local == "si" and self.root == "sst" and len(self.roles) == 1:
            role = _STRING
            self.strings += 1
            if self.strings > MAX_CELLS:
                raise Refused(f"its shared strings table holds more than {MAX_CELLS:,} strings: an .xlsx import file "
                              f"may hold at most {MAX_CELLS:,} cells")
        else:
            role = _OTHER
            self.elements += 1
            if self.elements > MAX_PART_ELEMENTS:
                raise Refused(f"{self.name} holds more than {MAX_PART_ELEMENTS:,} XML elements outside cells and shared "
                              "strings (formats, styles, relationships): the file is refused")
        self.roles.append(role)
        if role == _VALUE:
            self.value = []

    def row_start(self, attributes: dict[str, str]) -> None:
        number = _row_number(attributes["r"]) if attributes.get("r") else self.row + 1
        if number is None or number < 1:
            raise Refused(f"{self.name}: a row after row {self.row} has no valid row number")
        if number > MAX_ROWS:
            raise _import_limits.too_many_rows(number)
        self.row, self.column, self.row_cells, self.row_width = number, 0, 0, 0

    def cell(self, attributes: dict[str, str]) -> None:
        self.row_cells += 1
        if self.row_cells > MAX_COLUMNS:
            raise _import_limits.too_many_columns(self.row)
        column = _column_number(attributes["r"]) if attributes.get("r") else self.column + 1
        if column is None:
            column = self.column + 1
            self.unreadable(column, "its cell reference is not valid")
        if column > MAX_COLUMNS:
            raise _import_limits.too_many_columns(self.row, column)
        self.column = column
        self.row_width = max(self.row_width, column)
        self.kind = attributes.get("t", "n")
        self.value = None

    def unreadable(self, column: int, reason: str) -> None:
        cells = self.findings.unreadable.setdefault(self.name, [])
        if len(cells) < KEPT_CELLS:
            cells.append(UnreadableCell(self.row, column, reason))
        else:
            self.findings.uncounted += 1

    def end(self, _name: str) -> None:
        role = self.roles.pop()
        self.text = 0
        if role == _CELL:
            text = "".join(self.value or [])
            reason = unreadable_reason(self.kind, text, self.findings.shared_strings) if text else None
            if reason:
                self.unreadable(self.column, reason)
        elif role == _ROW:
            self.cells += self.row_width
            if self.cells > MAX_CELLS:
                raise _import_limits.too_many_cells()
        elif not self.roles and self.root == "sst":
            self.findings.shared_strings = self.strings

    def characters(self, data: str) -> None:
        self.text += len(data)
        if self.text > MAX_TEXT_CHARACTERS:
            raise Refused(f"{self.name} holds more than {MAX_TEXT_CHARACTERS:,} characters between two tags "
                          "(Excel holds at most 32,767 in a cell)")
        if self.roles and self.roles[-1] == _VALUE and self.value is not None:
            self.value.append(data)


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, findings: Findings) -> None:
    """Stream one member through expat; inflating stops at the size the member declares, whatever its data says."""
    part = _Part(info.filename, info.file_size, findings)
    xml = info.filename.lower().endswith((".xml", ".rels"))
    inflated = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                inflated += len(chunk)
                if inflated > info.file_size:
                    raise Refused(f"{info.filename} inflates to more than the {info.file_size:,} bytes it declares")
                part.parser.Parse(chunk, not chunk)
                if not chunk:
                    return
    except (Refused, _import_limits.LimitExceeded):
        raise
    except expat.ExpatError as exc:
        if xml:
            raise Refused(f"{info.filename} is not well-formed XML ({exc})") from None
        # Not XML (an image, a printer setting): openpyxl does not parse it either.
    except Exception as exc:  # zipfile, zlib: a damaged or encrypted member  # pylint: disable=broad-exception-caught
        raise Refused(f"{info.filename} cannot be inflated: {exc.__class__.__name__}: {exc}") from None


def check(path: str) -> Findings:
    """Every member of the package within the limits, or Refused / LimitExceeded naming the first limit passed."""
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # zipfile raises several types for what is no zip package  # pylint: disable=broad-exception-caught
        raise Refused(f"it is not an .xlsx workbook (a zip package): {exc.__class__.__name__}: {exc}") from None
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise Refused(f"it holds {len(members):,} parts: an .xlsx import file may hold at most {MAX_MEMBERS:,}")
        declared = sum(i.file_size for i in members)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise Refused(f"its parts declare {declared:,} bytes uncompressed: an .xlsx import file may hold at most "
                          f"{MAX_UNCOMPRESSED_BYTES:,} bytes uncompressed")
        findings = Findings()
        # The shared strings first, so that a cell's reference to one is checked against their number.
        for info in sorted(members, key=lambda i: not i.filename.lower().endswith("sharedstrings.xml")):
            _scan(archive, info, findings)
    return findings
