# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_bulk_import through main(), over a fake tenant the writes change: creates and updates, no write on a second
identical run, check mode, invalid rows, syncs (roles_mode, absent_users, max_removals), settling lost and refused
writes, the service's import job and the report files."""

from __future__ import annotations

import json

import pytest
from identity_fakes import CONNECTION, FakeResponse, Tenant, refused, run_module, serve, writes  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_bulk_import

PASSWORD = "Good-Passw0rd-1"
SYNC = {"client_id": "svc@acme.com"}  # names the connecting user (the access token still logs in)


def staff(**extra):
    return Tenant(
        users=[{"ID": "u1", "Name": "same@acme.com", "Mail": "same@acme.com", "DisplayName": "Same"},
               {"ID": "u2", "Name": "moved@acme.com", "Mail": "moved@acme.com", "DisplayName": "Old"}],
        roles=[{"ID": "r1", "Name": "Help Desk", "members": ["u1"]}, {"ID": "r2", "Name": "Auditors", "members": ["u2"]}], **extra)


def run(monkeypatch, capsys, tenant, answers=None, **args):
    session = serve(monkeypatch, dict(tenant.answers(), **(answers or {})))
    result = run_module(identity_bulk_import.main, dict(CONNECTION, **args), capsys)
    return result, session


ROWS = [{"login_name": "same@acme.com", "email_address": "same@acme.com", "display_name": "Same", "roles": ["Help Desk"]},
        {"login_name": "moved@acme.com", "email_address": "moved@acme.com", "display_name": "Moved"},
        {"login_name": "new@acme.com", "email_address": "new@acme.com", "display_name": "New", "roles": ["Help Desk"],
         "password": PASSWORD}]


def outcomes(result):
    return {r["login_name"]: (r["action"], r["outcome"]) for r in result["import"]["rows"]}


def messages(result):
    return {r["login_name"]: r["message"] for r in result["import"]["rows"]}


