# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user_export through main(), over a fake tenant: the file written (not in check mode), no change when it holds
the same users, the selection options, names that do not exist refused naming the option, an unsafe path refused."""

from __future__ import annotations

import csv
import os

import pytest
from identity_fakes import CONNECTION, directory, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils import _files
from ansible_collections.cyberark_community.identity.plugins.modules import identity_user_export

ROLES = [{"ID": "r1", "Name": "Auditors", "Description": None}]
USERS = [
    {"ID": "u1", "Name": "jane@acme.com", "DisplayName": "Jane", "Mail": "jane@acme.com", "ReportsTo": "Unassigned", "InEverybodyRole": True,
     "roles": ["r1"]},
    {"ID": "u2", "Name": "john@corp.acme.com", "DisplayName": "John", "Mail": "john@acme.com", "ReportsTo": "u1", "InEverybodyRole": True},
    {"ID": "u3", "Name": "alero-integration-user$@acme.com", "DisplayName": "Alero", "Mail": None, "InEverybodyRole": False},
]
SUFFIXES = [{"ID": "acme.com", "CdsAlias": True, "ReplaceDomain": None}, {"ID": "corp.acme.com", "CdsAlias": True, "ReplaceDomain": None}]


def tenant():
    answers = directory(USERS, ROLES)
    answers["/Core/GetAliasesForTenant"] = success(table(SUFFIXES, entity_type="Alias"))
    answers["/ExtData/GetSchema"] = success({"Columns": [{"Name": "CostCenter", "Title": "CostCenter", "Type": "Text"}]})
    answers["/ExtData/GetColumns"] = lambda _m, _u, kwargs: success({"CostCenter": "CC-" + kwargs["json"]["ID"]})
    return answers


def run(monkeypatch, capsys, **args):
    session = serve(monkeypatch, tenant())
    return run_module(identity_user_export.main, dict(CONNECTION, **args), capsys), session


def test_check_mode_predicts_the_export_and_writes_nothing(monkeypatch, capsys, tmp_path):
    dest = str(tmp_path / "out" / "users.csv")
    result, _session = run(monkeypatch, capsys, dest=dest, _ansible_check_mode=True, _ansible_diff=True)
    assert result["changed"] is True and result["format"] == "csv" and result["users"] == 2
    assert result["diff"] == {"before": {}, "after": {"dest": dest, "users": 2}}
    assert not os.path.exists(dest)


def test_the_file_is_written_owner_only_and_a_second_run_is_no_change(monkeypatch, capsys, tmp_path):
    dest = str(tmp_path / "out" / "users.csv")
    result, _session = run(monkeypatch, capsys, dest=dest)
    assert result["changed"] is True and result["headers"][:2] == ["Login Name", "Email Address"]
    assert os.stat(dest).st_mode & 0o777 == 0o600
    text = open(dest, encoding="utf-8-sig").read()
    assert "jane@acme.com" in text and "john@corp.acme.com" in text and "Auditors" in text
    written = os.stat(dest).st_mtime_ns
    again, _session = run(monkeypatch, capsys, dest=dest, _ansible_diff=True)
    assert again["changed"] is False and os.stat(dest).st_mtime_ns == written
    assert again["diff"]["before"] == again["diff"]["after"] == {"dest": dest, "users": 2}


def test_a_user_cyberark_provisions_is_not_exported_and_not_warned_about(monkeypatch, capsys, tmp_path):
    """The Remote Access integration user is no person an HR file lists (its $ is outside what an administrator may
    use): out of the export's reach, said in the result, not in a warning on every run."""
    result, _session = run(monkeypatch, capsys, dest=str(tmp_path / "users.csv"))
    assert result["out_of_reach"] == ["alero-integration-user$@acme.com"] and result["left_out"] == []
    assert "alero-integration-user" not in str(result.get("warnings")) and result["users"] == 2


