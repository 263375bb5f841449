# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync rules: list changes by mode, the removal cap, Previous Login Name checks, the export's records."""

from __future__ import annotations

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_file, _import_plan, _import_rows
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _compare
from ansible_collections.cyberark_community.identity.plugins.modules import identity_bulk_import

SUFFIXES = {"acme.com": True}


@pytest.mark.parametrize("mode, expected", [
    ("append", (["C"], [])),
    ("exact", (["C"], ["A"])),
    ("remove", ([], ["B"])),
])
def test_list_changes_by_mode(mode, expected):
    assert _compare.list_changes(["A", "B"], ["B", "C"], mode) == expected


def test_list_changes_refuses_an_unknown_mode():
    with pytest.raises(ValueError):
        _compare.list_changes([], [], "merge")


@pytest.mark.parametrize("cap, in_scope, limit", [
    ("10%", 100, 10), ("10%", 19, 1), ("0", 50, 0), ("25", 3, 25), ("100%", 7, 7), (" 5% ", 40, 2),
    # a percentage above 0 lets a scope that holds anyone lose at least one user (10% of 9 once allowed no one)
    ("10%", 9, 1), ("10%", 1, 1), ("0.5%", 40, 1), ("10%", 0, 0), ("0%", 9, 0),
])
def test_removal_limit(cap, in_scope, limit):
    assert _import_plan.removal_limit(cap, in_scope) == limit


@pytest.mark.parametrize("value, ok", [("10%", True), ("0", True), ("250", True), ("12.5%", True), ("-1", False), ("101%", False),
                                       ("ten", False), ("%", False), ("5 users", False)])
def test_max_removals_values(value, ok):
    assert (identity_bulk_import.max_removals_error(value) is None) is ok


def rows_of(text):
    records = _import_file.read_csv(text.encode(), "f.csv")
    return _import_rows.validate(records, SUFFIXES, [])


def test_previous_login_name_is_an_extension_header_not_an_attribute():
    records = _import_file.read_csv(b"Login Name,Email Address,Previous Login Name\nnew@acme.com,new@acme.com,old@acme.com\n", "f.csv")
    assert records.other_headers == []
    rows, problems = _import_rows.validate(records, SUFFIXES, [])
    assert problems == [] and rows[0].previous_name == "old@acme.com"


@pytest.mark.parametrize("text, words", [
    ("a@acme.com,a@acme.com,a@acme.com\n", "is the row's Login Name"),
    ("a@acme.com,a@acme.com,b@acme.com\nb@acme.com,b@acme.com,\n", "is also the Login Name of row 3"),
    ("a@acme.com,a@acme.com,old@acme.com\nc@acme.com,c@acme.com,old@acme.com\n", "one user gets one new name"),
    ("a@acme.com,a@acme.com,bad name@acme.com\n", "Previous Login Name"),
])
def test_ambiguous_renames_are_problems(text, words):
    _rows, problems = rows_of("Login Name,Email Address,Previous Login Name\n" + text)
    assert any(words in f"{p['column']} {p['message']}" for p in problems), problems


def test_export_records_are_the_import_format():
    rows = [{"ID": "1", "Name": "a@acme.com", "Mail": "a@acme.com", "DisplayName": "Doe, A", "ReportsTo": "2"},
            {"ID": "2", "Name": "boss@acme.com", "Mail": "boss@acme.com", "ReportsTo": "Unassigned"}]
    records = _export.records_of(rows, {"1": ["Help Desk", "Staff"]}, {"2": "boss@acme.com"}, ["CostCenter"], {"1": {"CostCenter": 7}})
    assert records[0]["Roles"] == "Help Desk, Staff" and records[0]["Reports to"] == "boss@acme.com"
    assert records[0]["CostCenter"] == "7" and records[1]["Reports to"] == "" and records[0]["Password"] == ""
    headers = list(_import_file.HEADERS) + ["CostCenter"]
    data = _export.content(records, headers, "csv").decode()
    assert data.splitlines()[1] == 'a@acme.com,a@acme.com,"Doe, A",,,,,"Help Desk, Staff",,,,,boss@acme.com,7'
    again = _import_file.read_csv(data.encode(), "e.csv")
    assert _export.same_records(again, records, headers) is True


@pytest.mark.parametrize("found, with_row, text", [
    ({"row": 3, "column": "Email Address", "message": "is not an email address"}, True, "row 3 Email Address: is not an email address"),
    ({"row": 3, "column": None, "message": "row 3 has 5 values for 4 headers"}, True, "row 3 has 5 values for 4 headers"),
    ({"row": 3, "column": None, "message": "is listed twice"}, False, "is listed twice"),
    ({"row": 3, "column": "Roles", "message": "no role named X exists"}, False, "Roles: no role named X exists"),
])
def test_a_problem_reads_without_none_or_a_repeated_row(found, with_row, text):
    assert _import_rows.problem_text(found, with_row) == text


@pytest.mark.parametrize("count, noun, text", [(1, "row", "1 row"), (2, "row", "2 rows"), (0, "row", "0 rows"), (1000, "user", "1,000 users")])
def test_counts_read_as_english(count, noun, text):
    assert _import_rows.counted(count, noun) == text


def test_the_failure_messages_count_rows_in_english():
    problems = [{"row": 2, "column": None, "message": "row 2 has 3 values for 2 headers"}]
    assert identity_bulk_import.problem_summary(problems) == "row 2 has 3 values for 2 headers"