def warnings(result):
    """The warnings' texts (ansible-core 2.19 returns each as a summary holding its event)."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings") or []]


def paths(session):
    return sorted(p for p, _b in writes(session))


def bodies(session, path):
    return [b for p, b in writes(session) if p == path]


def lost_after(answer):
    """The write is applied, then its answer is lost (HTTP 502; no retry with the tests' connection)."""
    def lose(method, url, kwargs):
        answer(method, url, kwargs)
        return FakeResponse(502, None, text="")
    return lose


class TestImport:
    def test_creates_updates_and_a_second_run_sends_no_write(self, monkeypatch, capsys):
        tenant = staff()
        result, session = run(monkeypatch, capsys, tenant, users=ROWS, _ansible_diff=True)
        assert result["changed"] is True, result
        assert outcomes(result) == {"same@acme.com": ("unchanged", "ok"), "moved@acme.com": ("update", "ok"), "new@acme.com": ("create", "ok")}
        assert result["import"]["summary"] == {"rows": 3, "create": 1, "update": 1, "unchanged": 1, "invalid": 0, "failed": 0}
        assert paths(session) == ["/CDirectoryService/ChangeUser", "/CDirectoryService/CreateUser", "/SaasManage/AddUsersAndGroupsToRole"]
        create, = bodies(session, "/CDirectoryService/CreateUser")
        assert create["Name"] == "new@acme.com" and create["SendEmailInvite"] is False and create["Password"] == PASSWORD
        assert bodies(session, "/CDirectoryService/ChangeUser") == [{"ID": "u2", "DisplayName": "Moved"}]
        assert bodies(session, "/SaasManage/AddUsersAndGroupsToRole") == [{"Name": "r1", "Users": ["new@acme.com"]}]
        assert tenant.user("moved@acme.com")["DisplayName"] == "Moved" and tenant.role_names("new@acme.com") == ["Help Desk"]
        assert messages(result)["moved@acme.com"] == "updated: DisplayName" and messages(result)["new@acme.com"] == "created"
        assert set(result["import"]["phases"]) == {"read", "plan", "apply", "settle"}
        assert result["diff"]["after"]["moved@acme.com"] == {"DisplayName": "Moved"}
        assert result["diff"]["before"]["moved@acme.com"] == {"DisplayName": "Old"}
        assert result["diff"]["after"]["new@acme.com"]["roles (added)"] == ["Help Desk"]
        assert PASSWORD not in json.dumps(result)

        again, session = run(monkeypatch, capsys, tenant, users=ROWS)
        assert again["changed"] is False and writes(session) == []
        assert set(outcomes(again).values()) == {("unchanged", "ok")}

    def test_check_mode_predicts_and_sends_no_write(self, monkeypatch, capsys, tmp_path):
        tenant = staff()
        report = tmp_path / "import.csv"
        result, session = run(monkeypatch, capsys, tenant, users=ROWS, _ansible_check_mode=True, report_path=str(report))
        assert writes(session) == [] and result["changed"] is True
        assert outcomes(result) == {"same@acme.com": ("unchanged", "planned"), "moved@acme.com": ("update", "planned"),
                                    "new@acme.com": ("create", "planned")}
        assert messages(result)["moved@acme.com"] == "to update: DisplayName"
        assert [p["Login Name"] for p in result["import"]["preview"]] == ["same@acme.com", "moved@acme.com", "new@acme.com"]
        assert result["import"]["preview"][2]["Password"] == "********"
        # the plan goes beside the report, never over it
        assert result["import"]["report_files"] == [str(tmp_path / "import.plan.csv"), str(tmp_path / "import.plan.md")]
        assert not report.exists() and "new@acme.com" in (tmp_path / "import.plan.csv").read_text(encoding="utf-8")
        assert tenant.user("moved@acme.com")["DisplayName"] == "Old" and tenant.find("new@acme.com") is None

    def test_a_file_and_its_report(self, monkeypatch, capsys, tmp_path):
        source = tmp_path / "hires.csv"
        source.write_text("Login Name,Email Address,Display Name\nnew@acme.com,new@acme.com,New\n", encoding="utf-8")
        result, session = run(monkeypatch, capsys, staff(), path=str(source), report_path=str(tmp_path / "r.csv"), report_format="html")
        assert result["import"]["source"] == "hires.csv" and paths(session) == ["/CDirectoryService/CreateUser"]
        assert result["import"]["report_files"] == [str(tmp_path / "r.csv"), str(tmp_path / "r.html")]
        lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0] == "row,login_name,action,outcome,message" and lines[1] == "2,new@acme.com,create,ok,created"

    def test_an_empty_feed_imports_nobody_and_removes_no_one(self, monkeypatch, capsys):
        tenant = staff()
        result, session = run(monkeypatch, capsys, tenant, users=[], absent_users="delete", scope={"suffixes": ["acme.com"]}, **SYNC)
        assert result["changed"] is False and writes(session) == [] and len(tenant.users) == 2
        assert any("holds no records: nothing to import" in w for w in warnings(result))

    def test_update_existing_false_leaves_fields_but_grants_roles(self, monkeypatch, capsys):
        tenant = staff()
        rows = [{"login_name": "moved@acme.com", "email_address": "moved@acme.com", "display_name": "Moved", "roles": ["Help Desk"]}]
        result, session = run(monkeypatch, capsys, tenant, users=rows, update_existing=False)
        assert outcomes(result) == {"moved@acme.com": ("update", "ok")}
        assert writes(session) == [("/SaasManage/AddUsersAndGroupsToRole", {"Name": "r1", "Users": ["moved@acme.com"]})]
        assert tenant.user("moved@acme.com")["DisplayName"] == "Old"

    def test_a_manager_created_in_the_same_run_is_set_after_both_exist(self, monkeypatch, capsys):
        tenant = staff()
        rows = [{"login_name": "report@acme.com", "email_address": "report@acme.com", "reports_to": "boss@acme.com"},
                {"login_name": "boss@acme.com", "email_address": "boss@acme.com"}]
        result, session = run(monkeypatch, capsys, tenant, users=rows)
        assert set(outcomes(result).values()) == {("create", "ok")}
        boss = tenant.user("boss@acme.com")["ID"]
        assert bodies(session, "/CDirectoryService/ChangeUser") == [{"ID": tenant.user("report@acme.com")["ID"], "ReportsTo": boss}]

    def test_previous_login_name_renames_instead_of_creating(self, monkeypatch, capsys):
        tenant = staff()
        rows = [{"login_name": "renamed@acme.com", "email_address": "moved@acme.com", "display_name": "Old",
                 "Previous Login Name": "moved@acme.com"}]
        result, session = run(monkeypatch, capsys, tenant, users=rows)
        assert outcomes(result) == {"renamed@acme.com": ("update", "ok")}
        assert bodies(session, "/CDirectoryService/ChangeUser") == [{"ID": "u2", "Name": "renamed@acme.com"}]
        assert tenant.find("moved@acme.com") is None and tenant.user("renamed@acme.com")["ID"] == "u2"

    def test_a_user_created_meanwhile_by_another_run_is_brought_to_the_row(self, monkeypatch, capsys):
        tenant = staff()

        def created_meanwhile(_method, _url, kwargs):
            tenant.add_user({"Name": kwargs["json"]["Name"], "Mail": "other@acme.com"})
            return refused("A user named new@acme.com already exists.", "_I18N_DuplicateUserName")
        rows = [{"login_name": "new@acme.com", "email_address": "new@acme.com"}]
        result, session = run(monkeypatch, capsys, tenant, {"/CDirectoryService/CreateUser": created_meanwhile}, users=rows)
        assert outcomes(result) == {"new@acme.com": ("create", "ok")}
        assert messages(result)["new@acme.com"] == "existed already (created by another run); brought to the file's values"
        assert bodies(session, "/CDirectoryService/ChangeUser") == [{"ID": "new-1", "Mail": "new@acme.com"}]

    def test_additional_attributes_are_written_and_compared(self, monkeypatch, capsys):
        tenant = staff(attributes={"CostCenter": "Text"})
        rows = [{"login_name": "same@acme.com", "email_address": "same@acme.com", "CostCenter": "42", "Shoe Size": "9"},
                {"login_name": "new@acme.com", "email_address": "new@acme.com", "attributes": {"CostCenter": "7"}}]
        result, session = run(monkeypatch, capsys, tenant, users=rows)
        assert result["import"]["ignored_headers"] == ["Shoe Size"]
        assert any("Shoe Size" in w for w in warnings(result))
        assert tenant.user("same@acme.com")["ExtData"] == {"CostCenter": "42"} and tenant.user("new@acme.com")["ExtData"] == {"CostCenter": "7"}
        assert outcomes(result) == {"same@acme.com": ("update", "ok"), "new@acme.com": ("create", "ok")}
        again, session = run(monkeypatch, capsys, tenant, users=rows)
        assert again["changed"] is False and writes(session) == []


