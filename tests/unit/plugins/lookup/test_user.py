# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The user lookup over a fake tenant: one user per login name in the order given, an empty mapping for a name that does
not exist, the modules' connection options and their environment fallbacks, errors without a traceback."""

from __future__ import annotations

import pytest
from identity_fakes import CONNECTION, directory, serve  # pylint: disable=import-error
from lookup_harness import lookup  # pylint: disable=import-error

ROLES = [{"ID": "r1", "Name": "Auditors", "Description": None}]
USERS = [{"ID": "u1", "Name": "jane@acme.com", "DisplayName": "Jane", "Mail": "jane@acme.com", "InEverybodyRole": True, "roles": ["r1"]},
         {"ID": "u2", "Name": "john@acme.com", "DisplayName": "John", "Mail": None, "InEverybodyRole": True, "State": "Locked"}]


def test_one_user_per_name_in_the_order_given_and_empty_for_an_unknown_name(monkeypatch):
    session = serve(monkeypatch, directory(USERS, ROLES))
    found = lookup(monkeypatch, "user").run(["John@acme.com", "ghost@acme.com", "jane@acme.com"], {}, **CONNECTION)
    assert [u.get("id") for u in found] == ["u2", None, "u1"] and found[1] == {}
    assert found[0]["account_state"] == "locked" and "roles" not in found[0]
    assert "/UserMgmt/GetUsersRolesAndAdministrativeRights" not in session.paths()


def test_roles_on_request(monkeypatch):
    serve(monkeypatch, directory(USERS, ROLES))
    found = lookup(monkeypatch, "user").run(["jane@acme.com", "john@acme.com"], {}, with_roles=True, **CONNECTION)
    assert [u["roles"] for u in found] == [["Auditors"], []]


def test_the_connection_comes_from_the_environment_as_for_modules(monkeypatch):
    session = serve(monkeypatch, directory(USERS, ROLES))
    for name, value in CONNECTION.items():
        monkeypatch.setenv("CYBERARK_IDENTITY_" + name.upper(), str(value))
    assert lookup(monkeypatch, "user").run(["jane@acme.com"], {})[0]["id"] == "u1"
    assert {c["host"] for c in session.calls} == {"abc.my.idaptive.app"}
    assert session.calls[0]["headers"]["Authorization"] == "Bearer tok-en-value"


def test_a_name_with_a_control_character_is_refused_before_any_request(monkeypatch):
    from ansible.errors import AnsibleLookupError  # pylint: disable=import-outside-toplevel
    session = serve(monkeypatch, directory(USERS, ROLES))
    plugin = lookup(monkeypatch, "user")
    with pytest.raises(AnsibleLookupError, match="login name 'jane\\\\n@acme.com'"):
        plugin.run(["jane\n@acme.com"], {}, **CONNECTION)
    assert session.calls == []


@pytest.mark.parametrize("options, words", [
    ({"retries": -1}, "retries"),
    ({"client_secret": "q7!", "client_id": "svc@acme.com"}, "client_secret is shorter than 4 characters"),
    ({"tenant_url": None}, "tenant_url"),
])
def test_bad_connection_options_are_named_before_any_request(monkeypatch, options, words):
    from ansible.errors import AnsibleLookupError  # pylint: disable=import-outside-toplevel
    session = serve(monkeypatch, directory(USERS, ROLES))
    args = {k: v for k, v in dict(CONNECTION, **options).items() if v is not None}
    with pytest.raises(AnsibleLookupError, match=words) as info:
        lookup(monkeypatch, "user").run(["jane@acme.com"], {}, **args)
    assert "q7!" not in str(info.value) and session.calls == []


def test_a_tenant_error_is_a_lookup_error_with_the_tenants_message(monkeypatch):
    from ansible.errors import AnsibleLookupError  # pylint: disable=import-outside-toplevel
    serve(monkeypatch, {})  # every path answers HTTP 404
    with pytest.raises(AnsibleLookupError, match="/Redrock/query"):
        lookup(monkeypatch, "user").run(["jane@acme.com"], {}, **CONNECTION)


def test_a_retired_environment_variable_is_warned_about(monkeypatch):
    from ansible_collections.cyberark_community.identity.plugins.plugin_utils import _connection  # pylint: disable=import-outside-toplevel
    serve(monkeypatch, directory(USERS, ROLES))
    plugin = lookup(monkeypatch, "user")
    warned = []
    monkeypatch.setattr(_connection.display, "warning", warned.append)
    monkeypatch.setenv("CYBERARK_IDENTITY_USERNAME", "admin@acme.com")
    plugin.run(["jane@acme.com"], {}, **CONNECTION)
    assert warned == ["CYBERARK_IDENTITY_USERNAME is set but no longer read since 2.0.0: set CYBERARK_IDENTITY_LOGIN_USERNAME "
                      "instead (see the porting guide)"]
