# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_drift: kept variables and import records against a capture, per kind, names compared as the service compares them."""

from __future__ import annotations

from ansible_collections.cyberark_community.identity.plugins.module_utils.capture import _drift

ROLE = {"name": "Help Desk", "description": "First line", "administrative_rights": ["User Management"], "member_groups": ["Ops"],
        "member_roles": ["Auditors"]}


def state(**variables):
    return _drift.state_of(variables, [])


def test_nothing_differs_when_only_case_of_suffixes_rights_groups_and_logins_differs():
    kept = state(identity_onboarding_login_suffixes=["Acme.com"], identity_onboarding_roles=[ROLE],
                 identity_onboarding_users=[{"name": "Jane@acme.com", "roles": ["Help Desk"]}])
    tenant = state(identity_onboarding_login_suffixes=["acme.com"],
                   identity_onboarding_roles=[dict(ROLE, administrative_rights=["user management"], member_groups=["OPS"])],
                   identity_onboarding_users=[{"name": "jane@acme.com", "roles": ["Help Desk"], "purge_roles": True}])
    drift = _drift.compare(kept, tenant)
    assert not _drift.drifted(drift)


def test_role_names_are_exact_and_member_roles_case_matters():
    kept = state(identity_onboarding_roles=[ROLE])
    tenant = state(identity_onboarding_roles=[dict(ROLE, name="help desk"), dict(ROLE, name="Auditors", member_roles=["auditors"])])
    assert _drift.compare(kept, tenant, ["roles"]) == {"roles": {"added": ["Auditors", "help desk"], "removed": ["Help Desk"], "changed": []}}


def test_a_record_and_an_inline_user_compare_alike():
    record = {"Login Name": "jane@acme.com", "Email Address": "jane@acme.com", "Display Name": "Jane", "Roles": "B, A",
              "Reports to": "Boss@acme.com", "Password": "", "CostCenter": "CC-1"}
    inline = {"name": "jane@acme.com", "email": "jane@acme.com", "display_name": "Jane", "roles": ["A", "B"], "reports_to": "boss@acme.com",
              "attributes": {"CostCenter": "CC-1"}}
    assert _drift.state_of({}, [record]) == _drift.state_of({"identity_onboarding_users": [inline]}, [])
    changed = dict(record, **{"Display Name": "Janet"})
    assert _drift.compare(_drift.state_of({}, [record]), _drift.state_of({}, [changed]), ["users"])["users"]["changed"] == ["jane@acme.com"]


def test_users_kept_absent_are_not_expected_and_unknown_kinds_are_ignored():
    kept = state(identity_onboarding_users=[{"name": "gone@acme.com", "state": "absent"}])
    assert _drift.compare(kept, state(), ["users", "remote_access"]) == {"users": {"added": [], "removed": [], "changed": []}}
