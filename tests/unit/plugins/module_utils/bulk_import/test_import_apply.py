# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bulk import writes (_import_apply) over a fake tenant: role grants overlap the creates, batch by batch, and a batch
holds the same rows whatever the timing."""

from __future__ import annotations

from identity_fakes import FakeSession, Tenant, refused  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_apply, _import_outcome, _import_plan
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_rows import UserRow
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Secrets, Transport

CREATE, GRANT = "/CDirectoryService/CreateUser", "/SaasManage/AddUsersAndGroupsToRole"


def apply(tenant, rows, concurrency=1):
    session = FakeSession(tenant.answers())
    client = IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"),
                            Transport(retries=0, session=session, sleep=lambda s: None, secrets=Secrets()))
    options = _import_plan.Options(concurrency=concurrency)
    plan = _import_plan.make_plan(client, rows, options)
    outcomes = _import_outcome.Outcomes(plan)
    session.calls.clear()
    _import_apply.apply_round(client, plan, list(plan.entries), outcomes, options)
    return session, outcomes


def rows(count, roles=("Staff",)):
    return [UserRow(row=n + 2, name=f"u{n}@acme.com", email=f"u{n}@acme.com", roles=list(roles)) for n in range(count)]


def test_a_batch_of_grants_goes_as_soon_as_its_rows_are_created(monkeypatch):
    monkeypatch.setattr(_import_apply, "GRANT_BATCH", 2)
    tenant = Tenant(roles=[{"ID": "r1", "Name": "Staff"}])
    session, outcomes = apply(tenant, rows(5))
    # One worker: each batch of two is granted right after its second row's create, before the next create.
    assert [c["path"] for c in session.calls if c["path"] in (CREATE, GRANT)] == [
        CREATE, CREATE, GRANT, CREATE, CREATE, GRANT, CREATE, GRANT]
    assert all(tenant.role_names(f"u{n}@acme.com") == ["Staff"] for n in range(5))
    assert {o.outcome for o in outcomes.rows.values()} == {"ok"}


def test_a_failed_create_is_left_out_of_its_batch_and_a_refused_batch_fails_only_its_rows(monkeypatch):
    monkeypatch.setattr(_import_apply, "GRANT_BATCH", 2)
    tenant = Tenant(roles=[{"ID": "r1", "Name": "Staff"}])
    answers = tenant.answers()
    create, grant, grants = answers[CREATE], answers[GRANT], []

    def create_but_u1(method, url, kwargs):
        return refused("Busy.") if kwargs["json"]["Name"] == "u1@acme.com" else create(method, url, kwargs)

    def refuse_the_batch_of_u2(method, url, kwargs):
        grants.append(sorted(kwargs["json"]["Users"]))
        return refused("Role is busy.") if "u2@acme.com" in kwargs["json"]["Users"] else grant(method, url, kwargs)

    monkeypatch.setattr(tenant, "answers", lambda: dict(answers, **{CREATE: create_but_u1, GRANT: refuse_the_batch_of_u2}))
    _session, outcomes = apply(tenant, rows(5), concurrency=3)
    # u1's batch still goes without it; the refused batch fails its own two rows; which rows share a call never
    # depends on the order the creates end in.
    assert sorted(grants) == [["u0@acme.com"], ["u2@acme.com", "u3@acme.com"], ["u4@acme.com"]]
    assert [(outcomes.rows[n + 2].outcome, n) for n in range(5)] == [("ok", 0), ("failed", 1), ("failed", 2), ("failed", 3), ("ok", 4)]
    assert "Busy." in outcomes.rows[3].message  # u1 keeps its own failure
    assert outcomes.rows[4].message == outcomes.rows[5].message == (
        "role Staff: POST /SaasManage/AddUsersAndGroupsToRole failed: HTTP 200: Role is busy.")
    assert [tenant.role_names(f"u{n}@acme.com") for n in (0, 2, 4)] == [["Staff"], [], ["Staff"]]


def test_a_surprise_while_granting_fails_the_batch_not_the_import(monkeypatch):
    monkeypatch.setattr(_import_apply, "GRANT_BATCH", 2)
    tenant = Tenant(roles=[{"ID": "r1", "Name": "Staff"}])
    answers = tenant.answers()

    def broken(*_args):
        raise KeyError("surprise")  # not an IdentityError: a defect somewhere below
    monkeypatch.setattr(tenant, "answers", lambda: dict(answers, **{GRANT: broken}))
    _session, outcomes = apply(tenant, rows(3), concurrency=2)
    assert [outcomes.rows[n + 2].outcome for n in range(3)] == ["failed"] * 3
    assert all(outcomes.rows[n + 2].user_id for n in range(3))  # every create's outcome kept
    assert {outcomes.rows[n + 2].message for n in range(3)} == {"role Staff: unexpected error while granting the role: KeyError"}
