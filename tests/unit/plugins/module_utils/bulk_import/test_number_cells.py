# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A phone number a spreadsheet stored as a number (+442071838750 typed into a General cell becomes 442071838750) is
refused with its cause and the fix, not only "is not a phone number"; the missing + is never guessed. Files written by
LibreOffice Calc (tests/unit/fixtures/libreoffice/, made from hr.csv as its README says) and by openpyxl and xlwt."""

from __future__ import annotations

import os

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_file, _import_rows

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))), "fixtures", "libreoffice")
SUFFIXES = {"acme.com": True}
HEADERS = ["Login Name", "Email Address", "Display Name", "Mobile number"]


def problems_of(path: str) -> dict[tuple[int, str], str]:
    records = _import_file.read_path(path)
    _rows, problems = _import_rows.validate(records, SUFFIXES, [])
    return {(p["row"], p["column"]): p["message"] for p in problems}


@pytest.mark.parametrize("name", ["hr.xlsx", "hr.xls"])
def test_a_phone_number_libreoffice_stored_as_a_number_names_the_cause(name):
    found = problems_of(os.path.join(FIXTURES, name))
    # Row 3's Mobile number is 10 digits a number cell holds whole, yet nothing tells them from +4722334455 without its
    # +; the Office Number column is the same numbers stored as text, read as typed.
    assert found == {(2, "Mobile number"): _import_rows.NUMBER_CELL, (3, "Mobile number"): _import_rows.NUMBER_CELL}


def test_openpyxl_and_xlwt_number_cells_alike(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    xlwt = pytest.importorskip("xlwt")
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    book.active.append(["ann@acme.com", "ann@acme.com", "Ann", 442071838750])
    book.save(tmp_path / "n.xlsx")
    old = xlwt.Workbook()
    sheet = old.add_sheet("Users")
    for column, value in enumerate(HEADERS + ["ann@acme.com", "ann@acme.com", "Ann", 442071838750.0]):
        sheet.write(column // 4, column % 4, value)
    old.save(str(tmp_path / "n.xls"))
    for name in ("n.xlsx", "n.xls"):
        assert problems_of(str(tmp_path / name))[(2, "Mobile number")] == _import_rows.NUMBER_CELL


def test_ten_digits_in_a_number_cell_are_refused_too_and_text_keeps_its_message(tmp_path):
    """+4722334455 (Norway) stored as a number is 4722334455, ten digits a US number also has: refused, not imported as
    another number."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    book.active.append(["ann@acme.com", "ann@acme.com", "Ann", 4722334455])
    book.active.append(["bob@acme.com", "bob@acme.com", "Bob", "44207"])  # text: the usual message
    book.save(tmp_path / "n.xlsx")
    found = problems_of(str(tmp_path / "n.xlsx"))
    assert found[(2, "Mobile number")] == _import_rows.NUMBER_CELL and "is not a phone number" in found[(3, "Mobile number")]


def test_inline_records_and_csv_files_have_no_number_cells(tmp_path):
    records = _import_file.read_inline([{"login_name": "ann@acme.com", "email_address": "ann@acme.com",
                                        "mobile_number": 4155550100}])
    assert records.numbers == set()
    path = tmp_path / "hr.csv"
    path.write_text("Login Name,Email Address,Mobile number\nann@acme.com,ann@acme.com,4155550100\n", encoding="utf-8")
    assert _import_file.read_path(str(path)).numbers == set() and problems_of(str(path)) == {}
