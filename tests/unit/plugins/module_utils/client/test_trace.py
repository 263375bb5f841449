# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shape trace (CYBERARK_IDENTITY_TRACE): shapes with no value in them, whatever the answer; one line per call, written
safely, and never a failed task when the file cannot be written."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest
from identity_fakes import FakeResponse, FakeSession, envelope  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _trace
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import ConnectionFailure
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._session import make_transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport

LOGIN = "jane.doe@acme.com"
USER_ID = "6f1a2b3c-0000-4000-8000-00000000abcd"
TENANT_ID = "ABC1234"
HOST = "abc1234.id.cyberark.cloud"
PASSWORD = "Canary-Passw0rd!"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl"
HEX_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
CANARIES = (LOGIN, "jane", "acme", USER_ID, TENANT_ID, HOST, PASSWORD, TOKEN, "eyJ", HEX_ID, "Hunter")


def leaked(value) -> list[str]:
    text = json.dumps(value)
    return [canary for canary in CANARIES if canary.lower() in text.lower()]


class TestShape:
    def test_keys_that_are_data_become_a_placeholder_and_values_only_types(self):
        answer = {
            "success": True,
            "Result": {
                LOGIN: {"Password": PASSWORD, "Token": TOKEN},
                USER_ID: [TENANT_ID, 1, 2.5, None, True],
                HOST: {"Hunter 2": HEX_ID},
                TENANT_ID: HEX_ID,
                HEX_ID: LOGIN,
                "Row": {"ID": USER_ID, "Name": LOGIN, "Count": 3},
            },
        }
        shaped = _trace.shape(answer)
        assert leaked(shaped) == []
        assert shaped["success"] == "bool"
        assert shaped["Result"]["Row"] == {"ID": "str", "Name": "str", "Count": "int"}
        placeholder = shaped["Result"]["<key>"]
        assert placeholder[0] == "one of" and ["list", 5, ["one of", "bool", "float", "int", "null", "str"]] in placeholder
        # the two dicts under data keys merge into one: their own data key and their field names, each maybe absent
        assert {"<key>": ["one of", "absent", "str"], "Password": ["one of", "absent", "str"], "Token": ["one of", "absent", "str"]} in placeholder

    def test_nested_lists_keep_their_lengths_and_merge_their_elements(self):
        shaped = _trace.shape({"Results": [{"Row": {"Roles": [1, 2]}}, {"Row": {"Roles": []}}, {"Row": {"Roles": [3], "X": None}}],
                               "Matrix": [[1, [2, 3]], [], ["a"]]})
        assert shaped["Results"] == ["list", 3, {"Row": {"Roles": ["list", "0..2", "int"], "X": ["one of", "absent", "null"]}}]
        assert shaped["Matrix"] == ["list", 3, ["list", "0..2", ["one of", "int", "str", ["list", 2, "int"]]]]
        assert _trace.shape([]) == ["list", 0]

    def test_a_deep_answer_stops_at_a_bound(self):
        deep: dict = {}
        inner = deep
        for _level in range(2000):
            inner["Next"] = {}
            inner = inner["Next"]
        text = json.dumps(_trace.shape(deep))
        assert "deeper" in text and text.count("Next") == _trace.MAX_DEPTH

    @pytest.mark.parametrize("key, kept", [
        ("SysInfo", True), ("access_token", True), ("v2-edge", True), ("OAuth2", True), ("Address1", True), ("_I18N_X", True),
        (LOGIN, False), (USER_ID, False), (TENANT_ID, False), (HOST, False), (HEX_ID, False), ("a1b2c3d4", False),
        ("System Administrator", False), ("", False), ("x" * 65, False), ("ünïcode", False), ("1abc", False),
    ])
    def test_which_keys_read_as_field_names(self, key, kept):
        assert _trace.is_word(key) is kept


