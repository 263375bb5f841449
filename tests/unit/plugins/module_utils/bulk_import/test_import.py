# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Import files, row validation, planning and the adaptive limiter."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import (
    _import_apply, _import_file, _import_outcome, _import_plan, _import_rows,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Limiter

SUFFIXES = {"acme.com": True}


def read(text: str, bom: bool = False) -> _import_file.Records:
    return _import_file.read_csv((("\ufeff" if bom else "") + text).encode("utf-8"), "t.csv")


class TestReadCsv:
    def test_excel_quoting_bom_and_blank_rows(self):
        records = read('Login Name,Email Address,Display Name,Roles\r\njane@acme.com,jane@acme.com,"Doe, Jane","A, B"\r\n,,,\r\n\r\n', bom=True)
        assert records.rows == [(2, {"Login Name": "jane@acme.com", "Email Address": "jane@acme.com", "Display Name": "Doe, Jane", "Roles": "A, B"})]

    def test_row_numbers_skip_blank_rows_in_the_middle(self):
        records = read("Login Name,Email Address\na@acme.com,a@acme.com\n,\nb@acme.com,b@acme.com\n")
        assert [n for n, _v in records.rows] == [2, 4]

    @pytest.mark.parametrize("header, message", [
        ("Login name,Email Address", "write 'Login Name'"),
        ("Login Name,Login Name,Email Address", "header appears twice"),
        ("Login Name,,Email Address", "every field must have a header"),
        ("Login Name", "'Email Address' is missing"),
    ])
    def test_header_rules(self, header, message):
        with pytest.raises(_import_file.ImportFileError) as info:
            read(header + "\nx@acme.com,x@acme.com,x\n")
        assert any(message in p["message"] for p in info.value.problems)

    def test_other_headers_are_kept_for_the_attribute_check(self):
        records = read("Login Name,Email Address,Cost Center\na@acme.com,a@acme.com,42\n")
        assert records.other_headers == ["Cost Center"] and records.rows[0][1]["Cost Center"] == "42"

    def test_attributes_of_valid_rows(self):
        rows, problems = _import_rows.validate(read("Login Name,Email Address,CostCenter\na@acme.com,a@acme.com,42\n"), SUFFIXES, [], ["CostCenter"])
        assert problems == [] and rows[0].attributes == {"CostCenter": "42"}

    def test_values_without_a_header(self):
        records = read("Login Name,Email Address\na@acme.com,a@acme.com,stray\n")
        assert records.problems == [{"row": 2, "column": None, "value": None,
                                     "message": "row 2 has 3 values for 2 headers: quote values that contain commas"}]
        rows, problems = _import_rows.validate(records, SUFFIXES, [])
        assert rows == [] and problems == records.problems

    def test_a_password_pushed_past_the_last_header_is_never_echoed(self):
        records = read("Login Name,Email Address,Display Name,Password\nd@acme.com,d@acme.com,Doe, Jane,Canary-Passw0rd-1\n")
        _rows, problems = _import_rows.validate(records, SUFFIXES, [])
        assert problems and "Canary-Passw0rd-1" not in repr(problems)

    def test_an_unterminated_quote_never_merges_rows(self):
        text = ('Login Name,Email Address,Display Name\n'
                'a@acme.com,a@acme.com,"Stone, Bob\nb@acme.com,b@acme.com,Bee\nc@acme.com,c@acme.com,Sea\n')
        records = read(text)
        assert records.rows == [] and records.problems[0]["row"] == 2 and records.problems[0]["column"] == "Display Name"
        assert "never closed" in records.problems[0]["message"]

    @pytest.mark.parametrize("cell, words", [('Sto"ne', "does not start with one"), ('"Stone"x', "after its closing quote")])
    def test_stray_quotes_name_the_row_and_column(self, cell, words):
        records = read(f"Login Name,Email Address,Display Name\na@acme.com,a@acme.com,{cell}\nb@acme.com,b@acme.com,Bee\n")
        assert [(p["row"], p["column"]) for p in records.problems] == [(2, "Display Name")] and words in records.problems[0]["message"]
        rows, _problems = _import_rows.validate(records, SUFFIXES, [])
        assert [r.name for r in rows] == ["b@acme.com"]

    def test_a_line_break_inside_quotes_stays_in_its_row(self):
        records = read('Login Name,Email Address,Description\na@acme.com,a@acme.com,"two\nlines"\nb@acme.com,b@acme.com,x\n,\nc@acme.com,c@acme.com,y\n')
        assert [n for n, _v in records.rows] == [2, 3, 5] and records.rows[0][1]["Description"] == "two\nlines"

    def test_a_header_without_records_is_an_empty_import(self):
        records = read("Login Name,Email Address\r\n")
        assert records.rows == [] and records.problems == []

    def test_header_problems_name_the_header_as_spelled(self):
        with pytest.raises(_import_file.ImportFileError) as info:
            read("Login name,Email Address\nx@acme.com,x@acme.com\n")
        assert [(p["column"], p["row"]) for p in info.value.problems] == [("Login name", 1)]

    def test_undecodable_bytes_name_the_row(self):
        data = "Login Name,Email Address\na@acme.com,a@acme.com\nren\xe9e@acme.com,x@acme.com\n".encode("cp1252")
        with pytest.raises(_import_file.ImportFileError, match="byte 0xe9 at row 3"):
            _import_file.read_csv(data, "t.csv")

    def test_limit_of_ten_thousand(self):
        text = "Login Name,Email Address\n" + "".join(f"u{i}@acme.com,u{i}@acme.com\n" for i in range(10_001))
        with pytest.raises(_import_file.ImportFileError, match="more than 10,000"):
            read(text)

    def test_inline_records_take_snake_case_and_role_lists(self):
        records = _import_file.read_inline([{"login_name": "a@acme.com", "email_address": "a@acme.com", "roles": ["X", "Y"]}])
        assert records.rows == [(1, {"Login Name": "a@acme.com", "Email Address": "a@acme.com", "Roles": "X, Y"})]

    @pytest.mark.parametrize("value, text", [(4155550100.0, "4155550100"), (None, ""), (True, "True"), (" x ", "x")])
    def test_spreadsheet_cells(self, value, text):
        assert _import_file._cell(value) == text  # pylint: disable=protected-access