def test_a_user_the_import_would_refuse_for_another_reason_is_left_out_with_a_warning(monkeypatch, capsys, tmp_path):
    USERS.append({"ID": "u4", "Name": "ann@acme.com", "DisplayName": "Ann", "Mail": "not an address", "InEverybodyRole": True})
    try:
        result, _session = run(monkeypatch, capsys, dest=str(tmp_path / "users.csv"))
    finally:
        USERS.pop()
    assert [u["login_name"] for u in result["left_out"]] == ["ann@acme.com"]
    assert "ann@acme.com is not exported: the import would refuse it" in str(result["warnings"])


def login_names(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [row["Login Name"] for row in csv.DictReader(handle)]


def test_suffixes_and_roles_select_the_users(monkeypatch, capsys, tmp_path):
    result, _session = run(monkeypatch, capsys, dest=str(tmp_path / "a.csv"), suffixes=["CORP.acme.com"])
    assert result["users"] == 1 and login_names(tmp_path / "a.csv") == ["john@corp.acme.com"]
    result, _session = run(monkeypatch, capsys, dest=str(tmp_path / "b.csv"), roles=["Auditors"])
    assert result["users"] == 1 and login_names(tmp_path / "b.csv") == ["jane@acme.com"]


def test_attributes_are_read_one_user_at_a_time_as_extra_columns(monkeypatch, capsys, tmp_path):
    dest = str(tmp_path / "users.xlsx")
    result, session = run(monkeypatch, capsys, dest=dest, attributes=["CostCenter"])
    assert result["format"] == "xlsx" and result["headers"][-1] == "CostCenter" and os.path.getsize(dest) > 0
    assert sorted(c["json"]["ID"] for c in session.calls if c["path"] == "/ExtData/GetColumns") == ["u1", "u2", "u3"]


@pytest.mark.parametrize("args, message", [
    ({"roles": ["auditors"]}, "roles: no role named auditors exists (role names are case-sensitive)"),
    ({"attributes": ["Region"]}, "attributes: the tenant defines no additional attribute named Region"),
])
def test_names_that_do_not_exist_fail_naming_the_option_and_write_nothing(monkeypatch, capsys, tmp_path, args, message):
    dest = str(tmp_path / "users.csv")
    result, _session = run(monkeypatch, capsys, dest=dest, **args)
    assert result["failed"] is True and result["msg"] == message and not os.path.exists(dest)


@pytest.mark.parametrize("args, named", [
    ({"dest": "users.txt"}, "dest must end in .csv or .xlsx"),
    ({"concurrency": 17}, "concurrency must be between 1 and 16"),
    ({"page_size": 0}, "page_size must be between 1 and 10,000"),
    ({"suffixes": [" "]}, "suffixes: ' ' is empty"),
    ({"roles": ["a\x00b"]}, "roles: 'a\\x00b'"),
    ({"attributes": ["Login Name"]}, "attributes: Login Name is a header of the import format already"),
    ({"search": "a\x07"}, "search "),
])
def test_bad_options_fail_naming_the_option_before_any_request(monkeypatch, capsys, tmp_path, args, named):
    result, session = run(monkeypatch, capsys, **dict({"dest": str(tmp_path / "users.csv")}, **args))
    assert result["failed"] is True and named in result["msg"] and session.calls == []


def test_a_symbolic_link_at_dest_is_refused_before_any_request(monkeypatch, capsys, tmp_path):
    target = tmp_path / "elsewhere.csv"
    target.write_text("keep")
    os.symlink(target, tmp_path / "users.csv")
    result, session = run(monkeypatch, capsys, dest=str(tmp_path / "users.csv"))
    assert result["failed"] is True and "is a symbolic link" in result["msg"] and session.calls == []
    assert target.read_text() == "keep"


def test_a_link_planted_after_the_checks_is_refused_naming_dest(monkeypatch, capsys, tmp_path):
    dest = tmp_path / "users.csv"
    target = tmp_path / "elsewhere.csv"
    target.write_text("keep")
    answers = tenant()
    listing = answers["/Core/GetAliasesForTenant"]

    def plant(*_):  # the last read before the write
        if not dest.is_symlink():
            os.symlink(target, dest)
        return listing
    answers["/Core/GetAliasesForTenant"] = plant
    serve(monkeypatch, answers)
    result = run_module(identity_user_export.main, dict(CONNECTION, dest=str(dest)), capsys)
    assert result["failed"] is True and result["msg"].startswith("dest: ") and "symbolic link" in result["msg"]
    assert target.read_text() == "keep"


def test_a_person_the_import_refuses_for_other_characters_is_warned_about_not_hidden(monkeypatch, capsys, tmp_path):
    USERS.append({"ID": "u5", "Name": "o'brien@acme.com", "DisplayName": "Pat", "Mail": "pat@acme.com", "InEverybodyRole": True})
    try:
        result, _session = run(monkeypatch, capsys, dest=str(tmp_path / "users.csv"))
    finally:
        USERS.pop()
    assert result["out_of_reach"] == ["alero-integration-user$@acme.com"]
    texts = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]  # 2.19 gives events, older text
    assert [u["login_name"] for u in result["left_out"]] == ["o'brien@acme.com"]
    assert any(text.startswith("o'brien@acme.com is not exported") for text in texts)