class TestRequestAndAnswer:
    def test_paths_lose_identifiers_and_queries(self):
        assert _trace.path_shape("/CDirectoryService/GetUser") == "/CDirectoryService/GetUser"
        assert _trace.path_shape(f"/v2-edge/sites/{USER_ID}/applications", "remote_access") == "/v2-edge/sites/<id>/applications"
        assert _trace.path_shape("/Some/Call/jsmith") == "/Some/Call/<id>"  # identity_api takes any path: /Service/Method
        assert _trace.code("acme.my.idaptive.app") == "<str>" and _trace.code("Sales:Admins") == "<str>"
        assert _trace.code("_I18N_TenantCnames.TenantCnameNotOwned") == "_I18N_TenantCnames.TenantCnameNotOwned"
        assert _trace.script_form("Select ID from User WHERE Name = 'a' -- jsmith\n/* jdoe */") == "Select ID from User WHERE Name = ?"
        assert _trace.path_shape("/OAuth2/Token/ansible_app") == "/OAuth2/Token/<id>"
        assert _trace.path_shape(f"/x/{LOGIN}?user={LOGIN}#{TENANT_ID}") == "/x/<id>"

    def test_a_form_a_multipart_upload_and_a_query_show_names_and_sizes_only(self):
        form = _trace.request_fields({"data": {"client_id": LOGIN, "client_secret": PASSWORD}, "auth": (LOGIN, PASSWORD)})
        assert form == {"request": {"form": {"client_id": "str", "client_secret": "str"}}, "auth": "basic"}
        upload = _trace.request_fields({"data": {"FileName": "people.csv"}, "files": {"Icon": ("people.csv", b"a,b\n1,2\n", "text/csv")},
                                        "params": {"ReplaceExisting": "false", LOGIN: "x", "Skipped": None}})
        assert upload == {"query": ["<key>", "ReplaceExisting"],
                          "request": {"multipart": {"FileName": {"bytes": 10}, "Icon": {"bytes": 8}}}}

    def test_a_redrock_script_keeps_its_form_not_its_literals(self):
        script = f"SELECT ID, Username FROM CDUser WHERE (Username = '{LOGIN}' OR Username = 'o''{TENANT_ID}' OR Username = 'x') " \
                 f"AND ID = {USER_ID} ORDER BY Username COLLATE NOCASE"
        fields = _trace.request_fields({"json": {"Script": script, "args": {"PageNumber": 1}}})
        assert fields["script"] == "SELECT ID, Username FROM CDUser WHERE (Username = ? (OR x2)) AND ID = ? ORDER BY Username COLLATE NOCASE"
        assert leaked(fields) == []

    def test_the_envelope_codes_are_kept_when_they_read_as_codes(self):
        body = envelope(None, success=False, Message=f"{LOGIN} not found", MessageID="_I18N_UserNotFound", ErrorCode=LOGIN)
        fields = _trace.answer_fields(FakeResponse(200, body))
        assert fields["success"] is False and fields["MessageID"] == "_I18N_UserNotFound" and fields["ErrorCode"] == "<str>"
        assert leaked(fields) == []
        assert [_trace.code(value) for value in ("_I18N_System.Exception", HOST, HEX_ID, 42, None, ["x"])] == [
            "_I18N_System.Exception", "<str>", "<str>", 42, None, "<list>"]
        oauth = _trace.answer_fields(FakeResponse(400, {"error": "invalid_client", "error_description": f"bad {PASSWORD}"}))
        assert oauth == {"status": 400, "error": "invalid_client", "answer": {"error": "str", "error_description": "str"}}

    @pytest.mark.parametrize("text, content_type", [
        (f"<html>{TOKEN} {LOGIN}</html>", "text/html; charset=utf-8"),
        ("{\"truncated\": ", "application/json"),
        ("\udcff not utf-8", f"{HOST}/x"),
        ("x", f"text/{TENANT_ID}.{LOGIN}"),
    ])
    def test_an_answer_that_is_not_json_shows_its_size_and_media_type_only(self, text, content_type):
        response = FakeResponse(502, None, headers={"Content-Type": content_type}, text="")
        response.content = text.encode("utf-8", "surrogateescape")
        fields = _trace.answer_fields(response)
        assert fields["answer"]["not_json"]["bytes"] == len(response.content)
        assert fields["answer"]["not_json"]["content_type"] == ("text/html" if text.startswith("<html>") else
                                                                "application/json" if content_type == "application/json" else None)
        assert leaked(fields) == []

    def test_an_empty_answer(self):
        assert _trace.answer_fields(FakeResponse(204, None, text="")) == {"status": 204, "answer": "empty"}


def traced_transport(path, answers, warnings=None):
    trace = _trace.TraceFile(str(path), "identity", warnings.append if warnings is not None else None)
    return Transport(retries=2, session=FakeSession(answers), sleep=lambda _s: None, secrets=Secrets(), trace=trace)


