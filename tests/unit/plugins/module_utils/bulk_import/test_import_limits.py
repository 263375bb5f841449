# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile import files: each is read or refused with an error that names its limit (or the cell's row and column),
never with a cell's value, and the reader stops at the limit instead of holding the whole file.

Every file is built here at run time, most of them by hand with zipfile: openpyxl would never write them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _csv_strict, _import_file

openpyxl = pytest.importorskip("openpyxl")
xlwt = pytest.importorskip("xlwt")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CANARY = "Secret-Canary-Passw0rd"  # holds an "e": openpyxl's error would read "could not convert string to float"
HEADERS = ["Login Name", "Email Address", "Password"]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>")
ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
             f'<Relationship Id="rId1" Type="{DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT_RELS}">'
            '<sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
                 f'<Relationship Id="rId1" Type="{DOCUMENT_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                 f'<Relationship Id="rId2" Type="{DOCUMENT_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                 f'<Relationship Id="rId3" Type="{DOCUMENT_RELS}/styles" Target="styles.xml"/></Relationships>')
# Style 1 is a date format (numFmtId 14): a number cell with it is read as a date.
STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>{extra}</cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
SHARED_STRINGS = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{{}}</sst>'


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(reference: str, value: object) -> str:
    """An inline-string cell, or (type, stored text, style) as it stands in the XML."""
    if isinstance(value, tuple):
        kind, text, style = (value + (None,))[:3]
        return (f'<c r="{reference}"' + (f' t="{kind}"' if kind else "") + (f' s="{style}"' if style else "")
                + f"><v>{text}</v></c>")
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: list[tuple[int, list[object]]], dimension: str | None = None, prolog: str = "", tail: str = "") -> str:
    """rows: (row number, values from column A; None leaves a cell out)."""
    body = "".join(f'<row r="{number}">' + "".join(cell(f"{column_letter(i + 1)}{number}", v)
                                                   for i, v in enumerate(values) if v is not None) + "</row>"
                   for number, values in rows)
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{dimension_xml}'
            f"<sheetData>{body}{tail}</sheetData></worksheet>")


