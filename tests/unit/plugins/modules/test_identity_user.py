# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user: input checks, comparison and payload logic, with a spec'd module and client; and through main() over a
fake tenant."""

from __future__ import annotations

from unittest import mock

import pytest
from identity_fakes import CONNECTION, FakeResponse, Tenant, refused, run_module, serve, success, table, writes  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _compare, _plans, _users, _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.modules import identity_user

DEFAULTS = {
    "state": "present", "update_password": "on_create", "send_email_invite": False, "send_sms_invite": False, "purge_roles": False,
    "roles": None,
}


def params(**given):
    values = dict.fromkeys(("email", "display_name", "description", "office_number", "mobile_number", "home_number", "password",
                            "force_password_change", "password_never_expires", "account_expiry", "reports_to", "service_user",
                            "oauth_client", "in_everybody_role"))
    values.update(DEFAULTS, name="jane.doe@acme.com")
    values.update(given)
    return values


def fake_module(check_mode=False, **given):
    module = mock.Mock(spec_set=["params", "check_mode", "warn", "_diff", "checked"])
    module.params = params(**given)
    module.check_mode = check_mode
    return module


CURRENT = {
    "id": "u1", "name": "jane.doe@acme.com", "email": "jane.doe@acme.com", "display_name": "Jane", "description": None,
    "office_number": None, "mobile_number": None, "home_number": None, "reports_to": None, "in_everybody_role": True,
    "oauth_client": False, "account_state": "enabled", "roles": ["Help Desk"],
}


class TestInputErrors:
    def test_all_problems_at_once_each_naming_its_option(self):
        errors = identity_user.input_errors(params(
            name="bad name@acme.com", email="N/A", description="d" * 129, mobile_number="12", password="short",
            account_expiry="next year", send_sms_invite=True,
        ))
        joined = " | ".join(errors)
        for option in ("name:", "email:", "description is 129", "mobile_number:", "password does not meet", "account_expiry:"):
            assert option in joined
        assert len(errors) == 6
        assert "short" not in joined  # the password itself is never repeated

    def test_sms_invite_needs_a_mobile_number(self):
        assert identity_user.input_errors(params(send_sms_invite=True)) == ["send_sms_invite needs mobile_number"]

    def test_good_input_passes(self):
        assert identity_user.input_errors(params(email="jane@acme.com", mobile_number="123-456-7890", password="Good-Passw0rd",
                                                 account_expiry="2027-01-31", name="jané+ops_1.x@acme.com")) == []


class TestValidate:
    @pytest.mark.parametrize("value", ["1234567890", "123-456-7890", "+442071838750"])
    def test_phone_forms(self, value):
        assert _validate.phone_error(value) is None

    @pytest.mark.parametrize("value", ["12345", "(123) 456-7890", "+0123", "123.456.7890"])
    def test_bad_phones(self, value):
        assert _validate.phone_error(value)

    @pytest.mark.parametrize("value", ["N/A", "unavailable", "a@b", "a@b.com,c@d.com", "two words@acme.com", ""])
    def test_bad_emails(self, value):
        assert _validate.email_error(value)

    def test_description_punctuation_rule_for_imports(self):
        assert _validate.description_error("Team lead", allow_punctuation=False) is None
        assert "punctuation" in _validate.description_error("Team lead, EMEA", allow_punctuation=False)

    def test_dates(self):
        # the API reference's form: a UTC date and time with Z
        assert _validate.parse_date("2027-01-31") == "2027-01-31T00:00:00Z"
        assert _validate.parse_date("2027-01-31T10:00:00Z") == "2027-01-31T10:00:00Z"
        assert _validate.parse_date("2027-01-31T10:00:00+02:00") == "2027-01-31T08:00:00Z"
        # out of range or before the service existed: refused, never a traceback or a malformed date
        for bad in ("9999-12-31T23:00:00-02:00", "0001-01-01T00:00:00+01:00", "0999-01-01"):
            assert _validate.parse_date(bad) is None
        assert _validate.parse_date("31/01/2027") is None


class TestPayload:
    def test_invitations_are_always_explicitly_off_by_default(self):
        given = params(email="jane@acme.com", password="Good-Passw0rd")
        plan, _after = identity_user.plan_create(given, None, {})
        payload = _users.create_payload(plan.name, dict(plan.values, password=given["password"]), plan.send_email_invite, plan.send_sms_invite)
        assert payload["SendEmailInvite"] is False and payload["SendSmsInvite"] is False
        assert payload == {"Name": "jane.doe@acme.com", "Mail": "jane@acme.com", "Password": "Good-Passw0rd",
                           "SendEmailInvite": False, "SendSmsInvite": False}

    def test_manager_is_sent_by_id(self):
        plan, _after = identity_user.plan_create(params(reports_to="boss@acme.com"), "boss-id", {})
        assert _users.create_payload(plan.name, plan.values)["ReportsTo"] == "boss-id"

    def test_prediction_for_a_service_user(self):
        user = identity_user.predicted_new_user(params(oauth_client=True, state="locked", roles=["B", "A"]), None)
        assert user["in_everybody_role"] is False and user["oauth_client"] is True
        assert user["account_state"] == "locked" and user["roles"] == ["A", "B"] and user["id"] is None


def sent(apply):
    """The fields the patched ``UserPlan.apply`` would have sent with ChangeUser."""
    plan = apply.call_args.args[0]
    return dict(plan.fields, **plan.write_only)


class TestUpdate:
    def run_update(self, check_mode=False, **given):
        module = fake_module(check_mode=check_mode, **given)
        client = mock.Mock(spec=IdentityClient)
        current = dict(CURRENT)
        with mock.patch.object(identity_user._users, "find_user", return_value=current), \
             mock.patch.object(identity_user._users, "role_names", return_value=CURRENT["roles"]), \
             mock.patch.object(identity_user, "suffix_error", return_value=None), \
             mock.patch.object(identity_user, "resolve", return_value=(None, {}, [])), \
             mock.patch.object(_plans.UserPlan, "apply", autospec=True) as apply:
            assert identity_user.tenant_checks(module, client, []) == []  # as execute() calls it before run()
            result = identity_user.run(module, client)
        return result, apply, module

    def test_nothing_to_do_sends_nothing(self):
        result, apply, _module = self.run_update(email="jane.doe@acme.com", display_name="Jane", roles=["Help Desk"], password="Good-Passw0rd")
        assert result["changed"] is False and result["actions"] == []
        apply.assert_not_called()

    def test_only_changed_fields_are_sent(self):
        result, apply, _module = self.run_update(display_name="Jane Doe", email="jane.doe@acme.com")
        assert result["changed"] and result["actions"] == ["update display_name"]
        assert sent(apply) == {"DisplayName": "Jane Doe"}
        assert result["diff"]["before"]["display_name"] == "Jane" and result["diff"]["after"]["display_name"] == "Jane Doe"

    def test_check_mode_predicts_without_writing(self):
        result, apply, _module = self.run_update(check_mode=True, state="disabled")
        assert result["changed"] and result["user"]["account_state"] == "disabled"
        apply.assert_not_called()

    def test_password_always_is_a_change_every_time_with_the_reason(self):
        result, apply, _module = self.run_update(password="Good-Passw0rd", update_password="always", password_never_expires=True)
        assert result["changed"]
        assert any("cannot be read back" in a for a in result["actions"])
        assert sent(apply) == {"PasswordNeverExpire": True}
        assert "Good-Passw0rd" not in str(result)

    def test_everybody_role_cannot_change_after_creation(self):
        result, _apply, module = self.run_update(in_everybody_role=False)
        assert result["changed"] is False
        module.warn.assert_called_once()

    def test_clearing_a_field_with_an_empty_string_is_idempotent(self):
        result, _apply, _module = self.run_update(description="")
        assert result["changed"] is False


@pytest.mark.parametrize("current, wanted, purge, expected", [
    (["A"], None, True, ([], [])),
    (["A"], ["B"], False, (["B"], [])),
    (["A"], ["B"], True, (["B"], ["A"])),
    (["A", "B"], ["A", "B"], True, ([], [])),
    (["a"], ["A"], False, (["A"], [])),  # role names are case-sensitive
])
def test_role_changes(current, wanted, purge, expected):
    assert _compare.list_changes(current, wanted, "exact" if purge else "append") == expected


@pytest.mark.parametrize("current, wanted, purge, expected", [
    (["jane@acme.com"], ["JANE@acme.com"], True, ([], [])),  # login names are not
    (["jane@acme.com"], ["john@acme.com"], False, (["john@acme.com"], [])),
    (["jane@acme.com"], ["john@acme.com"], True, (["john@acme.com"], ["jane@acme.com"])),
])
def test_member_changes(current, wanted, purge, expected):
    assert _compare.list_changes(current, wanted, "exact" if purge else "append", key=str.lower) == expected


class TestThroughMain:
    """identity_user run whole over a fake tenant the writes change (identity_fakes.Tenant): the writes sent, check
    mode, no write on a second run, every problem the tenant shows at once, and a new user the tenant refuses an
    account expiry for."""

    @staticmethod
    def tenant():
        return Tenant(users=[{"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com", "DisplayName": "Jane"},
                             {"ID": "u2", "Name": "boss@acme.com", "Mail": "boss@acme.com"}],
                      roles=[{"ID": "r1", "Name": "Help Desk", "members": ["u1"]}, {"ID": "r2", "Name": "Auditors", "members": []}])

    @staticmethod
    def run(monkeypatch, capsys, tenant, answers=None, **args):
        session = serve(monkeypatch, dict(tenant.answers(), **(answers or {})))
        return run_module(identity_user.main, dict(CONNECTION, **args), capsys), session

    NEW = {"name": "new@acme.com", "email": "new@acme.com", "password": "Good-Passw0rd-1", "reports_to": "boss@acme.com",
           "roles": ["Auditors"], "account_expiry": "2027-12-31", "state": "disabled"}

    def test_create_then_no_write_on_a_second_run(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = self.run(monkeypatch, capsys, tenant, **self.NEW)
        assert result["changed"] is True and result["actions"] == [
            "create user", "set account expiry", "set account state disabled", "add to roles: Auditors"]
        uid = tenant.user("new@acme.com")["ID"]
        sent = writes(session)
        assert [p for p, _b in sent] == ["/CDirectoryService/CreateUser", "/CDirectoryService/ChangeUser", "/CDirectoryService/SetUserState",
                                         "/SaasManage/AddUsersAndGroupsToRole"]
        assert sent[0][1]["ReportsTo"] == "u2" and sent[0][1]["SendEmailInvite"] is False and sent[0][1]["SendSmsInvite"] is False
        assert sent[1][1] == {"ID": uid, "AccountExp": "2027-12-31T00:00:00Z"} and sent[2][1] == {"ID": uid, "state": "Disabled"}
        assert result["user"]["id"] == uid and result["user"]["account_state"] == "disabled" and "Good-Passw0rd-1" not in str(result)
        again, session = self.run(monkeypatch, capsys, tenant, **self.NEW)
        assert again["changed"] is False and again["actions"] == [] and writes(session) == []

    def test_check_mode_predicts_an_update_and_sends_nothing(self, monkeypatch, capsys):
        tenant = self.tenant()
        tenant.user("jane@acme.com")["InEverybodyRole"] = True
        result, session = self.run(monkeypatch, capsys, tenant, name="JANE@acme.com", display_name="Jane Doe", roles=["Auditors"],
                                   purge_roles=True, state="locked", in_everybody_role=False, _ansible_check_mode=True,
                                   _ansible_diff=True)
        assert writes(session) == [] and result["changed"] is True
        assert result["actions"] == ["update display_name", "set account state locked", "add to roles: Auditors", "remove from roles: Help Desk"]
        assert result["diff"]["before"]["roles"] == ["Help Desk"] and result["diff"]["after"]["roles"] == ["Auditors"]
        assert "in_everybody_role can only be set when a user is created" in str(result["warnings"])

    def test_an_update_sends_the_changed_fields_and_role_changes(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = self.run(monkeypatch, capsys, tenant, name="jane@acme.com", display_name="Jane Doe", roles=["Auditors"],
                                   purge_roles=True, update_password="always", password="Good-Passw0rd-2")
        assert result["changed"] is True and writes(session) == [
            ("/CDirectoryService/ChangeUser", {"ID": "u1", "DisplayName": "Jane Doe"}),
            ("/UserMgmt/ResetUserPassword", {"ID": "u1", "newPassword": "Good-Passw0rd-2"}),
            ("/SaasManage/AddUsersAndGroupsToRole", {"Name": "r2", "Users": ["jane@acme.com"]}),
            ("/SaasManage/RemoveUsersAndGroupsFromRole", {"Name": "r1", "Users": ["jane@acme.com"]})]
        assert tenant.role_names("jane@acme.com") == ["Auditors"]

    def test_every_problem_the_tenant_shows_at_once_before_any_write(self, monkeypatch, capsys):
        result, session = self.run(monkeypatch, capsys, self.tenant(), name="new@nowhere.com", reports_to="nobody@acme.com",
                                   roles=["Auditors", "Ghosts"], mobile_number="12")
        assert result["failed"] is True and writes(session) == []
        msg = result["msg"]
        assert msg.startswith("name: the login suffix 'nowhere.com' does not exist on the tenant; its suffixes are acme.com")
        assert "mobile_number:" in msg and "reports_to: no user named nobody@acme.com exists" in msg
        assert "roles: no role named Ghosts exists (role names are case-sensitive)" in msg

    def test_a_suffix_of_another_directory_is_warned_about(self, monkeypatch, capsys):
        tenant = self.tenant()
        tenant.suffixes = ["corp.example"]
        aliases = {"/Core/GetAliasesForTenant": success(table([{"ID": "corp.example", "CdsAlias": False, "ReplaceDomain": None}],
                                                              entity_type="Alias"))}
        result, session = self.run(monkeypatch, capsys, tenant, aliases, name="ad@corp.example", email="ad@corp.example")
        assert result["changed"] is True and [p for p, _b in writes(session)] == ["/CDirectoryService/CreateUser"]
        assert "corp.example belongs to an Active Directory or LDAP domain" in str(result["warnings"])

    def test_absent_deletes_once(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = self.run(monkeypatch, capsys, tenant, name="jane@acme.com", state="absent")
        assert result["changed"] is True and result["actions"] == ["delete user"]
        assert writes(session) == [("/CDirectoryService/DeleteUser", {"ID": "u1"})] and tenant.find("jane@acme.com") is None
        again, session = self.run(monkeypatch, capsys, tenant, name="jane@acme.com", state="absent")
        assert again["changed"] is False and again["user"] == {} and writes(session) == []

    def test_absent_with_a_bad_option_fails_before_any_request(self, monkeypatch, capsys):
        result, session = self.run(monkeypatch, capsys, self.tenant(), name="jane@acme.com", state="absent", email="N/A")
        assert result["failed"] is True and "email:" in result["msg"] and session.calls == []

    EXPIRY_REFUSED = refused("AccountExp '2027-12-31' is not a date and time (for example 2019-08-24T14:15:22Z).")

    def refuse_expiry(self, tenant, answer=None):
        def change(method, url, kwargs):
            if "AccountExp" in kwargs["json"]:
                return answer or self.EXPIRY_REFUSED
            return tenant.change_user(method, url, kwargs)
        return {"/CDirectoryService/ChangeUser": change}

    def test_a_new_user_whose_account_expiry_is_refused_is_deleted_again(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = self.run(monkeypatch, capsys, tenant, self.refuse_expiry(tenant), **self.NEW)
        assert result["failed"] is True and tenant.find("new@acme.com") is None
        assert "new@acme.com was deleted again so that the next run creates it whole" in result["msg"]
        assert [p for p, _b in writes(session)] == ["/CDirectoryService/CreateUser", "/CDirectoryService/ChangeUser",
                                                    "/CDirectoryService/DeleteUser"]

    def test_an_invited_user_is_kept_without_its_account_expiry(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = self.run(monkeypatch, capsys, tenant, self.refuse_expiry(tenant), send_email_invite=True, **self.NEW)
        assert result["failed"] is True and tenant.find("new@acme.com") is not None
        assert "which is kept since an invitation was sent to it" in result["msg"]
        assert "/CDirectoryService/DeleteUser" not in [p for p, _b in writes(session)]

    def test_a_lost_answer_for_the_account_expiry_says_it_is_not_known(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, _session = self.run(monkeypatch, capsys, tenant, self.refuse_expiry(tenant, FakeResponse(502, None, text="")), **self.NEW)
        assert result["failed"] is True and tenant.find("new@acme.com") is not None
        assert "whether the tenant took AccountExp is not known" in result["msg"]

    def test_a_failed_undo_says_the_user_exists_without_it(self, monkeypatch, capsys):
        tenant = self.tenant()
        answers = dict(self.refuse_expiry(tenant), **{"/CDirectoryService/DeleteUser": refused("Not now.")})
        result, _session = self.run(monkeypatch, capsys, tenant, answers, **self.NEW)
        assert result["failed"] is True and "deleting it again failed (" in result["msg"]
        assert "new@acme.com exists without AccountExp" in result["msg"]


class TestAttributes:
    """Additional attributes on one user: compared by the column type, the whole set sent once, nothing on a second
    run, check mode and diff, and names or values the tenant's schema refuses named before any write."""

    @staticmethod
    def tenant():
        tenant = Tenant(users=[{"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com",
                                "ExtData": {"CostCenter": "4711", "Contractor": True, "Badge": "B-1"}}],
                        attributes={"CostCenter": "Text", "Contractor": "Boolean", "Badge": "Text", "Started": "Date"})
        return tenant

    def test_changed_values_go_with_the_held_ones_once_then_no_write(self, monkeypatch, capsys):
        tenant = self.tenant()
        wanted = {"CostCenter": 4711, "Contractor": "false", "Started": "2027-01-31", "Badge": None}
        args = {"name": "jane@acme.com", "attributes": wanted}
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, _ansible_diff=True, **args)
        assert result["changed"] is True and result["actions"] == ["set additional attributes: Badge, Contractor, Started"]
        assert writes(session) == [("/ExtData/SetColumns", {"Table": "users", "ID": "u1", "Columns": {
            "CostCenter": "4711", "Contractor": False, "Badge": None, "Started": "2027-01-31"}})]
        assert result["diff"]["before"]["attributes"] == {"CostCenter": "4711", "Contractor": True, "Badge": "B-1"}
        assert result["user"]["attributes"]["Contractor"] is False and result["user"]["attributes"]["Badge"] is None
        again, session = TestThroughMain.run(monkeypatch, capsys, tenant, **args)
        assert again["changed"] is False and again["actions"] == [] and writes(session) == []

    def test_check_mode_predicts_and_sends_nothing(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", attributes={"CostCenter": "99"},
                                              _ansible_check_mode=True)
        assert result["changed"] is True and result["user"]["attributes"]["CostCenter"] == "99" and writes(session) == []
        assert tenant.user("jane@acme.com")["ExtData"]["CostCenter"] == "4711"

    def test_a_new_user_gets_its_attributes_after_the_create(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="new@acme.com", email="new@acme.com",
                                              attributes={"Contractor": True})
        assert result["actions"] == ["create user", "set additional attributes: Contractor"]
        assert [p for p, _b in writes(session)] == ["/CDirectoryService/CreateUser", "/ExtData/SetColumns"]
        assert tenant.user("new@acme.com")["ExtData"] == {"Contractor": True}

    def test_an_undefined_name_and_a_value_its_column_refuses_fail_before_any_write(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", display_name="X",
                                              attributes={"Costcenter": "1", "Contractor": "maybe"})
        assert result["failed"] is True and writes(session) == []
        assert "the tenant defines no additional attribute named Costcenter" in result["msg"]
        assert "attributes.Contractor: is not a boolean" in result["msg"]


