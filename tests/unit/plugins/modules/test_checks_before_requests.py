# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module with option checks runs them in IdentityModule.execute: all problems in one message, before the
client is made or any request sent. identity_user also names the problems only the tenant can show in the same message
(execute's tenant_checks): it reads for them, and writes nothing (tests/unit/plugins/modules/test_identity_user.py)."""

from __future__ import annotations

import pytest
from identity_fakes import run_module  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import (
    identity_api,
    identity_bulk_import,
    identity_login_suffix,
    identity_role,
    identity_user,
    identity_user_export,
    identity_user_info,
    remote_access_integration,
)

BASE = {"tenant_url": "acme.my.idaptive.app", "client_id": "svc@acme.com", "client_secret": "Svc-S3cret"}


@pytest.mark.parametrize("main, args, named", [
    (identity_login_suffix.main, dict(BASE, name="bad name!", domain="bad too!"), ["name:", "domain:"]),
    (identity_role.main, dict(BASE, name="Auditors", members=["not a login"]), ["members"]),
    (identity_user_export.main, dict(BASE, dest="/tmp/export.txt"), ["dest"]),
    (identity_user_info.main, dict(BASE, concurrency=0), ["concurrency"]),
    (identity_bulk_import.main, dict(BASE, users=[{"login_name": "a@acme.com", "email_address": "a@acme.com"}], concurrency=0),
     ["concurrency"]),
    (remote_access_integration.main, dict(BASE, integration_suffix="acme.com", ra_tenant_id="t1", update_password="always",
                                          reauthentication_interval_days=0), ["reauthentication_interval_days", "integration_password"]),
    # removing a user needs nothing from the tenant to check its options: they fail alone, before any request
    (identity_user.main, dict(BASE, name="not a login", state="absent", email="two@a.com, b@c.com"), ["name:", "email:"]),
    (identity_api.main, dict(BASE, path="https://evil.example/x", body="text"), ["path:", "body"]),
], ids=["login_suffix", "role", "export", "user_info", "bulk_import", "remote_access", "user_absent", "api"])
def test_bad_options_fail_together_before_any_request(main, args, named, capsys, monkeypatch):
    sent = []
    monkeypatch.setattr("ansible_collections.cyberark_community.identity.plugins.module_utils.client._http.HttpSession.request",
                        lambda *a, **k: sent.append(a))
    result = run_module(main, args, capsys)
    assert result.get("failed") is True, result
    assert all(word in result["msg"] for word in named), result["msg"]
    assert sent == []
