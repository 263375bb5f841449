# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one description of a user's fields agrees with what users read: identity_user's options and results, the
import file's template and guide, the import row, the export, and the CSV handed to the service's import."""

from __future__ import annotations

import csv
import dataclasses
import os

import pytest
import yaml

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_file, _import_plan, _import_rows, _service_import
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _user_fields, _users
from ansible_collections.cyberark_community.identity.plugins.modules import identity_user, identity_user_info

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "..")
FIELDS = _user_fields.FIELDS
DOC_TYPE = {"flag": "bool", "roles": "list"}


def _doc(module, block):
    return yaml.safe_load(getattr(module, block))


def test_every_field_is_an_identity_user_option_of_its_type():
    options = _doc(identity_user, "DOCUMENTATION")["options"]
    for field in FIELDS:
        assert field.option in options, f"{field.option} is not documented as an identity_user option"
        assert options[field.option].get("type", "str") == DOC_TYPE.get(field.kind, "str"), field.option
    secret = [name for name, spec in options.items() if spec.get("no_log")]
    assert {f.option for f in FIELDS if f.kind == "password"} <= set(secret) | {"password"}


def test_the_user_identity_user_returns_is_what_to_ansible_builds_and_documents():
    returned = set(_users.to_ansible({"ID": "1", "Name": "a@b.c"}, {}))
    documented = set(_doc(identity_user, "RETURN")["user"]["contains"])
    extra = {"roles", "attributes", "cloud_locked", "locked_out_by_policy"}  # identity_user adds them to what to_ansible builds
    assert returned | extra == documented, f"documented but not returned, or returned but not documented: {sorted((returned | extra) ^ documented)}"
    for sample in _doc(identity_user_info, "RETURN")["users"]["sample"]:  # "in the shape identity_user returns"
        assert set(sample) <= documented
    # every readable field is returned; a write-only one never is (no read shows it)
    assert {f.option for f in FIELDS if f.access == _user_fields.READABLE and f.option != "roles"} <= returned
    assert not {f.option for f in FIELDS if f.access == _user_fields.WRITE_ONLY} & returned


def test_the_import_template_has_the_derived_headers_in_order():
    with open(os.path.join(ROOT, "docs", "templates", "user_import_template.csv"), encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == _import_file.HEADERS == _user_fields.HEADERS


def test_the_bulk_import_guide_lists_every_header():
    with open(os.path.join(ROOT, "docs", "docsite", "rst", "bulk_import.rst"), encoding="utf-8") as handle:
        guide = handle.read()
    for header in _import_file.KNOWN_HEADERS:
        assert f"``{header}``" in guide, header


def test_an_import_row_has_one_attribute_per_header_field():
    names = [f.name for f in dataclasses.fields(_import_rows.UserRow)]
    assert set(names) - {"row", "previous_name", "attributes"} == set(_user_fields.HEADER_OPTIONS)


def test_the_export_writes_readable_columns_only():
    assert set(_export.COLUMNS) <= set(_import_file.HEADERS)
    assert set(_export.COLUMNS.values()) <= set(_users.CDUSER_COLUMNS)
    assert "Password" not in _export.COLUMNS and "Expiration Date" not in _export.COLUMNS


def test_the_tables_split_the_wire_fields_without_overlap():
    assert not set(_users.READABLE_FIELDS) & set(_users.WRITE_ONLY_FIELDS)
    assert set(_users.WRITE_ONLY_FIELDS) == {"force_password_change", "password_never_expires", "account_expiry"}
    assert "account_expiry" not in _users.CREATE_FIELDS  # set with a ChangeUser right after the create
    assert set(identity_user.CREATE_OPTIONS) == {"password", "service_user", "oauth_client", "in_everybody_role",
                                                 "force_password_change", "password_never_expires"}
    assert _import_plan.COMPARED == {k: v for k, v in _users.READABLE_FIELDS.items() if k != "reports_to"}


@pytest.mark.parametrize("channel, allowed", [(_user_fields.TASK, True), (_user_fields.FILE, False)])
def test_a_description_with_punctuation_is_a_problem_in_a_file_only(channel, allowed):
    problem = _user_fields.BY_OPTION["description"].problem("Help desk; lead", channel)
    assert (problem is None) is allowed


def test_the_service_import_csv_is_the_template_form_of_a_row():
    row = _import_rows.UserRow(row=2, name="jane@acme.com", email="jane@acme.com", display_name="Doe, Jane",
                               roles=["Help Desk", "Auditors"], account_expiry="2027-12-31T00:00:00Z",
                               force_password_change=True, password_never_expires=False, reports_to="boss@acme.com")
    lines = list(csv.reader(_service_import.csv_bytes([row]).decode("utf-8").splitlines()))
    assert tuple(lines[0]) == _import_file.HEADERS
    record = dict(zip(lines[0], lines[1]))
    assert record["Display Name"] == "Doe, Jane" and record["Roles"] == "Help Desk, Auditors"
    assert record["Require Password Change"] == "True" and record["Password Never Expires"] == "False"
    assert record["Reports to"] == "boss@acme.com" and record["Password"] == "" and record["Home number"] == ""


def test_a_file_row_reads_back_through_the_same_table():
    records = _import_file.read_csv(_service_import.csv_bytes([_import_rows.UserRow(
        row=2, name="jane@acme.com", email="jane@acme.com", roles=["Help Desk"], force_password_change=False,
        account_expiry="2027-12-31T00:00:00Z")]), "file.csv")
    rows, problems = _import_rows.validate(records, {"acme.com": True}, ["Help Desk"])
    assert problems == []
    assert rows[0].roles == ["Help Desk"] and rows[0].force_password_change is False
    assert rows[0].account_expiry == "2027-12-31T00:00:00Z" and rows[0].display_name is None


def test_a_file_row_names_its_problems_in_the_order_users_know():
    header = ("Login Name,Email Address,Description,Office Number,Password,Reports to,Previous Login Name,Expiration Date,"
              "Require Password Change,Password Never Expires\n")
    row = "jane@nowhere.com,not-an-email,Bad; text,12,weak,not a login,not a login either,soon,perhaps,never\n"
    _rows, problems = _import_rows.validate(_import_file.read_csv((header + row).encode(), "f.csv"), {"acme.com": True}, [])
    assert [p["column"] for p in problems] == ["Login Name", "Email Address", "Description", "Office Number", "Password", "Reports to",
                                               "Previous Login Name", "Expiration Date", "Require Password Change", "Password Never Expires"]
    assert "login suffix 'nowhere.com' does not exist" in problems[0]["message"]


def test_identity_user_names_its_option_problems_in_the_order_users_know():
    params = {"name": "x", "email": "y", "reports_to": "z", "office_number": "1", "mobile_number": "2", "home_number": "3",
              "description": "d" * 129, "password": "weak", "account_expiry": "soon", "roles": None, "send_sms_invite": False}
    errors = identity_user.input_errors(params)
    assert [e.split(":")[0].split(" ")[0] for e in errors] == [
        "name", "email", "reports_to", "office_number", "mobile_number", "home_number", "description", "password", "account_expiry"]