def write_xlsx(path, sheet: str, shared: str = SHARED_STRINGS.format(""), styles: str = STYLES.format(extra=""),
               **parts: object) -> str:
    """A workbook of hand-written parts; a part given as a callable writes its own chunks (large parts stay out of memory)."""
    contents = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
                "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/styles.xml": styles, "xl/sharedStrings.xml": shared,
                "xl/worksheets/sheet1.xml": sheet}
    contents.update({name.replace("__", "/"): part for name, part in parts.items()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in contents.items():
            if callable(part):
                with archive.open(name, "w", force_zip64=True) as member:
                    part(member.write)
            else:
                archive.writestr(name, part)
    return str(path)


def head(width: int = 3) -> tuple[int, list[object]]:
    return (1, (HEADERS + [f"Attribute {i}" for i in range(width - len(HEADERS))])[:width])


def problems_text(error: _import_file.ImportFileError) -> str:
    return str(error) + repr(error.problems)


class TestUnreadableCells:
    """Item 4: a cell that cannot be read is named by row and column, never by its value."""

    @pytest.mark.parametrize("stored", [
        ("n", CANARY), (None, CANARY), ("n", CANARY, 1), ("d", CANARY), ("b", CANARY), ("s", CANARY),
    ], ids=["number", "untyped_number", "date_styled_number", "date", "boolean", "shared_string_index"])
    def test_a_password_typed_as_something_else_is_named_by_row_and_column(self, tmp_path, stored):
        path = write_xlsx(tmp_path / "users.xlsx", sheet_xml([head(), (2, ["a@acme.com", "a@acme.com", stored])], dimension="A1:C2"))
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert CANARY not in problems_text(info.value)
        assert [(p["row"], p["column"], p["value"]) for p in info.value.problems] == [(2, "Password", None)]
        assert "row 2" in str(info.value) and "Password" in str(info.value)

    def test_every_unreadable_cell_is_reported_at_once_and_no_readable_one(self, tmp_path):
        """Numbers, date-styled numbers, ISO dates and booleans stored as such are readable: only the others are named."""
        headers = HEADERS + ["Mobile number", "Expiration Date", "Description", "Require Password Change"]
        readable = [("n", "4155550100"), ("n", "46000", 1), ("d", "2026-01-31"), ("b", "1")]
        rows = [(1, headers), (2, ["a@acme.com", "a@acme.com", ("n", CANARY)] + readable),
                (3, ["b@acme.com", ("b", "yes"), "Passw0rd-Aa1"] + readable), (4, ["c@acme.com", "c@acme.com", ("n", CANARY + "2")])]
        path = write_xlsx(tmp_path / "users.xlsx", sheet_xml(rows))
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert [(p["row"], p["column"]) for p in info.value.problems] == [(2, "Password"), (3, "Email Address"), (4, "Password")]
        assert CANARY not in problems_text(info.value)

    def test_a_bad_shared_string_reference_is_named(self, tmp_path):
        shared = SHARED_STRINGS.format("<si><t>Login Name</t></si>")
        rows = [(1, [("s", "0"), "Email Address", "Password"]), (2, ["a@acme.com", "a@acme.com", ("s", "7")])]
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "users.xlsx", sheet_xml(rows), shared=shared))
        assert [(p["row"], p["column"]) for p in info.value.problems] == [(2, "Password")]

    def test_a_cell_of_the_header_row_is_named_by_its_column_number(self, tmp_path):
        path = write_xlsx(tmp_path / "users.xlsx", sheet_xml([(1, ["Login Name", ("n", CANARY)])]))
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert [(p["row"], p["column"]) for p in info.value.problems] == [(1, "column 2 (B)")]
        assert CANARY not in problems_text(info.value)

    def test_an_error_raised_while_openpyxl_iterates_is_caught_and_names_the_row(self, tmp_path, monkeypatch):
        """openpyxl parses cells lazily, after load_workbook: whatever the check before it misses, the iteration is guarded."""
        from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _xlsx_check
        monkeypatch.setattr(_xlsx_check, "unreadable_reason", lambda kind, text, shared: None)
        path = write_xlsx(tmp_path / "users.xlsx", sheet_xml([head(), (2, ["a@acme.com", "a@acme.com", "Passw0rd-Aa1"]),
                                                             (5, ["b@acme.com", "b@acme.com", ("n", CANARY)])]))
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert CANARY not in problems_text(info.value)
        assert "after row 2" in str(info.value) and "ValueError" in str(info.value)

    def test_an_xls_date_out_of_range_is_named_by_row_and_column(self, tmp_path):
        """xlrd's error for a date cell it cannot convert quotes the number: a numeric password formatted as a date."""
        book = xlwt.Workbook()
        sheet = book.add_sheet("Users")
        for column, header in enumerate(HEADERS):
            sheet.write(0, column, header)
        sheet.write(1, 0, "a@acme.com")
        sheet.write(1, 1, "a@acme.com")
        sheet.write(1, 2, 98765432109876, xlwt.easyxf(num_format_str="yyyy-mm-dd"))
        path = str(tmp_path / "users.xls")
        book.save(path)
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert "98765432109876" not in problems_text(info.value)
        assert [(p["row"], p["column"], p["value"]) for p in info.value.problems] == [(2, "Password", None)]


class CountingParse:
    """_csv_strict.parse, counting the rows it hands over: proof that reading stopped at the limit."""

    def __init__(self) -> None:
        self.rows = 0
        self.parse = _csv_strict.parse

    def __call__(self, *args, **kwargs):
        for row in self.parse(*args, **kwargs):
            self.rows += 1
            yield row


