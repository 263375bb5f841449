# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_api: a path that could leave the tenant is refused before anything is sent; through main() over a fake
tenant, what is sent (or not, in check mode) and returned."""

from __future__ import annotations

import pytest
from identity_fakes import CONNECTION, FakeResponse, refused, run_module, serve, success  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_api
from ansible_collections.cyberark_community.identity.plugins.modules.identity_api import path_error


@pytest.mark.parametrize("path", ["/CDirectoryService/GetUser", "/Redrock/query", "/OAuth2/Token/app_1", "/api/v1/x-y_z.json"])
def test_paths_on_the_tenant_pass(path):
    assert path_error(path) is None


@pytest.mark.parametrize("path, words", [
    ("https://elsewhere.example/steal", "must be a path"),
    ("//elsewhere.example/steal", "must be a path"),
    ("CDirectoryService/GetUser", "must be a path"),
    ("/Redrock/query?Script=x", "query string"),
    ("/a#frag", "query string"),
    ("/../../etc", ".. segment"),
    ("/a/../b", ".. segment"),
    ("/a\\b", "backslash"),
    ("/a\r\nHost: evil", "control character"),
])
def test_paths_that_could_leave_the_tenant_are_refused(path, words):
    problem = path_error(path)
    assert problem is not None and words in problem


def run(monkeypatch, capsys, answers, **args):
    session = serve(monkeypatch, answers)
    return run_module(identity_api.main, dict(CONNECTION, **args), capsys), session


class TestRun:
    def test_a_read_returns_the_result_and_reports_no_change(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, {"/CDirectoryService/GetUser": success({"Name": "jane@acme.com"})},
                              path="/CDirectoryService/GetUser", body={"ID": "u1"}, read_only=True)
        assert result["changed"] is False and result["sent"] is True and result["status"] == 200
        assert result["result"] == {"Name": "jane@acme.com"}
        assert [(c["method"], c["path"], c["json"]) for c in session.calls] == [("POST", "/CDirectoryService/GetUser", {"ID": "u1"})]

    def test_a_read_is_sent_in_check_mode(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, {"/SysInfo/About": success({"Version": "1"})}, path="/SysInfo/About", read_only=True,
                              _ansible_check_mode=True)
        assert result["sent"] is True and result["result"] == {"Version": "1"} and session.paths() == ["/SysInfo/About"]

    def test_a_write_is_a_change_and_is_not_sent_in_check_mode(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, {}, path="/CDirectoryService/ChangeUser", body={"ID": "u1"}, _ansible_check_mode=True)
        assert result == dict(result, changed=True, sent=False, status=None, result=None) and session.calls == []

    def test_a_write_is_sent_with_its_method_and_query_parameters(self, monkeypatch, capsys):
        result, session = run(monkeypatch, capsys, {"/UserMgmt/SetCloudLock": success(True)}, path="/UserMgmt/SetCloudLock",
                              method="PUT", params={"user": "u1", "lockUser": "true"})
        assert result["changed"] is True and result["sent"] is True and result["result"] is True
        call = session.calls[0]
        assert (call["method"], call["params"], "json" in call) == ("PUT", {"user": "u1", "lockUser": "true"}, False)

    def test_an_answer_without_an_envelope_is_returned_whole(self, monkeypatch, capsys):
        body = {"access_token": "x" * 20, "token_type": "Bearer"}
        result, _session = run(monkeypatch, capsys, {"/api/v1/info": FakeResponse(200, body)}, path="/api/v1/info", method="GET",
                               read_only=True)
        assert result["result"] == body

    def test_a_refusal_fails_with_the_tenants_message(self, monkeypatch, capsys):
        result, _session = run(monkeypatch, capsys, {"/CDirectoryService/GetUser": refused("User not found.", "_I18N_UserNotFound")},
                               path="/CDirectoryService/GetUser", body={"ID": "u9"}, read_only=True)
        assert result["failed"] is True and "User not found." in result["msg"]

    @pytest.mark.parametrize("args, words", [
        ({"path": "https://elsewhere.example/x"}, "path: 'https://elsewhere.example/x' must be a path"),
        ({"path": "/x", "body": "text"}, "body must be a mapping or a list (got str)"),
    ])
    def test_bad_options_fail_before_any_request(self, monkeypatch, capsys, args, words):
        result, session = run(monkeypatch, capsys, {}, **args)
        assert result["failed"] is True and result["msg"].startswith(words) and session.calls == []

    def test_a_list_body_is_sent_as_is(self, monkeypatch, capsys):
        _result, session = run(monkeypatch, capsys, {"/Core/DeleteAliases": success({"State": 1})}, path="/Core/DeleteAliases",
                               body=["old.acme.com"])
        assert session.calls[0]["json"] == ["old.acme.com"]
