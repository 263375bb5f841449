# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_capture's orderings: member roles before the roles that hold them, managers before their reports, cycles kept."""

from __future__ import annotations

from ansible_collections.cyberark_community.identity.plugins.module_utils.capture import _capture


def test_member_roles_come_first_and_a_cycle_keeps_every_role_once():
    roles = [{"name": "A", "member_roles": ["C"]}, {"name": "B", "member_roles": ["A", "Gone"]}, {"name": "C"},
             {"name": "X", "member_roles": ["Y"]}, {"name": "Y", "member_roles": ["X"]}]
    assert [r["name"] for r in _capture.ordered_roles(roles)] == ["C", "A", "B", "Y", "X"]


def test_a_user_who_is_its_own_manager_or_in_a_loop_is_kept_once():
    users = [{"name": "a@acme.com", "reports_to": "a@acme.com"}, {"name": "b@acme.com", "reports_to": "c@acme.com"},
             {"name": "c@acme.com", "reports_to": "b@acme.com"}]
    assert sorted(u["name"] for u in _capture.ordered_users(users)) == ["a@acme.com", "b@acme.com", "c@acme.com"]


def test_an_inline_user_holds_only_the_values_the_tenant_holds():
    record = {"Login Name": "svc@acme.com", "Email Address": "", "Display Name": "Svc", "Roles": "A, B", "CostCenter": ""}
    assert _capture.inline_user(record, ["CostCenter"], {"OauthClient": False}, True) == {
        "name": "svc@acme.com", "display_name": "Svc", "service_user": True, "oauth_client": False, "roles": ["A", "B"], "purge_roles": True}


def test_the_suffix_cyberark_generates_for_a_tenant_is_its_own():
    assert all(_capture.GENERATED_SUFFIX.match(s) for s in ("cyberark.cloud.4242", "CyberArkGov.cloud.7"))
    assert not any(_capture.GENERATED_SUFFIX.match(s) for s in ("acme.com", "cyberark.cloud", "cyberark.cloud.42.acme.com", "mycyberark.cloud.1"))