class TestCsvLimits:
    def test_blank_lines_count_toward_the_row_limit_and_reading_stops_there(self, monkeypatch):
        at_the_limit = "Login Name,Email Address\n" + "\n" * (_import_file.MAX_ROWS - 2) + "a@acme.com,a@acme.com\n"
        assert [n for n, _v in _import_file.read_csv(at_the_limit.encode(), "ok.csv").rows] == [_import_file.MAX_ROWS]
        counting = CountingParse()
        monkeypatch.setattr(_csv_strict, "parse", counting)
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_csv(b"Login Name,Email Address\n" + b"\n" * 200_000, "blank.csv")
        assert f"{_import_file.MAX_ROWS:,} rows" in str(info.value) and "blank" in str(info.value)
        assert counting.rows <= _import_file.MAX_ROWS + 1

    def test_a_line_of_a_million_values_is_refused_before_it_is_held_whole(self, monkeypatch):
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_csv(b"Login Name,Email Address\n" + b"," * 1_000_000 + b"\n", "wide.csv")
        assert f"{_import_file.MAX_COLUMNS:,} columns" in str(info.value) and "row 2" in str(info.value)

    def test_a_quote_never_closed_before_megabytes_of_text_is_read_in_bounded_memory(self):
        """A regular expression with a repeated group held a stack entry per character of the quoted value: 1.3 GB for
        a 10 MB file. The read runs in a process of its own, whose address space is capped at 400 MB."""
        code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20)); "
                "from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_file; "
                "data = b'Login Name,Email Address\\na,\"' + b'x\"\"' * 2_000_000; "
                "print([p['message'] for p in _import_file.read_csv(data, 'quote.csv').problems])")
        completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                                   env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))
        assert completed.returncode == 0, completed.stderr[-500:]
        assert "never closed" in completed.stdout

    def test_the_cell_limit(self):
        width = _import_file.MAX_COLUMNS
        rows = _import_file.MAX_CELLS // width + 1
        header = ",".join(["Login Name", "Email Address"] + [f"A{i}" for i in range(width - 2)])
        text = header + "\n" + ("x@acme.com,x@acme.com" + ",1" * (width - 2) + "\n") * rows
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_csv(text.encode(), "cells.csv")
        assert f"{_import_file.MAX_CELLS:,} cells" in str(info.value)


@pytest.mark.parametrize("extension", [".csv", ".xlsx", ".xls"])
def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path, extension):
    path = tmp_path / f"big{extension}"
    with open(path, "wb") as handle:
        handle.write(b'Login Name,Email Address\na@acme.com,"')
        handle.seek(_import_file.MAX_FILE_BYTES)
        handle.write(b'"\n')
    with pytest.raises(_import_file.ImportFileError) as info:
        _import_file.read_path(str(path))
    assert f"{_import_file.MAX_FILE_BYTES:,} bytes" in str(info.value)