class TestValidate:
    def rows(self, text, roles=("A",)):
        return _import_rows.validate(read(text), SUFFIXES, roles)

    def test_booleans_accept_the_documented_words(self):
        text = "Login Name,Email Address,Require Password Change,Password Never Expires\na@acme.com,a@acme.com,Y,f\n"
        rows, problems = self.rows(text)
        assert problems == [] and rows[0].force_password_change is True and rows[0].password_never_expires is False

    def test_problems_carry_row_column_and_masked_secrets(self):
        text = "Login Name,Email Address,Password\na@acme.com,a@acme.com,weakpass\n"
        rows, problems = self.rows(text)
        assert rows == [] and problems[0]["row"] == 2 and problems[0]["column"] == "Password" and problems[0]["value"] is None
        assert "weakpass" not in repr(problems)

    def test_a_row_with_a_password_echoes_no_value_but_its_login_name(self):
        text = "Login Name,Email Address,Mobile number,Reports to,Password\na@acme.com,Canary-Mail-Value,Canary-Phone-Value,Canary Boss,Canary-Passw0rd-2\n"
        _rows, problems = self.rows(text)
        assert {p["column"] for p in problems} == {"Email Address", "Mobile number", "Reports to"}
        assert all(p["value"] is None for p in problems)
        assert "Canary" not in repr(problems), problems

    def test_a_misaligned_row_echoes_no_value_but_its_login_name(self):
        # 'Doe, Jane' unquoted: the row has fewer values than headers on this short file, so every value may have moved
        text = "Login Name,Email Address,Display Name,Mobile number,Password,Reports to\nb@acme.com,b@acme.com,Doe, Jane,Canary-Passw0rd-3\n"
        _rows, problems = self.rows(text)
        assert problems and all(p["value"] is None for p in problems if p["column"] != "Login Name")
        assert "Canary-Passw0rd-3" not in repr(problems)
        assert _import_rows.preview(read(text)) == [{"Login Name": "b@acme.com", "Email Address": "********", "Display Name": "********",
                                                     "Mobile number": "********", "Password": "********", "Reports to": ""}]

    def test_duplicates_name_every_row_of_the_group_and_none_is_valid(self):
        rows, problems = self.rows("Login Name,Email Address\na@acme.com,a@acme.com\nb@acme.com,b@acme.com\nA@ACME.com,x@acme.com\n")
        assert [(p["row"], p["message"]) for p in problems] == [
            (2, "the login name appears 2 times (compared case-insensitively), in rows 2 and 4"),
            (4, "the login name appears 2 times (compared case-insensitively), in rows 2 and 4")]
        assert [r.name for r in rows] == ["b@acme.com"]

    def test_roles_separated_by_semicolons_get_a_hint(self):
        _rows, problems = self.rows('Login Name,Email Address,Roles\na@acme.com,a@acme.com,Help Desk;Auditors\n')
        assert "separate roles with commas" in problems[0]["message"]

    def test_roles_are_case_sensitive_and_everybody_is_implicit(self):
        _rows, problems = self.rows('Login Name,Email Address,Roles\na@acme.com,a@acme.com,"a, Everybody"\n')
        assert [p["column"] for p in problems] == ["Roles"] and "no role named a exists" in problems[0]["message"]

    def test_preview_masks_passwords(self):
        records = read("Login Name,Email Address,Password\na@acme.com,a@acme.com,Secret-Passw0rd\n")
        assert _import_rows.preview(records) == [{"Login Name": "a@acme.com", "Email Address": "********", "Password": "********"}]
        records = read("Login Name,Email Address,Password\nb@acme.com,b@acme.com,\n")
        assert _import_rows.preview(records) == [{"Login Name": "b@acme.com", "Email Address": "b@acme.com", "Password": ""}]