class TestCloudLock:
    """The cloud lock applied and cleared through SetCloudLock's query string, read back with IsUserCloudLocked; a
    lockout by policy reported, never claimed cleared."""

    @staticmethod
    def tenant(**jane):
        return Tenant(users=[dict({"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com"}, **jane)])

    def test_clearing_a_cloud_lock_then_no_write(self, monkeypatch, capsys):
        tenant = self.tenant(CloudLocked=True, LockedOutByPolicy=True)
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", cloud_lock=False)
        assert result["changed"] is True and result["actions"] == ["clear cloud lock"]
        assert [c["params"] for c in session.calls if c["path"] == "/UserMgmt/SetCloudLock"] == [{"user": "u1", "lockUser": "false"}]
        assert result["user"]["cloud_locked"] is False and result["user"]["locked_out_by_policy"] is True
        assert tenant.user("jane@acme.com")["CloudLocked"] is False
        again, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", cloud_lock=False)
        assert again["changed"] is False and writes(session) == []

    def test_check_mode_predicts_a_lock_and_sends_nothing(self, monkeypatch, capsys):
        tenant = self.tenant()
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", cloud_lock=True, _ansible_check_mode=True)
        assert result["changed"] is True and result["actions"] == ["apply cloud lock"] and result["user"]["cloud_locked"] is True
        assert "/UserMgmt/SetCloudLock" not in session.paths() and not tenant.user("jane@acme.com").get("CloudLocked")

    def test_not_given_the_lock_is_read_and_left_alone(self, monkeypatch, capsys):
        tenant = self.tenant(CloudLocked=True)
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com")
        assert result["changed"] is False and result["user"]["cloud_locked"] is True and writes(session) == []


