# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_user: input checks, comparison and payload logic, with a spec'd module and client."""

from __future__ import annotations

from unittest import mock

import pytest

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
    module = mock.Mock(spec_set=["params", "check_mode", "warn", "_diff"])
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
