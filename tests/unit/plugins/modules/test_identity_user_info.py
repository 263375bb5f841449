# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user_info through main(), over a fake tenant: users by name, ID or search (every user without them), sorted,
with their roles on request, and what was asked for but not found."""

from __future__ import annotations

import pytest
from identity_fakes import CONNECTION, Tenant, directory, run_module, serve  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_user_info

ROLES = [{"ID": "r1", "Name": "Auditors", "Description": None}]
USERS = [
    {"ID": "u1", "Name": "jane@acme.com", "DisplayName": "Jane Doe", "Mail": "jane@acme.com", "InEverybodyRole": True, "roles": ["r1"]},
    {"ID": "u2", "Name": "bob@acme.com", "DisplayName": "Bob", "Mail": "bob@corp.example", "InEverybodyRole": True, "State": "Disabled"},
    {"ID": "u3", "Name": "carol@acme.com", "DisplayName": "Carol", "Mail": None, "InEverybodyRole": False},
]


def run(monkeypatch, capsys, **args):
    session = serve(monkeypatch, directory(USERS, ROLES))
    return run_module(identity_user_info.main, dict(CONNECTION, **args), capsys), session


def scripts(session):
    return [c["json"]["Script"] for c in session.calls if c["path"] == "/Redrock/query"]


def test_every_user_sorted_by_login_name_without_roles(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys)
    assert result["changed"] is False and result["missing"] == []
    assert [u["name"] for u in result["users"]] == ["bob@acme.com", "carol@acme.com", "jane@acme.com"]
    assert result["users"][0]["account_state"] == "disabled" and "roles" not in result["users"][0]
    assert scripts(session)[0].endswith("from CDUser ORDER BY Name")


def test_names_without_case_and_ids_together_missing_ones_as_given(monkeypatch, capsys):
    result, _session = run(monkeypatch, capsys, name=["JANE@acme.com", "ghost@acme.com"])
    assert [u["id"] for u in result["users"]] == ["u1"] and result["missing"] == ["ghost@acme.com"]
    result, _session = run(monkeypatch, capsys, id=["u3", "u9"])
    assert [u["name"] for u in result["users"]] == ["carol@acme.com"] and result["missing"] == ["u9"]


def test_search_looks_in_login_name_display_name_and_email(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, search="corp")
    assert [u["name"] for u in result["users"]] == ["bob@acme.com"]
    assert "Name LIKE '%corp%' OR DisplayName LIKE '%corp%' OR Mail LIKE '%corp%'" in scripts(session)[0]


def test_search_and_names_add_up_each_user_once(monkeypatch, capsys):
    result, _session = run(monkeypatch, capsys, name=["jane@acme.com"], search="acme")
    assert [u["name"] for u in result["users"]] == ["bob@acme.com", "carol@acme.com", "jane@acme.com"]


def test_roles_on_request(monkeypatch, capsys):
    result, _session = run(monkeypatch, capsys, name=["jane@acme.com", "carol@acme.com"], with_roles=True)
    assert {u["name"]: u["roles"] for u in result["users"]} == {"carol@acme.com": [], "jane@acme.com": ["Auditors"]}


@pytest.mark.parametrize("args, named", [
    ({"concurrency": 65}, "concurrency must be between 1 and 64"),
    ({"page_size": 0}, "page_size must be between 1 and 10,000"),
    ({"id": ["u\n1"]}, "id: 'u\\n1'"),
    ({"name": ["a" * 300 + "@acme.com"]}, "name: "),
    ({"search": "a\x01b"}, "search "),  # not NUL: ansible-core 2.21 refuses to log a NUL before the module runs
])
def test_bad_options_fail_naming_the_option_before_any_request(monkeypatch, capsys, args, named):
    result, session = run(monkeypatch, capsys, **args)
    assert result["failed"] is True and result["msg"].startswith(named) and session.calls == []


def test_name_and_id_exclude_each_other(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, name=["jane@acme.com"], id=["u1"])
    assert result["failed"] is True and "mutually exclusive" in result["msg"] and session.calls == []


def test_with_attributes_reads_each_users_additional_attributes_once(monkeypatch, capsys):
    tenant = Tenant(users=[{"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com", "ExtData": {"CostCenter": "4711"}},
                           {"ID": "u2", "Name": "john@acme.com", "Mail": "john@acme.com"}], attributes={"CostCenter": "Text"})
    session = serve(monkeypatch, tenant.answers())
    result = run_module(identity_user_info.main, dict(CONNECTION, with_attributes=True), capsys)
    assert [(u["name"], u["attributes"]) for u in result["users"]] == [("jane@acme.com", {"CostCenter": "4711"}), ("john@acme.com", {})]
    assert sorted(c["json"]["ID"] for c in session.calls if c["path"] == "/ExtData/GetColumns") == ["u1", "u2"]
    without = run_module(identity_user_info.main, dict(CONNECTION), capsys)
    assert "attributes" not in without["users"][0]


def test_with_locks_reads_both_locks_of_each_user(monkeypatch, capsys):
    tenant = Tenant(users=[{"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com", "CloudLocked": True},
                           {"ID": "u2", "Name": "john@acme.com", "Mail": "john@acme.com", "LockedOutByPolicy": True}])
    session = serve(monkeypatch, tenant.answers())
    result = run_module(identity_user_info.main, dict(CONNECTION, with_locks=True), capsys)
    assert [(u["cloud_locked"], u["locked_out_by_policy"]) for u in result["users"]] == [(True, False), (False, True)]
    assert sorted(c["params"]["user"] for c in session.calls if c["path"] == "/UserMgmt/IsUserCloudLocked") == ["u1", "u2"]


def test_without_state_only_pages_are_read_and_nothing_is_claimed_about_state(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys, with_state=False)
    assert [c["path"] for c in session.calls] == ["/Redrock/query"]  # one page for three users: no GetUser at all
    assert [u["name"] for u in result["users"]] == ["bob@acme.com", "carol@acme.com", "jane@acme.com"]
    assert {(u["account_state"], u["oauth_client"]) for u in result["users"]} == {(None, None)}  # not read, not guessed
    assert result["users"][0]["display_name"] == "Bob" and result["users"][0]["in_everybody_role"] is True