class TestXlsxLimits:
    def test_rows_far_apart_under_a_wide_dimension_are_read_without_padding(self, tmp_path):
        """openpyxl pads every row to the declared dimension and every gap between rows: the reader ignores the dimension."""
        rows = [head(), (2, ["a@acme.com", "a@acme.com", "Passw0rd-Aa1"]), (40_000, ["b@acme.com", "b@acme.com"])]
        records = _import_file.read_path(write_xlsx(tmp_path / "far.xlsx", sheet_xml(rows, dimension="A1:XFD1048576")))
        assert [n for n, _v in records.rows] == [2, 40_000]

    def test_rows_below_a_stale_declared_dimension_are_read(self, tmp_path):
        """openpyxl stops at the dimension a sheet declares: rows below it were dropped silently."""
        rows = [head(), (2, ["a@acme.com", "a@acme.com"]), (3, ["b@acme.com", "b@acme.com"])]
        records = _import_file.read_path(write_xlsx(tmp_path / "stale.xlsx", sheet_xml(rows, dimension="A1:C2")))
        assert [n for n, _v in records.rows] == [2, 3]

    def test_a_row_past_the_row_limit_is_refused(self, tmp_path):
        rows = [head(), (2, ["a@acme.com", "a@acme.com"]), (1_048_576, ["x"])]
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "far.xlsx", sheet_xml(rows, dimension="A1:XFD1048576")))
        assert f"{_import_file.MAX_ROWS:,} rows" in str(info.value) and "1,048,576" in str(info.value)

    def test_a_cell_past_the_column_limit_is_refused(self, tmp_path):
        rows = [head(), (2, ["a@acme.com", "a@acme.com"] + [None] * 150 + ["x"])]
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "wide.xlsx", sheet_xml(rows)))
        assert f"{_import_file.MAX_COLUMNS:,} columns" in str(info.value) and "row 2" in str(info.value)

    def test_a_row_of_a_million_empty_cells_is_refused(self, tmp_path):
        sheet = sheet_xml([head()], tail='<row r="2">' + "<c/>" * 1_000_000 + "</row>")
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "wide.xlsx", sheet))
        assert f"{_import_file.MAX_COLUMNS:,} columns" in str(info.value)

    def test_the_cell_limit(self, tmp_path):
        width = 50
        rows = [head(width)] + [(n, ["x@acme.com", "x@acme.com"] + [("n", "1")] * (width - 2))
                                for n in range(2, _import_file.MAX_CELLS // width + 2)]
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "cells.xlsx", sheet_xml(rows)))
        assert f"{_import_file.MAX_CELLS:,} cells" in str(info.value)

    def test_a_part_that_inflates_past_the_uncompressed_limit_is_refused_before_it_is_inflated(self, tmp_path):
        def whitespace(write):
            write(sheet_xml([head()]).replace("</sheetData></worksheet>", "").encode())
            for _chunk in range(60):
                write(b" " * 1_000_000)
            write(b"</sheetData></worksheet>")
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "bomb.xlsx", whitespace))
        assert "uncompressed" in str(info.value) and "bytes" in str(info.value)

    def test_a_large_shared_strings_table_is_refused(self, tmp_path):
        def strings(write):
            write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
            for _chunk in range(18):
                write(b"<si><t>ab</t></si>" * 60_000)
            write(b"</sst>")
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "strings.xlsx", sheet_xml([head()]), shared=strings))
        assert "shared strings" in str(info.value)

    def test_a_stylesheet_of_many_elements_is_refused(self, tmp_path):
        styles = STYLES.format(extra='<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 30_000)
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(write_xlsx(tmp_path / "styles.xlsx", sheet_xml([head()]), styles=styles))
        assert "xl/styles.xml" in str(info.value) and "elements" in str(info.value)

    @pytest.mark.parametrize("part", ["sheet", "shared"])
    @pytest.mark.parametrize("prolog", [
        '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + "]>",
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>',
    ], ids=["billion_laughs", "external_entity"])
    def test_xml_attacks_are_refused_with_a_clear_error(self, tmp_path, part, prolog):
        entity = "&lol9;" if "lol" in prolog else "&xxe;"
        if part == "sheet":
            sheet = sheet_xml([head(), (2, ["a@acme.com", "a@acme.com", entity])], dimension="A1:C2", prolog=prolog)
            path = write_xlsx(tmp_path / "attack.xlsx", sheet)
        else:
            shared = SHARED_STRINGS.format(f"<si><t>{entity}</t></si>").replace("<sst", prolog + "<sst", 1)
            path = write_xlsx(tmp_path / "attack.xlsx", sheet_xml([head(), (2, ["a@acme.com", "a@acme.com", ("s", "0")])]),
                              shared=shared)
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert "document type declaration" in str(info.value)

    def test_openpyxl_runs_with_defusedxml(self):
        """requirements.txt installs defusedxml, which openpyxl then uses for every XML part it parses."""
        assert openpyxl.DEFUSEDXML is True


class TestXlsLimits:
    @staticmethod
    def write_xls(path, cells: list[tuple[int, int, object]]) -> str:
        book = xlwt.Workbook()
        sheet = book.add_sheet("Users")
        for column, header in enumerate(HEADERS):
            sheet.write(0, column, header)
        for row, column, value in cells:
            sheet.write(row, column, value)
        book.save(str(path))
        return str(path)

    def test_a_row_past_the_row_limit_is_refused(self, tmp_path):
        path = self.write_xls(tmp_path / "far.xls", [(1, 0, "a@acme.com"), (1, 1, "a@acme.com"), (60_000, 0, "x")])
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert f"{_import_file.MAX_ROWS:,} rows" in str(info.value)

    def test_xlrd_warnings_stay_off_standard_output(self, tmp_path):
        """Standard output is the module's answer; xlrd warns there about a file whose size is no multiple of 512.
        xlrd binds the standard output of the moment it is imported, so the read runs in a process of its own."""
        path = self.write_xls(tmp_path / "odd.xls", [(1, 0, "a@acme.com"), (1, 1, "a@acme.com")])
        with open(path, "ab") as handle:
            handle.write(b"abc")
        code = ("import sys; from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_file; "
                "print('rows', [n for n, _v in _import_file.read_path(sys.argv[1]).rows])")
        completed = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True, timeout=60,
                                   env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))
        assert completed.stdout == "rows [2]\n"

    def test_a_cell_past_the_column_limit_is_refused(self, tmp_path):
        path = self.write_xls(tmp_path / "wide.xls", [(1, 0, "a@acme.com"), (1, 1, "a@acme.com"), (1, 200, "x")])
        with pytest.raises(_import_file.ImportFileError) as info:
            _import_file.read_path(path)
        assert f"{_import_file.MAX_COLUMNS:,} columns" in str(info.value)