class TestInviteAgain:
    """An invitation is an action: sent on each run that asks, reported as a change, never in check mode, never twice
    for a user the task creates."""

    def test_each_run_that_asks_sends_one_and_says_so(self, monkeypatch, capsys):
        tenant = TestCloudLock.tenant()
        for _run in range(2):
            result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", invite_again=True,
                                                  send_email_invite=True)
            assert result["changed"] is True and result["actions"] == [
                "send the invitation again by email (an action: sent on every run that asks)"]
        assert tenant.invited == [("u1", True, False), ("u1", True, False)]
        assert [b for p, b in writes(session) if p == "/UserMgmt/InviteUsers"] == [
            {"Entities": [{"Type": "User", "Guid": "u1", "Name": "jane@acme.com"}], "EmailInvite": True, "SmsInvite": False}]

    def test_check_mode_sends_none(self, monkeypatch, capsys):
        tenant = TestCloudLock.tenant(MobileNumber="+14155550101")
        result, _session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", invite_again=True,
                                               send_sms_invite=True, _ansible_check_mode=True)
        assert result["changed"] is True and tenant.invited == []

    def test_a_channel_the_user_has_no_address_for_is_refused_before_any_write(self, monkeypatch, capsys):
        tenant = TestCloudLock.tenant()  # no mobile number
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", invite_again=True, send_sms_invite=True)
        assert result["failed"] is True and result["msg"].startswith("send_sms_invite needs mobile_number")
        assert writes(session) == [] and tenant.invited == []
        created, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="new@acme.com", invite_again=True, send_sms_invite=True)
        assert created["failed"] is True and "send_sms_invite needs mobile_number" in created["msg"] and writes(session) == []

    def test_a_new_user_is_invited_by_the_create_only(self, monkeypatch, capsys):
        tenant = TestCloudLock.tenant()
        result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="new@acme.com", email="new@acme.com",
                                              invite_again=True, send_email_invite=True)
        assert result["actions"] == ["create user"] and tenant.invited == []
        assert writes(session)[0][1]["SendEmailInvite"] is True

    def test_without_a_channel_it_is_refused_before_any_write(self, monkeypatch, capsys):
        result, session = TestThroughMain.run(monkeypatch, capsys, TestCloudLock.tenant(), name="jane@acme.com", invite_again=True)
        assert result["failed"] is True and "invite_again needs send_email_invite or send_sms_invite" in result["msg"]
        assert writes(session) == []