class TestInvalidRows:
    BAD = ROWS + [{"login_name": "bad name@acme.com", "email_address": "bad@acme.com"},
                  {"login_name": "x@acme.com", "email_address": "x@acme.com", "roles": ["No Such Role"]}]

    def test_one_invalid_row_fails_the_task_before_any_write(self, monkeypatch, capsys):
        tenant = staff()
        result, session = run(monkeypatch, capsys, tenant, users=self.BAD)
        assert result["failed"] is True and writes(session) == [] and result["changed"] is False
        assert result["msg"].startswith("2 of 5 rows are invalid, nothing was imported: row 4 Login Name: ")
        assert "row 5 Roles: no role named No Such Role exists" in result["msg"]
        assert {(p["row"], p["column"]) for p in result["import"]["problems"]} == {(4, "Login Name"), (5, "Roles")}

    def test_skip_imports_the_valid_rows_and_reports_the_others(self, monkeypatch, capsys):
        tenant = staff()
        result, session = run(monkeypatch, capsys, tenant, users=self.BAD, on_invalid="skip")
        assert result.get("failed") is not True and result["import"]["summary"]["invalid"] == 2
        assert outcomes(result)["x@acme.com"] == ("invalid", "skipped") and "Roles: no role named" in messages(result)["x@acme.com"]
        assert any("2 of 5 rows are invalid and skipped (rows 4, 5)" in w for w in warnings(result))
        assert [b["Name"] for b in bodies(session, "/CDirectoryService/CreateUser")] == ["new@acme.com"]

    def test_a_manager_that_does_not_exist_is_a_problem_of_its_row(self, monkeypatch, capsys):
        rows = [{"login_name": "new@acme.com", "email_address": "new@acme.com", "reports_to": "nobody@acme.com"}]
        result, session = run(monkeypatch, capsys, staff(), users=rows)
        assert result["failed"] is True and writes(session) == []
        assert "row 1 Reports to: no user named nobody@acme.com exists" in result["msg"]

    def test_a_manager_whose_own_rows_are_invalid_is_named_so(self, monkeypatch, capsys):
        """A manager listed twice (both rows invalid) is in the file: saying no such user exists hid the cause."""
        boss = {"login_name": "boss@acme.com", "email_address": "boss@acme.com"}
        rows = [boss, dict(boss), {"login_name": "new@acme.com", "email_address": "new@acme.com", "reports_to": "Boss@acme.com"}]
        result, session = run(monkeypatch, capsys, staff(), users=rows, on_invalid="skip")
        assert writes(session) == []
        assert messages(result)["new@acme.com"] == "Reports to: Boss@acme.com is in the file, but its rows are invalid (rows 1, 2)"

    def test_a_row_whose_manager_is_refused_while_planning_is_refused_too_down_the_chain(self, monkeypatch, capsys):
        """boss is listed twice, new reports to boss, sub to new: no user is created without the manager it names."""
        boss = {"login_name": "boss@acme.com", "email_address": "boss@acme.com"}
        rows = [boss, dict(boss), {"login_name": "new@acme.com", "email_address": "new@acme.com", "reports_to": "boss@acme.com"},
                {"login_name": "sub@acme.com", "email_address": "sub@acme.com", "reports_to": "new@acme.com"},
                {"login_name": "far@acme.com", "email_address": "far@acme.com", "reports_to": "ghost@acme.com"},
                {"login_name": "under@acme.com", "email_address": "under@acme.com", "reports_to": "far@acme.com"}]
        result, session = run(monkeypatch, capsys, staff(), users=rows, on_invalid="skip")
        assert writes(session) == [] and result["changed"] is False
        shown = messages(result)
        assert shown["sub@acme.com"] == "Reports to: new@acme.com is in the file, but its row is invalid (row 3)"
        assert shown["far@acme.com"] == "Reports to: no user named ghost@acme.com exists"
        assert shown["under@acme.com"] == "Reports to: far@acme.com is in the file, but its row is invalid (row 5)"

    def test_a_malformed_file_imports_nothing_even_with_skip(self, monkeypatch, capsys, tmp_path):
        source = tmp_path / "broken.csv"
        source.write_text('Login Name,Email Address,Display Name\na@acme.com,a@acme.com,"Stone, Bob\nb@acme.com,b@acme.com,B\n',
                          encoding="utf-8")
        result, session = run(monkeypatch, capsys, staff(), path=str(source), on_invalid="skip")
        assert result["failed"] is True and writes(session) == []
        assert result["msg"].startswith("broken.csv is not a well-formed import file, nothing was imported: ")

    def test_a_file_that_cannot_be_read_names_its_problem(self, monkeypatch, capsys, tmp_path):
        source = tmp_path / "bad.csv"
        source.write_text("Login name,Email Address\na@acme.com,a@acme.com\n", encoding="utf-8")
        result, session = run(monkeypatch, capsys, staff(), path=str(source))
        assert result["failed"] is True and session.calls == []
        assert result["import"]["problems"][0]["column"] == "Login name"

    def test_a_long_failure_keeps_the_first_hundred_entries_and_counts_the_rest(self, monkeypatch, capsys):
        rows = [{"login_name": f"bad name{i}@acme.com", "email_address": f"b{i}@acme.com"} for i in range(130)]
        result, _session = run(monkeypatch, capsys, staff(), users=rows)
        assert result["failed"] is True and len(result["import"]["problems"]) == 100
        assert result["import"]["omitted"] == {"problems": 30, "rows": 30, "removals": 0}
        assert "(and 120 more: import.problems holds the first 100" in result["msg"]

    @pytest.mark.parametrize("args, words", [
        ({"concurrency": 0}, "concurrency must be between 1 and 64 (got 0)"),
        ({"method": "service"}, "admin_email is required with method=service"),
        ({"method": "service", "admin_email": "not-an-address"}, "admin_email: "),
        ({"method": "service", "admin_email": "a@acme.com", "wait_timeout": 0}, "wait_timeout must be at least 1 second"),
        ({"absent_users": "disable"}, "absent_users=disable needs scope with suffixes, roles or attribute"),
        ({"max_removals": "ten"}, "max_removals: 'ten' is neither a number"),
        ({"max_removals": "101%"}, "max_removals: '101%' must be between 0 and 100%"),
    ])
    def test_bad_options_fail_before_any_request(self, monkeypatch, capsys, args, words):
        result, session = run(monkeypatch, capsys, staff(), users=ROWS, **args)
        assert result["failed"] is True and words in result["msg"] and session.calls == []

    def test_a_sync_needs_to_know_the_connecting_user(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, staff(), users=ROWS, roles_mode="exact")
        assert result["failed"] is True and "roles_mode=exact needs to know the connecting user" in result["msg"]
        assert writes(session) == []


