# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bulk import settling and removals (_import_settle, _import_apply) over a fake tenant: what the tenant shows decides
each row's outcome; reads that fail leave the outcome unconfirmed and say why; one row's surprise never ends the import."""

from __future__ import annotations

from identity_fakes import FakeSession, Tenant, refused  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import (
    _import_apply, _import_outcome, _import_plan, _import_settle, _importer,
)
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
    outcomes = _import_outcome.Outcomes(plan)
    outcomes.rows[2] = _import_outcome.Outcome("ok", "updated: DisplayName", user_id="u1")
    answers["/Redrock/query"] = refused("Query failed: busy")
    _import_settle.settle(client, plan, outcomes, _import_plan.Options(), rounds=1)
    assert outcomes.rows[2].outcome == "ok"  # the write's answer stands, not confirmed
    assert outcomes.rows[2].message == ("updated: DisplayName (not confirmed: reading the tenant back failed: "
                                        "POST /Redrock/query failed: HTTP 200: Query failed: busy)")


def test_a_row_the_tenant_does_not_show_is_applied_again_and_confirmed():
    fake = tenant()
    answers = fake.answers()
    client, session = client_for(answers)
    plan = plan_for(client, [JANE])
    outcomes = _import_outcome.Outcomes(plan)
    outcomes.rows[2].outcome = "failed"  # as if the first round's write had failed and sent nothing
    _import_settle.settle(client, plan, outcomes, _import_plan.Options())
    assert (outcomes.rows[2].outcome, fake.user("jane@acme.com")["DisplayName"]) == ("ok", "New")
    assert outcomes.rows[2].message.startswith("updated (an answer was lost or refused")
    assert plan.entries[0].action == "update" and dict(plan.entries[0].fields) == {"DisplayName": "New"}  # the plan is as planned
    assert [c["json"] for c in session.calls if c["path"] == "/CDirectoryService/ChangeUser"] == [{"ID": "u1", "DisplayName": "New"}]


def test_nothing_touched_reads_nothing():
    client, session = client_for(tenant().answers())
    plan = _import_plan.Plan([], {}, {}, {})
    _import_settle.settle(client, plan, _import_outcome.Outcomes(plan), _import_plan.Options())
    assert session.calls == []


def test_a_removal_read_back_that_fails_leaves_it_unconfirmed():
    fake = tenant()
    answers = fake.answers()
    client, _session = client_for(answers)
    plan = _import_plan.Plan([], {}, {}, {}, removals=[_import_plan.Entry(0, "gone@acme.com", "delete", user_id="u2")])
    outcomes = _import_outcome.Outcomes(plan)
    answers["/Redrock/query"] = refused("Query failed: busy")
    _import_apply.apply_removals(client, plan, outcomes, _import_plan.Options())
    assert fake.find("gone@acme.com") is None  # the delete was sent ...
    removal, = outcomes.removals  # ... but nothing read confirms it
    assert removal.outcome == "planned" and removal.message.startswith("not confirmed: reading the tenant back failed: ")


def test_a_refused_delete_fails_its_batch_with_the_reason():
    fake = tenant()
    client, _session = client_for(dict(fake.answers(), **{"/UserMgmt/RemoveUsers": refused("The list contains the calling user.")}))
    plan = _import_plan.Plan([], {}, {}, {}, removals=[_import_plan.Entry(0, "gone@acme.com", "delete", user_id="u2")])
    outcomes = _import_outcome.Outcomes(plan)
    _import_apply.apply_removals(client, plan, outcomes, _import_plan.Options())
    removal, = outcomes.removals
    assert removal.outcome == "failed" and removal.message.startswith("still in the tenant (")
    assert "The list contains the calling user." in removal.message and fake.find("gone@acme.com") is not None


def test_a_row_that_raises_something_unexpected_fails_alone():
    entry, before = _import_plan.Entry(2, "jane@acme.com", "update"), _import_outcome.Outcome()

    def surprise(entry, outcome):
        outcome.user_id = "u1"
        raise KeyError("Uuid")
    after = _import_apply.guarded(entry, before, surprise)
    assert (after.outcome, after.message, after.user_id) == ("failed", "unexpected error while applying this row: KeyError", "u1")
    assert before == _import_outcome.Outcome()  # the worker filled its own copy; the driving thread stores it


def test_settling_compares_what_the_tenant_shows_without_planning_again(monkeypatch):
    fake = tenant()
    client, _session = client_for(fake.answers())
    plan = plan_for(client, [JANE])
    outcomes = _import_outcome.Outcomes(plan)
    outcomes.rows[2].outcome = "failed"

    def no_plan(*args, **kwargs):
        raise AssertionError("settling planned again")
    monkeypatch.setattr(_import_plan, "make_plan", no_plan)
    _import_settle.settle(client, plan, outcomes, _import_plan.Options())
    assert outcomes.rows[2].outcome == "ok" and fake.user("jane@acme.com")["DisplayName"] == "New"


def test_the_contingent_delete_of_a_new_user_is_in_its_plan_entry_and_its_outcome():
    fake = tenant()
    client, session = client_for(fake.answers())
    row = UserRow(row=3, name="new@acme.com", email="new@acme.com", account_expiry="2027-01-31T00:00:00Z")
    plan = plan_for(client, [row])
    entry, = plan.entries
    assert entry.undo_create and "deleted again should the tenant not take its account expiry" in entry.message
    outcomes = _import_outcome.Outcomes(plan)
    fake_id = "u9"
    outcomes.rows[3] = _import_outcome.Outcome("ok", "created", user_id=fake_id)  # created, but the expiry call failed
    fake.users[fake_id] = {"ID": fake_id, "Name": "new@acme.com", "Mail": "new@acme.com"}
    fake._sync()  # pylint: disable=protected-access
    _import_settle.settle(client, plan, outcomes, _import_plan.Options(), rounds=0)
    done = outcomes.rows[3]
    assert done.outcome == "failed" and done.removed_again
    assert "the new user was removed again" in done.message and fake.find("new@acme.com") is None
    assert [c["json"] for c in session.calls if c["path"] == "/CDirectoryService/DeleteUser"] == [{"ID": fake_id}]


def test_a_rename_the_tenant_does_not_show_is_sent_again_even_when_fields_are_left_alone():
    """update_existing=false leaves fields alone but still renames (Previous Login Name): settling checks the rename
    landed, where it once counted only the roles."""
    fake = tenant()
    client, session = client_for(fake.answers())
    row = UserRow(row=2, name="jane.new@acme.com", email="jane@acme.com", previous_name="jane@acme.com")
    plan = plan_for(client, [row], update_existing=False)
    entry, = plan.entries
    assert (entry.action, dict(entry.fields)) == ("update", {"Name": "jane.new@acme.com"})
    outcomes = _import_outcome.Outcomes(plan)
    outcomes.rows[2].outcome = "ok"  # as if ChangeUser had answered but not renamed
    _import_settle.settle(client, plan, outcomes, _import_plan.Options(update_existing=False))
    assert fake.find("jane.new@acme.com") is not None and outcomes.rows[2].outcome == "ok"
    assert [c["json"] for c in session.calls if c["path"] == "/CDirectoryService/ChangeUser"] == [{"ID": "u1", "Name": "jane.new@acme.com"}]


def test_a_role_grant_refused_once_is_sent_again_by_settling_and_the_row_ends_ok():
    fake = Tenant(users=[{"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com"}], roles=[{"ID": "r1", "Name": "Ops"}])
    answers = fake.answers()
    answers["/SaasManage/AddUsersAndGroupsToRole"] = [refused("busy"), answers["/SaasManage/AddUsersAndGroupsToRole"]]
    client, session = client_for(answers)
    plan = plan_for(client, [UserRow(row=2, name="jane@acme.com", email="jane@acme.com", roles=["Ops"])])
    outcomes = _import_outcome.Outcomes(plan)
    _importer.apply_api(client, plan, outcomes, _import_plan.Options())
    assert fake.roles["r1"]["members"] == ["u1"] and outcomes.rows[2].outcome == "ok"
    assert len([c for c in session.calls if c["path"] == "/SaasManage/AddUsersAndGroupsToRole"]) == 2