class TestLockReads:
    def test_a_lock_the_tenant_does_not_take_fails_naming_cloud_lock(self, monkeypatch, capsys):
        tenant = TestCloudLock.tenant(CloudLocked=True)
        ignored = {"/UserMgmt/SetCloudLock": success(None)}  # answers, changes nothing
        result, _session = TestThroughMain.run(monkeypatch, capsys, tenant, answers=ignored, name="jane@acme.com", cloud_lock=False)
        assert result["failed"] is True and "cloud_lock: SetCloudLock answered, but the tenant still shows jane@acme.com cloud-locked" in result["msg"]

    def test_a_refused_lock_read_is_null_with_a_warning_when_the_task_does_not_manage_the_lock(self, monkeypatch, capsys):
        tenant = TestCloudLock.tenant()
        refusing = {"/UserMgmt/IsUserCloudLocked": refused("Unknown method.")}
        result, _session = TestThroughMain.run(monkeypatch, capsys, tenant, answers=refusing, name="jane@acme.com", display_name="J")
        assert result["changed"] is True and result["user"]["cloud_locked"] is None
        assert "cloud_locked is unknown: the tenant refused the read" in str(result["warnings"])
        managed, _session = TestThroughMain.run(monkeypatch, capsys, tenant, answers=refusing, name="jane@acme.com", cloud_lock=False)
        assert managed["failed"] is True

    def test_options_that_need_the_user_are_refused_with_state_absent(self, monkeypatch, capsys):
        result, session = TestThroughMain.run(monkeypatch, capsys, TestCloudLock.tenant(), name="jane@acme.com", state="absent",
                                              cloud_lock=False, attributes={"A": "1"})
        assert result["failed"] is True and session.calls == []
        assert "cloud_lock cannot go with state=absent" in result["msg"] and "attributes cannot go with state=absent" in result["msg"]


def test_a_decimal_attribute_is_compared_as_a_number(monkeypatch, capsys):
    tenant = Tenant(users=[{"ID": "u1", "Name": "jane@acme.com", "Mail": "jane@acme.com", "ExtData": {"Rate": 3.5}}],
                    attributes={"Rate": "Double"})
    result, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", attributes={"Rate": "3.50"})
    assert result["changed"] is False and writes(session) == []
    changed, session = TestThroughMain.run(monkeypatch, capsys, tenant, name="jane@acme.com", attributes={"Rate": "4"})
    assert changed["changed"] is True and writes(session)[0][1]["Columns"] == {"Rate": 4.0}