class TestPlan:
    def test_actions_from_a_comparison_with_the_tenant(self):
        rows, _problems = _import_rows.validate(read(
            'Login Name,Email Address,Display Name,Roles\n'
            'new@acme.com,new@acme.com,New,A\n'
            'same@acme.com,same@acme.com,Same,A\n'
            'moved@acme.com,moved@acme.com,Moved,A\n'), SUFFIXES, ["A"])
        client = mock.Mock(spec=IdentityClient)
        existing = [{"ID": "1", "Name": "same@acme.com", "Mail": "same@acme.com", "DisplayName": "Same"},
                    {"ID": "2", "Name": "Moved@acme.com", "Mail": "moved@acme.com", "DisplayName": "Old"}]
        with mock.patch.object(_import_plan._users, "rows_by_name", return_value={r["Name"].lower(): r for r in existing}), \
             mock.patch.object(_import_plan._roles, "find_roles", return_value={"A": {"id": "r1", "name": "A"}}), \
             mock.patch.object(_import_plan._roles, "members", return_value=[{"name": "same@acme.com"}, {"name": "moved@acme.com"}]):
            plan = _import_plan.make_plan(client, rows, _import_plan.Options())
        actions = {e.login_name: (e.action, e.changes) for e in plan.entries}
        assert actions == {"new@acme.com": ("create", ("roles",)), "same@acme.com": ("unchanged", ()), "moved@acme.com": ("update", ("DisplayName",))}
        assert {e.login_name: e.grant for e in plan.entries if e.grant} == {"new@acme.com": ("A",)}
        assert dict(plan.entries[2].fields) == {"DisplayName": "Moved"}

    def test_a_missing_manager_is_a_problem_as_data_not_message_text(self):
        rows, _problems = _import_rows.validate(read("Login Name,Email Address,Reports to\na@acme.com,a@acme.com,boss@acme.com\n"), SUFFIXES, [])
        client = mock.Mock(spec=IdentityClient)
        with mock.patch.object(_import_plan._users, "rows_by_name", return_value={}), \
             mock.patch.object(_import_plan._roles, "find_roles", return_value={}):
            plan = _import_plan.make_plan(client, rows, _import_plan.Options())
        assert plan.problems == [{"row": 2, "column": "Reports to", "value": None, "message": "no user named boss@acme.com exists"}]
        assert [e.action for e in plan.entries] == ["invalid"]
        assert [o.outcome for o in _import_outcome.Outcomes(plan).rows.values()] == ["skipped"]

    def test_role_holders_are_read_at_once_and_a_failure_names_the_first_failing_role(self):
        together = threading.Barrier(3, timeout=2)  # passes only when three reads are in flight at once

        def members(_client, role_id):
            together.wait()
            if role_id == "r2":
                time.sleep(0.05)  # fails after r3 in time, but comes first in the roles' order
            if role_id in ("r2", "r3"):
                raise IdentityError(f"{role_id} could not be read")
            return [{"name": f"{role_id}@acme.com", "type": "User"}]

        client = mock.Mock(spec=IdentityClient)
        with mock.patch.object(_import_plan._roles, "members", side_effect=members):
            assert _import_plan.holders_by_role(client, {"A": "r1", "B": "r4", "C": "r5"}, 3) == {
                "A": {"r1@acme.com"}, "B": {"r4@acme.com"}, "C": {"r5@acme.com"}}
            together.reset()
            with pytest.raises(IdentityError, match="r2 could not be read"):
                _import_plan.holders_by_role(client, {"A": "r1", "B": "r2", "C": "r3"}, 3)

    def test_create_payload_never_invites_unless_asked(self):
        row = _import_rows.UserRow(row=2, name="a@acme.com", email="a@acme.com", password="Good-Passw0rd")
        payload = _import_apply.create_payload(row, {}, _import_plan.Options())
        assert payload["SendEmailInvite"] is False and payload["Password"] == "Good-Passw0rd"
        assert "Good-Passw0rd" not in repr(row)


