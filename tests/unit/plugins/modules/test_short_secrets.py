# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A secret shorter than 4 characters is refused before any request, naming its option.

Messages are scrubbed of secrets by replacing them; a value of 1 to 3 characters would either stay in them or mask
ordinary text, so such a value is refused instead (no tenant password policy admits it).
"""

from __future__ import annotations

import pytest
from identity_fakes import run_module  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils import _module
from ansible_collections.cyberark_community.identity.plugins.modules import identity_user, tenant_url_facts

BASE = {"tenant_url": "acme.my.idaptive.app"}


@pytest.mark.parametrize("main, args, option", [
    (tenant_url_facts.main, dict(BASE, client_id="svc@acme.com", client_secret="q7!"), "client_secret"),
    (tenant_url_facts.main, dict(BASE, login_username="admin@acme.com", login_password="q7!"), "login_password"),
    (tenant_url_facts.main, dict(BASE, access_token="q7!"), "access_token"),
    (identity_user.main, dict(BASE, client_id="svc@acme.com", client_secret="Svc-S3cret", name="a@acme.com", password="q7!"), "password"),
], ids=["client_secret", "login_password", "access_token", "user_password"])
def test_a_secret_of_three_characters_is_refused_by_name(main, args, option, capsys, monkeypatch):
    sent = []
    monkeypatch.setattr("ansible_collections.cyberark_community.identity.plugins.module_utils.client._http.HttpSession.request",
                        lambda *a, **k: sent.append(a))
    result = run_module(main, args, capsys)
    assert result.get("failed") is True and result["msg"].startswith(f"{option} is shorter than 4 characters")
    assert "q7!" not in str(result) and sent == []


def test_the_lookups_check_uses_the_same_rule():
    # plugin_utils/_connection.py applies short_secret_errors to the connection spec (the lookup_plugins target runs it
    # through ansible); importing controller code here would switch ansible-core's warnings to the controller's display
    # for every later test in this process
    spec = _module.connection_argument_spec()
    problems = _module.short_secret_errors(spec, {"login_username": "a@acme.com", "login_password": "q7!", "client_secret": "Long-1"})
    assert problems == ["login_password is shorter than 4 characters, which no secret may be (it could not be kept out of messages)"]
