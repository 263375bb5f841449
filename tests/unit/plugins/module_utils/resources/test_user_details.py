# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_user_details.describe: query rows completed with each user's details, and roles read the cheaper way round."""

from __future__ import annotations

from identity_fakes import FakeSession, directory  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _user_details

ROLES = [{"ID": "r0", "Name": "Everybody", "Description": None}, {"ID": "r1", "Name": "Auditors", "Description": None},
         {"ID": "r2", "Name": "Help Desk", "Description": None}]
JANE = {"ID": "u1", "Name": "jane@acme.com", "DisplayName": "Jane", "Mail": "jane@acme.com", "ReportsTo": "Unassigned",
        "InEverybodyRole": True, "State": "Locked", "roles": ["r0", "r2", "r1"]}
JOHN = {"ID": "u2", "Name": "john@acme.com", "DisplayName": "John", "Mail": None, "ReportsTo": "u1", "InEverybodyRole": False,
        "OauthClient": True, "roles": []}


def client_for(answers):
    session = FakeSession(answers)
    transport = Transport(retries=0, session=session, sleep=lambda s: None, secrets=Secrets())
    return IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"), transport), session


def rows(*users):
    return [{k: v for k, v in u.items() if k not in ("State", "OauthClient", "roles")} for u in users]


def test_each_user_in_the_rows_order_with_the_details_read_by_id():
    client, session = client_for(directory([JANE, JOHN], ROLES))
    users = _user_details.describe(client, rows(JOHN, JANE), with_roles=False, concurrency=4)
    assert [u["name"] for u in users] == ["john@acme.com", "jane@acme.com"]
    assert users[1] == {"id": "u1", "name": "jane@acme.com", "email": "jane@acme.com", "display_name": "Jane", "description": None,
                        "office_number": None, "mobile_number": None, "home_number": None, "reports_to": None,
                        "in_everybody_role": True, "oauth_client": False, "account_state": "locked"}
    assert users[0]["oauth_client"] is True and users[0]["reports_to"] == "u1" and users[0]["account_state"] == "enabled"
    assert sorted(c["json"]["ID"] for c in session.calls if c["path"] == "/CDirectoryService/GetUser") == ["u1", "u2"]
    assert "roles" not in users[0]


def test_no_rows_reads_no_user():
    client, session = client_for(directory([JANE], ROLES))
    assert _user_details.describe(client, [], with_roles=True, concurrency=4) == []
    assert not {"/CDirectoryService/GetUser", "/UserMgmt/GetUsersRolesAndAdministrativeRights"} & set(session.paths())


def test_roles_are_read_user_by_user_when_the_tenant_has_as_many_roles_as_users_were_found():
    client, session = client_for(directory([JANE, JOHN], ROLES))
    users = _user_details.describe(client, rows(JANE, JOHN), with_roles=True, concurrency=2)
    assert users[0]["roles"] == ["Auditors", "Help Desk"] and users[1]["roles"] == []  # Everybody is left out
    assert sorted(c["params"]["ID"] for c in session.calls if c["path"] == "/UserMgmt/GetUsersRolesAndAdministrativeRights") == ["u1", "u2"]
    assert "/Roles/GetRoleMembers" not in session.paths()


def test_roles_are_read_role_by_role_when_the_tenant_has_fewer_roles_than_users_found():
    many = [dict(JOHN, ID=f"u{n}", Name=f"user{n}@acme.com") for n in range(3, 7)]
    client, session = client_for(directory([JANE, *many], ROLES))
    users = _user_details.describe(client, rows(JANE, *many), with_roles=True, concurrency=4)
    assert users[0]["roles"] == ["Auditors", "Help Desk"] and all(u["roles"] == [] for u in users[1:])
    assert sorted(c["json"]["Name"] for c in session.calls if c["path"] == "/Roles/GetRoleMembers") == ["r1", "r2"]  # not Everybody
    assert "/UserMgmt/GetUsersRolesAndAdministrativeRights" not in session.paths()


def test_concurrently_reads_every_id_once():
    client, _session = client_for({})
    seen = []
    assert _user_details.concurrently(client, ["a", "b", "c"], lambda uid: seen.append(uid) or uid.upper(), 2) == {"a": "A", "b": "B", "c": "C"}
    assert sorted(seen) == ["a", "b", "c"] and client.transport.limiter.maximum == 2


def test_a_user_deleted_between_the_query_and_its_details_is_left_out_not_reported_enabled():
    """The query found John, but GetUser answers that he no longer exists: he is not described (as an enabled user
    with no OAuth flag), so identity_user_info counts him as missing and the user lookup finds no one."""
    client, _session = client_for(directory([JANE], ROLES))  # John is gone from the directory GetUser reads
    users = _user_details.describe(client, rows(JOHN, JANE), with_roles=True, concurrency=2)
    assert [u["name"] for u in users] == ["jane@acme.com"]
