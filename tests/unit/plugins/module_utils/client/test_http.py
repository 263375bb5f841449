# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP layer against a real loopback server: bodies, query, headers, cookies per host, redirects not followed."""

from __future__ import annotations

import base64
import gzip
import http.server
import json
import threading
import zlib

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import TransportError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _connections
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import HttpSession
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import CONNECTION_ERRORS, Transport


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict] = []

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.seen.append({"path": self.path, "headers": dict(self.headers), "body": body, "host": self.server.server_address[0]})
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "https://elsewhere.example/steal")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        answer = b"not json" if self.path.startswith("/text") else json.dumps({"success": True, "Result": "ok"}).encode()
        self.send_response(200)
        if self.path.startswith("/set"):
            self.send_header("Set-Cookie", "session=abc; Path=/; Secure; HttpOnly")
            self.send_header("Set-Cookie", "other=1")
        if self.path.startswith("/unset"):
            self.send_header("Set-Cookie", "session=; Max-Age=0")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture(name="servers")
def fixture_servers():
    _Recorder.seen = []
    started = []
    for host in ("127.0.0.1", "127.0.0.2"):
        server = http.server.ThreadingHTTPServer((host, 0), _Recorder)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(server)
    yield [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in started]
    for server in started:
        server.shutdown()
        server.server_close()


def test_json_body_query_and_headers(servers):
    session = HttpSession()
    session.headers["User-Agent"] = "ua/1"
    answer = session.request("POST", servers[0] + "/json?a=1", params={"b": "x y", "skip": None}, json={"k": "é"},
                             headers={"Authorization": "Bearer t"}, timeout=5, verify=False)
    seen = _Recorder.seen[0]
    assert answer.status_code == 200 and answer.json() == {"success": True, "Result": "ok"}
    assert seen["path"] == "/json?a=1&b=x+y"
    assert json.loads(seen["body"]) == {"k": "é"} and seen["headers"]["Content-Type"] == "application/json"
    assert seen["headers"]["User-Agent"] == "ua/1" and seen["headers"]["Authorization"] == "Bearer t"
    assert answer.headers.get("content-type") == "application/json"  # case-insensitive, as Retry-After is read


def test_form_and_multipart_bodies(servers, tmp_path):
    session = HttpSession()
    session.request("POST", servers[0] + "/form", data={"grant_type": "client_credentials", "scope": "a b"}, timeout=5,
                    auth=("svc@acme.com", "pässword"))
    upload = tmp_path / "users.csv"
    upload.write_bytes(b"Login Name\r\nann@acme.com\r\n")
    with open(upload, "rb") as handle:
        session.request("POST", servers[0] + "/multi", files={"Icon": ("users.csv", handle, "text/csv")}, timeout=5)
    form, multi = _Recorder.seen
    assert form["body"] == b"grant_type=client_credentials&scope=a+b"
    assert form["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert form["headers"]["Authorization"] == "Basic " + base64.b64encode("svc@acme.com:pässword".encode()).decode()
    assert multi["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="Icon"; filename="users.csv"' in multi["body"] and b"ann@acme.com" in multi["body"]


def test_cookies_go_back_only_to_the_host_that_set_them_and_can_be_cleared(servers):
    session = HttpSession()
    session.request("POST", servers[0] + "/set", timeout=5)
    session.request("POST", servers[0] + "/next", timeout=5)
    session.request("POST", servers[1] + "/other-host", timeout=5)
    session.request("POST", servers[0] + "/unset", timeout=5)
    session.request("POST", servers[0] + "/after-unset", timeout=5)
    session.cookies.clear()
    session.request("POST", servers[0] + "/after-clear", timeout=5)
    cookies = {seen["path"]: seen["headers"].get("Cookie") for seen in _Recorder.seen}
    assert cookies == {"/set": None, "/next": "session=abc; other=1", "/other-host": None, "/unset": "session=abc; other=1",
                       "/after-unset": "other=1", "/after-clear": None}


def test_a_redirect_is_returned_not_followed(servers):
    answer = HttpSession().request("POST", servers[0] + "/redirect", json={"secret": "s"}, timeout=5)
    assert answer.status_code == 302 and answer.headers.get("Location") == "https://elsewhere.example/steal"
    assert len(_Recorder.seen) == 1
    with pytest.raises(ValueError):
        HttpSession().request("POST", servers[0] + "/x", allow_redirects=True)


def test_a_body_that_is_not_json_raises_value_error(servers):
    answer = HttpSession().request("POST", servers[0] + "/text", timeout=5)
    assert answer.text == "not json"
    with pytest.raises(ValueError):
        answer.json()


def test_a_refused_connection_is_a_connection_error_the_transport_retries_then_reports(servers):
    closed = servers[0].rsplit(":", 1)[0] + ":1"  # nothing listens on port 1
    with pytest.raises(CONNECTION_ERRORS):
        HttpSession().request("POST", closed + "/x", timeout=5)
    slept = []
    transport = Transport(retries=2, sleep=slept.append)
    with pytest.raises(TransportError, match="no answer after 3 attempts"):
        transport.send("POST", closed + "/x", path="/x")
    assert len(slept) == 2 and transport.stats["requests"] == 3


class _Bomb(http.server.BaseHTTPRequestHandler):
    """Answers past the client's bound: plain, or small on the wire and huge once decompressed. Serves as a forward
    proxy too (a proxied request's path is the whole URL)."""

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"0" * (2 * 1024 * 1024)
        self.send_response(200)
        if "/gzip" in self.path:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        elif "/deflate" in self.path:
            body = zlib.compress(body)
            self.send_header("Content-Encoding", "deflate")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize("path", ["/plain", "/gzip", "/deflate"])
@pytest.mark.parametrize("through_proxy", [False, True], ids=["direct", "proxy"])
def test_an_answer_past_the_bound_is_refused_not_read_whole(monkeypatch, path, through_proxy):
    monkeypatch.setattr(_connections, "MAX_ANSWER_BYTES", 1024 * 1024)  # 2 MiB answers against a 1 MiB bound
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Bomb)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        proxies = {"http": base} if through_proxy else None
        with pytest.raises(_connections.HttpFailure, match="larger than 1 MiB"):
            HttpSession().request("POST", base + path, json={}, timeout=5, proxies=proxies)
    finally:
        server.shutdown()
        server.server_close()