def leavers():
    return Tenant(
        users=[{"ID": "u1", "Name": "stay@acme.com", "Mail": "stay@acme.com"},
               {"ID": "u2", "Name": "gone@acme.com", "Mail": "gone@acme.com"},
               {"ID": "u3", "Name": "admin@acme.com", "Mail": "admin@acme.com"},
               {"ID": "u4", "Name": "svc@acme.com", "Mail": "svc@acme.com"},
               {"ID": "u5", "Name": "other@elsewhere.com", "Mail": "other@elsewhere.com"},
               {"ID": "u6", "Name": "alero-integration-user$@acme.com", "Mail": "ra@acme.com"},
               {"ID": "u7", "Name": "off@acme.com", "Mail": "off@acme.com", "State": "Disabled"}],
        roles=[{"ID": "sa", "Name": "System Administrator", "members": ["u3"]},
               {"ID": "r1", "Name": "Help Desk", "members": ["u1", "u2"]}, {"ID": "r2", "Name": "Auditors", "members": ["u1"]}],
        suffixes=("acme.com", "elsewhere.com"))


STAY = [{"login_name": "stay@acme.com", "email_address": "stay@acme.com", "roles": ["Help Desk"]}]


class TestSync:
    def test_disable_leavers_in_the_scope_only(self, monkeypatch, capsys):
        tenant = leavers()
        result, session = run(monkeypatch, capsys, tenant, users=STAY, absent_users="disable", scope={"suffixes": ["ACME.com"]},
                              max_removals="5", _ansible_diff=True, **SYNC)
        # the admin, the connecting user, a user outside the scope, one no file can name and one already disabled are spared
        assert writes(session) == [("/CDirectoryService/SetUserState", {"ID": "u2", "state": "Disabled"})]
        assert result["changed"] is True
        assert result["import"]["removals"] == [{"login_name": "gone@acme.com", "action": "disable", "outcome": "ok", "message": "disabled"}]
        assert result["import"]["scope"] == {"users": 3, "max_removals": 5, "out_of_reach": ["alero-integration-user$@acme.com"]}
        assert any("1 user in the scope is out of the sync's reach" in w for w in warnings(result))
        assert result["diff"]["after"]["gone@acme.com"] == {"account_state": "disabled"}
        again, session = run(monkeypatch, capsys, tenant, users=STAY, absent_users="disable", scope={"suffixes": ["acme.com"]},
                             max_removals="5", **SYNC)
        assert again["changed"] is False and writes(session) == []

    def test_delete_leavers_of_a_role_admins_included_when_asked(self, monkeypatch, capsys):
        tenant = leavers()
        result, session = run(monkeypatch, capsys, tenant, users=STAY, absent_users="delete", max_removals="100%",
                              scope={"roles": ["Help Desk", "System Administrator"], "include_admins": True}, **SYNC)
        assert writes(session) == [("/UserMgmt/RemoveUsers", {"Users": ["u3", "u2"]})]
        assert {r["login_name"]: r["outcome"] for r in result["import"]["removals"]} == {"admin@acme.com": "ok", "gone@acme.com": "ok"}
        assert tenant.find("gone@acme.com") is None and tenant.find("admin@acme.com") is None

    def test_more_removals_than_the_cap_fail_before_any_write(self, monkeypatch, capsys):
        tenant = leavers()
        result, session = run(monkeypatch, capsys, tenant, users=[{"login_name": "new@acme.com", "email_address": "new@acme.com"}],
                              absent_users="delete", scope={"suffixes": ["acme.com"]}, max_removals="10%", **SYNC)
        assert result["failed"] is True and writes(session) == []
        assert result["msg"].startswith("3 users would be deleted, more than max_removals=10% allows (1 of the 3 users in the scope)")
        # a disabled user is deleted too (it is only spared from being disabled again)
        assert [r["login_name"] for r in result["import"]["removals"]] == ["gone@acme.com", "off@acme.com", "stay@acme.com"]

    def test_an_unknown_scope_role_fails_before_any_write(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, leavers(), users=STAY, absent_users="delete", scope={"roles": ["help desk"]}, **SYNC)
        assert result["failed"] is True and writes(session) == []
        assert "scope.roles: no role named help desk exists (role names are case-sensitive)" in result["msg"]

    def test_a_scope_by_attribute_reads_each_candidate(self, monkeypatch, capsys):
        tenant = leavers()
        tenant.attributes = {"Dept": "Text"}
        tenant.user("gone@acme.com")["ExtData"] = {"Dept": "HR"}
        tenant.user("stay@acme.com")["ExtData"] = {"Dept": "HR"}
        result, session = run(monkeypatch, capsys, tenant, users=STAY, absent_users="disable", max_removals="5",
                              scope={"attribute": {"name": "Dept", "value": "HR"}}, **SYNC)
        assert writes(session) == [("/CDirectoryService/SetUserState", {"ID": "u2", "state": "Disabled"})], result

    def test_an_undefined_scope_attribute_is_refused(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, leavers(), users=STAY, absent_users="disable",
                              scope={"attribute": {"name": "Dept", "value": "HR"}}, **SYNC)
        assert result["failed"] is True and writes(session) == []
        assert "scope.attribute.name: the tenant defines no additional attribute named Dept" in result["msg"]

    def test_roles_mode_exact_takes_the_roles_the_file_does_not_list(self, monkeypatch, capsys):
        tenant = leavers()
        result, session = run(monkeypatch, capsys, tenant, users=STAY, roles_mode="exact", **SYNC)
        assert writes(session) == [("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "r2", "Users": ["stay@acme.com"]})]
        assert outcomes(result) == {"stay@acme.com": ("update", "ok")} and tenant.role_names("stay@acme.com") == ["Help Desk"]
        again, session = run(monkeypatch, capsys, tenant, users=STAY, roles_mode="exact", **SYNC)
        assert again["changed"] is False and writes(session) == []

    def test_a_removal_the_tenant_refuses_fails_the_task(self, monkeypatch, capsys):
        tenant = leavers()
        result, _session = run(monkeypatch, capsys, tenant, {"/CDirectoryService/SetUserState": refused("Not allowed.")}, users=STAY,
                               absent_users="disable", scope={"suffixes": ["acme.com"]}, max_removals="5", **SYNC)
        assert result["failed"] is True and result["msg"] == "1 of 1 removals failed; see import.removals"
        assert result["import"]["removals"][0]["message"] == ("still enabled (POST /CDirectoryService/SetUserState failed: "
                                                              "HTTP 200: Not allowed.)")


class TestSettle:
    def test_a_lost_answer_is_confirmed_by_reading_the_tenant(self, monkeypatch, capsys):
        tenant = staff()
        result, session = run(monkeypatch, capsys, tenant, {"/CDirectoryService/ChangeUser": lost_after(tenant.change_user)}, users=ROWS)
        assert result.get("failed") is not True, result
        assert outcomes(result)["moved@acme.com"] == ("update", "ok")
        assert messages(result)["moved@acme.com"] == "updated (an answer was lost or refused, but reading the tenant back shows the row in place)"
        assert len(bodies(session, "/CDirectoryService/ChangeUser")) == 1  # confirmed, not sent again

    def test_a_refused_write_is_tried_again_then_fails_with_what_is_missing(self, monkeypatch, capsys):
        tenant = staff()
        result, session = run(monkeypatch, capsys, tenant, {"/CDirectoryService/ChangeUser": refused("Field locked.")}, users=ROWS)
        assert result["failed"] is True and result["msg"] == "1 of 3 rows failed; see import.rows"
        assert outcomes(result)["moved@acme.com"] == ("update", "failed")
        assert messages(result)["moved@acme.com"].startswith("fields differ from the file: DisplayName (")
        assert "Field locked." in messages(result)["moved@acme.com"]
        assert len(bodies(session, "/CDirectoryService/ChangeUser")) == 4  # the first round and three more
        assert outcomes(result)["new@acme.com"] == ("create", "ok")

    def test_a_refused_grant_fails_its_rows_naming_the_role(self, monkeypatch, capsys):
        tenant = staff()
        result, _session = run(monkeypatch, capsys, tenant, {"/SaasManage/AddUsersAndGroupsToRole": refused("Role is locked.")}, users=ROWS)
        assert result["failed"] is True and outcomes(result)["new@acme.com"] == ("create", "failed")
        assert messages(result)["new@acme.com"] == ("missing role: Help Desk (role Help Desk: POST "
                                                    "/SaasManage/AddUsersAndGroupsToRole failed: HTTP 200: Role is locked.)")

    def test_a_new_user_without_its_account_expiry_is_removed_again(self, monkeypatch, capsys):
        tenant = staff()

        def no_expiry(method, url, kwargs):
            if "AccountExp" in kwargs["json"]:
                return refused("AccountExp '2027-12-31' is not a date and time (for example 2019-08-24T14:15:22Z).")
            return tenant.change_user(method, url, kwargs)
        rows = [{"login_name": "new@acme.com", "email_address": "new@acme.com", "expiration_date": "2027-12-31"}]
        result, session = run(monkeypatch, capsys, tenant, {"/CDirectoryService/ChangeUser": no_expiry}, users=rows)
        assert result["failed"] is True and outcomes(result) == {"new@acme.com": ("create", "failed")}
        message = messages(result)["new@acme.com"]
        assert message.startswith("AccountExp not set: ") and "the new user was removed again so that a re-run creates it" in message
        assert bodies(session, "/CDirectoryService/DeleteUser") == [{"ID": "new-1"}] and tenant.find("new@acme.com") is None
        assert bodies(session, "/CDirectoryService/ChangeUser") == [{"ID": "new-1", "AccountExp": "2027-12-31T00:00:00Z"}] * 4

    def test_update_password_always_resets_and_is_a_change_every_run(self, monkeypatch, capsys):
        tenant = staff()
        rows = [{"login_name": "same@acme.com", "email_address": "same@acme.com", "display_name": "Same", "password": PASSWORD,
                 "require_password_change": "yes"}]
        for _run in range(2):
            result, session = run(monkeypatch, capsys, tenant, users=rows, update_password="always")
            assert result["changed"] is True and outcomes(result) == {"same@acme.com": ("update", "ok")}
            assert writes(session) == [("/CDirectoryService/ChangeUser", {"ID": "u1", "ForcePasswordChangeNext": True}),
                                       ("/UserMgmt/ResetUserPassword", {"ID": "u1", "newPassword": PASSWORD})]
        assert result["import"]["rows"][0]["changes"] == ["ForcePasswordChangeNext", "password"]
        assert PASSWORD not in json.dumps(result)


class TestServiceMethod:
    def test_new_users_go_through_the_import_job_updates_through_the_api(self, monkeypatch, capsys):
        tenant = staff()
        result, session = run(monkeypatch, capsys, tenant, users=ROWS, method="service", admin_email="admin@acme.com")
        assert result.get("failed") is not True, result
        assert result["import"]["job_id"] == "upload-1" and tenant.jobs[0]["admin_email"] == "admin@acme.com"
        assert [r["Login Name"] for r in tenant.jobs[0]["rows"]] == ["new@acme.com"]
        upload = next(c for c in session.calls if c["path"] == "/CDirectoryService/GetUsersFromCsvFile")
        assert upload["params"] == {"importType": "ImportBulkUser"} and upload["files"]["Icon"][0] == "ansible_import.csv"
        assert "/CDirectoryService/CreateUser" not in paths(session)
        assert bodies(session, "/CDirectoryService/ChangeUser") == [{"ID": "u2", "DisplayName": "Moved"}]
        assert messages(result)["new@acme.com"] == "created by the service's import"
        assert set(result["import"]["phases"]) == {"read", "plan", "apply", "settle"}  # settle too, as RETURN promises

    def test_a_csv_of_new_users_only_is_sent_as_it_is(self, monkeypatch, capsys, tmp_path):
        source = tmp_path / "hires.csv"
        source.write_bytes(b"Login Name,Email Address\r\nnew@acme.com,new@acme.com\r\n")
        result, session = run(monkeypatch, capsys, staff(), path=str(source), method="service", admin_email="admin@acme.com")
        upload = next(c for c in session.calls if c["path"] == "/CDirectoryService/GetUsersFromCsvFile")
        assert upload["files"]["Icon"][:2] == ("hires.csv", source.read_bytes()) and outcomes(result) == {"new@acme.com": ("create", "ok")}

    def test_users_the_job_never_shows_fail_naming_the_job(self, monkeypatch, capsys):
        tenant = staff()
        monkeypatch.setattr(tenant, "add_user", lambda body: None)  # the job creates nobody
        result, _session = run(monkeypatch, capsys, tenant, users=ROWS[2:], method="service", admin_email="admin@acme.com", wait_timeout=1)
        assert result["failed"] is True
        assert messages(result)["new@acme.com"] == ("not visible after 1 s (import job upload-1); see the Bulk Import Report sent to "
                                                    "admin@acme.com")


class TestResultRows:
    """What the result carries of the rows: all, or only the changes and the rows that need a look (the report keeps
    every row), and by default all up to AUTO_ALL_ROWS rows."""

    USERS = [ROWS[0], {"login_name": "new@acme.com", "email_address": "new@acme.com"}, {"login_name": "x@acme.com", "email_address": "bad"}]

    def rows_of(self, monkeypatch, capsys, **args):
        result, _session = run(monkeypatch, capsys, staff(), users=self.USERS, on_invalid="skip", **args)
        return sorted(r["login_name"] for r in result["import"]["rows"]), result["import"]["omitted"]["rows"]

    def test_changes_keeps_only_what_changed_or_needs_a_look(self, monkeypatch, capsys):
        assert self.rows_of(monkeypatch, capsys, result_rows="changes") == (["new@acme.com", "x@acme.com"], 1)

    def test_all_keeps_every_row(self, monkeypatch, capsys):
        assert self.rows_of(monkeypatch, capsys, result_rows="all") == (["new@acme.com", "same@acme.com", "x@acme.com"], 0)

    def test_auto_keeps_every_row_up_to_the_threshold_then_only_changes(self, monkeypatch, capsys):
        assert self.rows_of(monkeypatch, capsys) == (["new@acme.com", "same@acme.com", "x@acme.com"], 0)
        monkeypatch.setattr(identity_bulk_import, "AUTO_ALL_ROWS", 2)
        assert self.rows_of(monkeypatch, capsys) == (["new@acme.com", "x@acme.com"], 1)
