# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Role calls: the bodies the SDKs send, names matched exactly, a lost create settled by a read, empty writes not sent."""

from __future__ import annotations

import pytest
from identity_fakes import FakeResponse, FakeSession, redrock, refused, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Secrets, Transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _roles

ROLES = [{"ID": "r1", "Name": "Auditors", "Description": "Reads logs"}, {"ID": "r2", "Name": "auditors", "Description": None},
         {"ID": "r3", "Name": "", "Description": None}]


def client_for(answers, retries=0):
    session = FakeSession(answers)
    transport = Transport(retries=retries, session=session, sleep=lambda s: None, secrets=Secrets())
    return IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"), transport), session


def test_all_roles_by_exact_name_in_one_read_without_nameless_rows():
    client, session = client_for({"/Redrock/query": redrock({"Role": ROLES})})
    assert _roles.all_roles(client) == {"Auditors": {"id": "r1", "name": "Auditors", "description": "Reads logs"},
                                        "auditors": {"id": "r2", "name": "auditors", "description": None}}
    assert session.paths() == ["/Redrock/query"]


def test_find_roles_matches_case_sensitively_and_asks_nothing_for_no_name():
    client, session = client_for({"/Redrock/query": redrock({"Role": ROLES})})
    assert _roles.find_roles(client, []) == {} and session.calls == []
    assert list(_roles.find_roles(client, ["auditors", "Nobody"])) == ["auditors"]
    assert _roles.find_role(client, "AUDITORS") is None


@pytest.mark.parametrize("description, body", [
    ("Reads logs", {"Name": "Ops", "RoleType": "PrincipalList", "Description": "Reads logs"}),
    (None, {"Name": "Ops", "RoleType": "PrincipalList"}),
])
def test_create_sends_store_role_and_returns_the_row_key(description, body):
    client, session = client_for({"/Roles/StoreRole": success({"_RowKey": "r9"})})
    assert _roles.create(client, "Ops", description) == "r9"
    assert session.calls[0]["json"] == body


def test_a_create_whose_answer_was_lost_is_found_by_a_read_and_not_sent_again():
    tables = {"Role": []}

    def lost(_method, _url, kwargs):
        tables["Role"].append({"ID": "r9", "Name": kwargs["json"]["Name"], "Description": None})  # it landed
        return FakeResponse(502, None)
    client, session = client_for({"/Roles/StoreRole": lost, "/Redrock/query": redrock(tables)}, retries=1)
    assert _roles.create(client, "Ops", None) == "r9"
    assert session.paths() == ["/Roles/StoreRole", "/Redrock/query"]


def test_a_create_whose_answer_was_lost_and_did_not_land_is_sent_once_more():
    client, session = client_for({"/Roles/StoreRole": [FakeResponse(502, None), success({"_RowKey": "r9"})],
                                  "/Redrock/query": redrock({"Role": []})}, retries=1)
    assert _roles.create(client, "Ops", None) == "r9"
    assert session.paths() == ["/Roles/StoreRole", "/Redrock/query", "/Roles/StoreRole"]


def test_update_description_names_the_role_by_id():
    client, session = client_for({"/Roles/UpdateRole": success(None)})
    _roles.update_description(client, "r1", "New")
    assert session.calls[0]["json"] == {"Name": "r1", "Description": "New"}


def test_members_and_holders():
    rows = [{"Guid": "u1", "Name": "Jane@acme.com", "Type": "User"}, {"Guid": "g1", "Name": "Ops", "Type": "Group"},
            {"Guid": "u2", "Name": None, "Type": None}]
    client, session = client_for({"/Roles/GetRoleMembers": success(table(rows, key="Guid"))})
    assert _roles.members(client, "r1")[0] == {"id": "u1", "name": "Jane@acme.com", "type": "User"}
    assert _roles.holders(client, "r1") == {"u1", "jane@acme.com", "u2"}  # groups are not holders
    assert session.calls[0]["json"] == {"Name": "r1"}


def test_members_by_kind_leaves_out_rows_without_a_name():
    # a nameless row would otherwise be the member "None", which a purge then sends for removal (review 26, L10)
    listed = [{"id": "u1", "name": "jane@acme.com", "type": "User"}, {"id": "u2", "name": None, "type": "User"},
              {"id": "g1", "name": "", "type": "Group"}, {"id": "r1", "name": "Ops", "type": "Role"}]
    assert _roles.members_by_kind(listed) == {"User": ["jane@acme.com"], "Group": [], "Role": ["Ops"]}


def test_member_changes_go_by_login_name_and_an_empty_list_sends_nothing():
    client, session = client_for({"/SaasManage/AddUsersAndGroupsToRole": success(None),
                                  "/SaasManage/RemoveUsersAndGroupsFromRole": success(None)})
    _roles.add_users(client, "r1", [])
    _roles.remove_users(client, "r1", [])
    assert session.calls == []
    _roles.add_users(client, "r1", ["jane@acme.com"])
    _roles.remove_users(client, "r1", ["john@acme.com"])
    assert [(c["path"], c["json"]) for c in session.calls] == [
        ("/SaasManage/AddUsersAndGroupsToRole", {"Name": "r1", "Users": ["jane@acme.com"]}),
        ("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "r1", "Users": ["john@acme.com"]}),
    ]


def test_delete_treats_a_role_already_gone_as_done_and_fails_on_other_refusals():
    client, _session = client_for({"/SaasManage/DeleteRole": refused("Role not found.", "_I18N_RoleNotFound")})
    _roles.delete(client, "r1")
    client, _session = client_for({"/SaasManage/DeleteRole": refused("Not allowed.", "_I18N_Unauthorized")})
    with pytest.raises(ApiError, match="Not allowed."):
        _roles.delete(client, "r1")