def test_an_xlsx_export_without_openpyxl_fails_before_any_request(monkeypatch, capsys, tmp_path):
    import importlib.util  # pylint: disable=import-outside-toplevel
    found = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "openpyxl" else found(name, *a))
    result, session = run(monkeypatch, capsys, dest=str(tmp_path / "users.xlsx"), _ansible_check_mode=True)
    assert result["failed"] is True and "needs the Python library openpyxl" in result["msg"] and session.calls == []


def test_a_csv_export_is_written_page_by_page_not_held_whole(monkeypatch, capsys, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    answers = tenant()
    query, written, seen = answers["/Redrock/query"], [], []

    def watch(method, url, kwargs):
        if "from CDUser" in kwargs["json"]["Script"] and (kwargs["json"].get("args") or {}).get("PageNumber") == 3:
            seen.append(b"".join(written).decode())  # the last page asked for: what the file was handed by then
        return query(method, url, kwargs)
    answers["/Redrock/query"] = watch
    staged_write = _files.StagedFile.write
    monkeypatch.setattr(_files.StagedFile, "write", lambda self, data: [written.append(data), staged_write(self, data)][1])
    serve(monkeypatch, answers)
    result = run_module(identity_user_export.main, dict(CONNECTION, dest=str(folder / "users.csv"), page_size=1, concurrency=1), capsys)
    assert result["changed"] is True and result["users"] == 2
    # Page 1 holds the integration user (out of reach), page 2 jane, page 3 john: jane's line went out before john's page came.
    assert len(seen) == 1 and "jane@acme.com" in seen[0] and "john@" not in seen[0]
    assert [p.name for p in folder.iterdir()] == ["users.csv"]  # the staged file became it


def test_two_names_alike_but_for_case_on_two_pages_export_the_first_only(monkeypatch, capsys, tmp_path):
    users = [dict(USERS[0], ID="u7", Name="Élise@acme.com", Mail="elise@acme.com", roles=[]),
             dict(USERS[0], ID="u8", Name="élise@acme.com", Mail="elise2@acme.com", roles=[])]
    answers = directory(users, ROLES)
    answers["/Core/GetAliasesForTenant"] = success(table(SUFFIXES, entity_type="Alias"))
    serve(monkeypatch, answers)
    dest = tmp_path / "users.csv"
    result = run_module(identity_user_export.main, dict(CONNECTION, dest=str(dest), page_size=1, concurrency=1), capsys)
    with open(dest, encoding="utf-8-sig") as handle:
        exported = [row["Login Name"] for row in csv.DictReader(handle)]
    assert len(exported) == 1 and result["users"] == 1  # an import of the file takes it: one of the two, never both
    assert [u["login_name"] for u in result["left_out"]] == [n for n in ("Élise@acme.com", "élise@acme.com") if n not in exported]
    assert "only in the case of its letters" in result["left_out"][0]["message"]