class TestLimiter:
    def test_halves_on_429_and_grows_back(self):
        limiter = Limiter(8)
        limiter.acquire()
        limiter.release(throttled=True)
        assert limiter.limit == 4
        for _i in range(4 + 5 + 6 + 7):
            limiter.acquire()
            limiter.release(throttled=False)
        assert limiter.limit == 8

    def test_a_second_configure_keeps_what_answers_taught(self):
        # A settle round reads role holders with the same concurrency: it must not send a throttled task back to 4 in
        # flight, nor a task that grew to 8 back down to 4.
        limiter = Limiter()
        limiter.configure(8)
        assert limiter.limit == 4
        for _i in range(4 + 5 + 6 + 7):
            limiter.acquire()
            limiter.release(throttled=False)
        assert limiter.limit == 8
        limiter.configure(8)
        assert limiter.limit == 8
        for _i in range(3):
            limiter.acquire()
            limiter.release(throttled=True)
        assert limiter.limit == 1
        limiter.configure(8)
        assert limiter.limit == 1
        limiter.configure(16)
        assert (limiter.limit, limiter.maximum) == (1, 16)
        limiter.configure(2)
        assert (limiter.limit, limiter.maximum) == (1, 2)

    def test_a_new_phase_learns_again_what_a_fast_answer_is(self):
        # Reads of 50 ms then writes of 300 ms: held to the reads' pace, the writes could never raise the limit.
        limiter = Limiter()
        limiter.configure(8)
        for _i in range(4):
            limiter.acquire()
            limiter.release(throttled=False, latency=0.05)
        limiter.acquire()
        limiter.release(throttled=True)
        limiter.configure(8)
        for _i in range(200):
            limiter.acquire()
            limiter.release(throttled=False, latency=0.3)
        assert limiter.limit == 8

    def test_requests_waiting_for_a_place_are_counted(self):
        # The rate cap asks whether the task is busy: with the limit at 1 after 429s, none may be in flight between two
        # answers while the others wait here.
        limiter = Limiter(1)
        limiter.acquire()
        waiter = threading.Thread(target=limiter.acquire, daemon=True)
        waiter.start()
        deadline = time.monotonic() + 5
        while limiter.waiting != 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert (limiter.in_flight, limiter.waiting) == (1, 1)
        limiter.release(throttled=False)
        waiter.join(timeout=5)
        assert (limiter.in_flight, limiter.waiting) == (1, 0)

    def test_never_more_in_flight_than_the_limit(self):
        limiter = Limiter(3)
        peak, lock, inside = [0], threading.Lock(), [0]

        def work():
            limiter.acquire()
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            with lock:
                inside[0] -= 1
            limiter.release(throttled=False)
        threads = [threading.Thread(target=work) for _i in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert peak[0] <= 3 and limiter.in_flight == 0


def test_the_shipped_template_follows_every_rule():
    import os  # pylint: disable=import-outside-toplevel
    template = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "..", "docs", "templates", "user_import_template.csv")
    records = _import_file.read_path(os.path.normpath(template))
    rows, problems = _import_rows.validate(records, SUFFIXES, ["Help Desk", "Auditors"])
    assert problems == [] and len(rows) == 1 and records.other_headers == []


def test_reports_escape_and_hold_no_secret(tmp_path):
    from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_report  # pylint: disable=import-outside-toplevel
    items = [{"row": 2, "login_name": "<b>x</b>@acme.com", "action": "invalid", "outcome": "skipped", "message": "Password: ********"},
             {"row": 3, "login_name": "ok@acme.com", "action": "create", "outcome": "ok", "message": "created"}]
    summary = {"rows": 2, "create": 1, "update": 0, "unchanged": 0, "invalid": 1, "failed": 0}
    files = _import_report.write(str(tmp_path / "r.csv"), "html", summary, items, "users.csv", check_mode=False)
    assert files == [str(tmp_path / "r.csv"), str(tmp_path / "r.html")]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;x&lt;/b&gt;@acme.com" in page and "<b>x</b>" not in page and "ok@acme.com" not in page
    assert "created: 1" in page
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()[0] == "row,login_name,action,outcome,message"
