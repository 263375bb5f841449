# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The tenant_urls lookup over a fake tenant: the facts tenant_url_facts returns, read with the modules' connection options;
without credentials nothing is sent."""

from __future__ import annotations

import pytest
from identity_fakes import CONNECTION, FakeResponse, serve, success, table  # pylint: disable=import-error
from lookup_harness import lookup  # pylint: disable=import-error

CNAMES = [{"ID": "abc.my.idaptive.app", "CnameType": "System", "IsCustom": None, "ReadOnly": None},
          {"ID": "login.acme.com", "CnameType": "Preferred", "IsCustom": True, "ReadOnly": None}]


def test_without_credentials_nothing_is_sent_and_the_facts_say_why(monkeypatch):
    session = serve(monkeypatch, {})
    [facts] = lookup(monkeypatch, "tenant_urls").run([], {}, tenant_url="abc.my.idaptive.app")
    assert facts["given_url"] == "https://abc.my.idaptive.app" and facts["authenticated"] is False
    assert facts["unknown"]["cnames"] == "needs credentials" and session.calls == []


def test_with_credentials_the_tenants_lists_are_read(monkeypatch):
    session = serve(monkeypatch, {"/TenantCnames/UiGet": success(table(CNAMES, entity_type="TenantCname")),
                                  "/Core/GetCdsAliasesForTenant": success(table([{"ID": "acme.com", "CdsAlias": True}], entity_type="Alias"))})
    [facts] = lookup(monkeypatch, "tenant_urls").run([], {}, **CONNECTION)
    assert facts["authenticated"] is True and facts["login_suffixes"] == ["acme.com"]
    assert facts["system_url"] == "https://abc.my.idaptive.app" and facts["preferred_url"] == "https://login.acme.com"
    assert "about" in facts["unknown"]  # SysInfo/About answered 404: unknown, not a failure
    assert {"/TenantCnames/UiGet", "/Core/GetCdsAliasesForTenant", "/SysInfo/About"} <= set(session.paths())


def test_a_bad_option_is_a_lookup_error_naming_it(monkeypatch):
    from ansible.errors import AnsibleLookupError  # pylint: disable=import-outside-toplevel
    serve(monkeypatch, {})
    with pytest.raises(AnsibleLookupError, match="https"):
        lookup(monkeypatch, "tenant_urls").run([], {}, tenant_url="http://abc.my.idaptive.app")


def test_a_refused_token_is_a_lookup_error(monkeypatch):
    from ansible.errors import AnsibleLookupError  # pylint: disable=import-outside-toplevel
    serve(monkeypatch, {"/TenantCnames/UiGet": FakeResponse(401, None, text="")})
    with pytest.raises(AnsibleLookupError, match="access_token"):
        lookup(monkeypatch, "tenant_urls").run([], {}, **CONNECTION)
