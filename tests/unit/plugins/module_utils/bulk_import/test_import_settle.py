# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bulk import settling and removals (_import_settle, _import_apply) over a fake tenant: what the tenant shows decides
each row's outcome; reads that fail leave the outcome unconfirmed and say why; one row's surprise never ends the import."""

from __future__ import annotations

from identity_fakes import FakeSession, Tenant, refused  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_apply, _import_plan, _import_settle
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_rows import UserRow
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Secrets, Transport


def client_for(answers):
    session = FakeSession(answers)
    transport = Transport(retries=0, session=session, sleep=lambda s: None, secrets=Secrets())
    return IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"), transport), session


def tenant():
    return Tenant(users=[{"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com", "DisplayName": "Old"},
                         {"ID": "u2", "Name": "gone@acme.com", "Mail": "gone@acme.com"}])


def plan_for(client, rows, **options):
    return _import_plan.make_plan(client, rows, _import_plan.Options(**options))


JANE = UserRow(row=2, name="jane@acme.com", email="jane@acme.com", display_name="New")


def test_reads_that_keep_failing_leave_the_rows_unconfirmed_and_say_why():
    fake = tenant()
    answers = fake.answers()
    client, _session = client_for(answers)
    plan = plan_for(client, [JANE])
    item, = plan.items
    item.outcome, item.message = "ok", "updated: DisplayName"
    answers["/Redrock/query"] = refused("Query failed: busy")
    _import_settle.settle(client, plan, _import_plan.Options(), rounds=1)
    assert item.outcome == "ok"  # the write's answer stands, not confirmed
    assert item.message == ("updated: DisplayName (not confirmed: reading the tenant back failed: "
                            "POST /Redrock/query failed: HTTP 200: Query failed: busy)")


def test_a_row_the_tenant_does_not_show_is_applied_again_and_confirmed():
    fake = tenant()
    answers = fake.answers()
    client, session = client_for(answers)
    plan = plan_for(client, [JANE])
    item, = plan.items
    item.outcome = "failed"  # as if the first round's write had failed and sent nothing
    _import_settle.settle(client, plan, _import_plan.Options())
    assert (item.outcome, fake.user("jane@acme.com")["DisplayName"]) == ("ok", "New")
    assert item.message.startswith("updated (an answer was lost or refused")
    assert [c["json"] for c in session.calls if c["path"] == "/CDirectoryService/ChangeUser"] == [{"ID": "u1", "DisplayName": "New"}]


def test_nothing_touched_reads_nothing():
    client, session = client_for(tenant().answers())
    plan = _import_plan.Plan([], {}, {}, {}, {}, {})
    _import_settle.settle(client, plan, _import_plan.Options())
    assert session.calls == []


def test_a_removal_read_back_that_fails_leaves_it_unconfirmed():
    fake = tenant()
    answers = fake.answers()
    client, _session = client_for(answers)
    plan = _import_plan.Plan([], {}, {}, {}, {}, {}, removals=[_import_plan.Item(0, "gone@acme.com", "delete", user_id="u2")])
    answers["/Redrock/query"] = refused("Query failed: busy")
    _import_apply.apply_removals(client, plan, _import_plan.Options())
    assert fake.find("gone@acme.com") is None  # the delete was sent ...
    removal, = plan.removals  # ... but nothing read confirms it
    assert removal.outcome == "planned" and removal.message.startswith("not confirmed: reading the tenant back failed: ")


def test_a_refused_delete_fails_its_batch_with_the_reason():
    fake = tenant()
    client, _session = client_for(dict(fake.answers(), **{"/UserMgmt/RemoveUsers": refused("The list contains the calling user.")}))
    plan = _import_plan.Plan([], {}, {}, {}, {}, {}, removals=[_import_plan.Item(0, "gone@acme.com", "delete", user_id="u2")])
    _import_apply.apply_removals(client, plan, _import_plan.Options())
    removal, = plan.removals
    assert removal.outcome == "failed" and removal.message.startswith("still in the tenant (")
    assert "The list contains the calling user." in removal.message and fake.find("gone@acme.com") is not None


def test_a_row_that_raises_something_unexpected_fails_alone():
    item = _import_plan.Item(2, "jane@acme.com", "update")

    def surprise():
        raise KeyError("Uuid")
    _import_apply.guard(item, surprise)()
    assert (item.outcome, item.message) == ("failed", "unexpected error while applying this row: KeyError")
