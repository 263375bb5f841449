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
    assert found == {(2, "Mobile number"): _import_rows.NUMBER_CELL}
    # Row 2's Office Number is the same number stored as text, read as typed; row 3's Mobile number is a US number a
    # number cell holds whole.


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


def test_a_number_that_is_a_valid_phone_number_is_taken_and_text_keeps_its_message(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    book.active.append(["ann@acme.com", "ann@acme.com", "Ann", 4155550100])  # a US number: nothing was lost
    book.active.append(["bob@acme.com", "bob@acme.com", "Bob", "44207"])  # text: the usual message
    book.save(tmp_path / "n.xlsx")
    found = problems_of(str(tmp_path / "n.xlsx"))
    assert (2, "Mobile number") not in found and "is not a phone number" in found[(3, "Mobile number")]