def lines(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


class TestTraceFile:
    def test_one_line_per_call_retries_and_failures_included_in_a_0600_file(self, tmp_path):
        path = tmp_path / "trace.jsonl"
        answers = {"/X": [ConnectionFailure(f"no answer from {HOST}"), FakeResponse(503, None, text=""), FakeResponse(200, envelope({"ID": USER_ID}))]}
        transport = traced_transport(path, answers)
        transport.send("POST", f"https://{HOST}/X", path="/X", json={"User": LOGIN, "Password": PASSWORD})
        records = lines(path)
        assert [r["status"] for r in records] == [None, 503, 200]
        assert records[0]["failure"] == "no answer"
        assert records[2] == {"v": 1, "client": "identity", "method": "POST", "path": "/X", "request": {"User": "str", "Password": "str"},
                              "status": 200, "success": True, "answer": _trace.shape(envelope({"ID": USER_ID}))}
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert leaked(records) == []

    def test_threads_append_whole_lines(self, tmp_path):
        path = tmp_path / "trace.jsonl"
        transport = traced_transport(path, {"/X": FakeResponse(200, envelope({"Rows": list(range(500))}))})

        def work():
            for _i in range(20):
                transport.send("POST", "https://t.example/X", path="/X")
        threads = [threading.Thread(target=work) for _t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(lines(path)) == 160

    def test_an_existing_file_is_appended_to(self, tmp_path):
        path = tmp_path / "trace.jsonl"
        path.write_text('{"earlier": 1}\n', encoding="utf-8")
        traced_transport(path, {"/X": FakeResponse(200, envelope(None))}).send("GET", "https://t.example/X", path="/X")
        assert [sorted(r) for r in lines(path)][0] == ["earlier"] and len(lines(path)) == 2

    @pytest.mark.parametrize("where", ["missing folder", "symbolic link", "folder", "fifo"])
    def test_a_trace_that_cannot_be_written_warns_once_and_the_calls_go_on(self, tmp_path, where):
        target = tmp_path / "elsewhere.txt"
        target.write_text("untouched", encoding="utf-8")
        path = tmp_path / "trace.jsonl"
        if where == "missing folder":
            path = tmp_path / "no" / "such" / "trace.jsonl"
        elif where == "symbolic link":
            path.symlink_to(target)
        elif where == "folder":
            path.mkdir()
        else:
            os.mkfifo(path)
        warnings: list = []
        transport = traced_transport(path, {"/X": FakeResponse(200, envelope("done"))}, warnings)
        for _i in range(3):
            assert transport.unwrap(transport.send("POST", "https://t.example/X", path="/X"), "POST", "/X") == "done"
        assert len(warnings) == 1 and "CYBERARK_IDENTITY_TRACE" in warnings[0] and "the task goes on" in warnings[0]
        assert target.read_text(encoding="utf-8") == "untouched"

    def test_threads_that_cannot_write_warn_once_between_them(self, tmp_path):
        warnings: list = []
        transport = traced_transport(tmp_path / "no" / "trace.jsonl", {"/X": FakeResponse(200, envelope("done"))}, warnings)
        threads = [threading.Thread(target=lambda: [transport.send("POST", "https://t.example/X", path="/X") for _i in range(20)])
                   for _t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(warnings) == 1

    def test_an_answer_the_shaping_cannot_read_warns_and_the_call_goes_on(self, tmp_path):
        odd = FakeResponse(200, envelope("done"))
        odd.content = 12345  # not bytes: json.loads refuses it with a TypeError, which nothing expects
        warnings: list = []
        transport = traced_transport(tmp_path / "trace.jsonl", {"/X": odd}, warnings)
        assert transport.send("POST", "https://t.example/X", path="/X") is odd
        assert warnings == [f"CYBERARK_IDENTITY_TRACE: the trace cannot be written to {tmp_path / 'trace.jsonl'} (TypeError); "
                            "the task goes on without it"]


class TestEnvironment:
    def test_the_variable_turns_the_trace_on_for_both_clients_and_empty_is_off(self, tmp_path, monkeypatch):
        monkeypatch.setenv("CYBERARK_IDENTITY_TRACE", str(tmp_path / "t.jsonl"))
        identity = make_transport(30, 1, True, None, None, "")
        remote_access = make_transport(30, 1, True, None, None, "", prefix="ra_")
        assert identity.trace.client == "identity" and remote_access.trace.client == "remote_access"
        assert identity.trace.path == str(tmp_path / "t.jsonl")
        monkeypatch.setenv("CYBERARK_IDENTITY_TRACE", " ")
        assert make_transport(30, 1, True, None, None, "").trace is None
        monkeypatch.delenv("CYBERARK_IDENTITY_TRACE")
        assert make_transport(30, 1, True, None, None, "").trace is None
