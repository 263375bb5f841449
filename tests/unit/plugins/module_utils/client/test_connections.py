# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Direct keep-alive connections against real loopback servers: reuse, idle connections the server closed, encodings,
TLS checks, timeouts; and the proxy path's failures in the same vocabulary."""

from __future__ import annotations

import concurrent.futures
import gzip
import http.server
import os
import socket
import ssl
import sys
import threading
import time
import zlib

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import TransportError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import (
    ConnectionFailure,
    HttpFailure,
    TlsFailure,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import HttpSession
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "simulator"))
from idsim import tls  # noqa: E402 pylint: disable=import-error,wrong-import-position


class _KeepAlive(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive; ``/close-after`` answers as if the connection stayed open, then closes it."""

    protocol_version = "HTTP/1.1"
    connections: list = []
    requests: list = []
    body = b'{"success": true, "Result": "ok"}'

    def log_message(self, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        self.connections.append(self.client_address)

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.requests.append(self.path)
        body, encoding = self.body, None
        if self.path == "/gzip":
            body, encoding = gzip.compress(body), "gzip"
        elif self.path == "/deflate":
            body, encoding = zlib.compress(body), "deflate"
        elif self.path == "/broken-gzip":
            body, encoding = b"not gzip at all", "gzip"
        elif self.path == "/cut-gzip":
            body, encoding = gzip.compress(body)[:-12], "gzip"  # the stream cut before its end
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.path == "/close-after":
            self.close_connection = True


def _serve(context: ssl.SSLContext | None = None, handler=_KeepAlive):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture(name="server")
def fixture_server():
    _KeepAlive.connections, _KeepAlive.requests = [], []
    server = _serve()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_keep_alive_connections_are_reused_across_requests_and_threads(server):
    session = HttpSession()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _i: session.request("POST", server + "/x", json={}, timeout=5), range(40)))
    assert [answer.json()["Result"] for answer in answers] == ["ok"] * 40
    assert 1 <= len(_KeepAlive.connections) <= 4
    session.close()


def test_a_connection_the_server_closed_while_idle_carries_no_write(server):
    # Sent on a connection the server has closed, a write would fail with no answer: ambiguous for the caller.
    transport = Transport(retries=0)
    for _attempt in range(3):
        answer = transport.send("POST", server + "/close-after", path="/close-after", idempotent=False, json={})
        assert answer.status_code == 200
        time.sleep(0.1)  # the server's close reaches the client
    assert len(_KeepAlive.connections) == 3


def test_a_header_http_cannot_carry_is_refused_without_its_value(server):
    # http.client refuses a header value with a line break with a ValueError that quotes the value (a token, say).
    transport = Transport(retries=0)
    with pytest.raises(TransportError, match="a header or the URL holds characters HTTP does not allow") as raised:
        transport.send("POST", server + "/x", path="/x", headers={"Authorization": "Bearer s3cr3t-token\r\nX-Evil: 1"})
    assert "s3cr3t" not in str(raised.value) and "s3cr3t" not in repr(raised.value.details)
    assert _KeepAlive.requests == []  # nothing was sent


def test_gzip_and_deflate_answers_are_decoded_and_a_broken_one_is_an_error(server):
    session = HttpSession()
    assert session.request("POST", server + "/gzip", timeout=5).json() == {"success": True, "Result": "ok"}
    assert session.request("POST", server + "/deflate", timeout=5).json() == {"success": True, "Result": "ok"}
    with pytest.raises(HttpFailure, match="gzip encoding cannot be read"):
        session.request("POST", server + "/broken-gzip", timeout=5)
    with pytest.raises(TransportError, match="gzip encoding cannot be read"):
        Transport(retries=0).send("POST", server + "/broken-gzip", path="/broken-gzip")
    with pytest.raises(HttpFailure, match="gzip encoding cannot be read .the compressed answer ends before its end"):
        session.request("POST", server + "/cut-gzip", timeout=5)


@pytest.fixture(name="tls_servers", scope="module")
def fixture_tls_servers(tmp_path_factory):
    """A server whose certificate names 127.0.0.1 and one whose certificate names another host, each from its own CA."""
    servers, paths = [], {}
    for name, hosts in (("right", ["127.0.0.1"]), ("wrong", ["elsewhere.example"])):
        paths[name] = tls.generate(str(tmp_path_factory.mktemp(name)), hosts)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths[name]["server.pem"], paths[name]["server.key"])
        servers.append(_serve(context))
    yield {name: (f"https://127.0.0.1:{s.server_address[1]}", paths[name]["ca.pem"]) for name, s in zip(("right", "wrong"), servers)}
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_certificate_and_its_host_name_are_checked(tls_servers):
    right, right_ca = tls_servers["right"]
    wrong, wrong_ca = tls_servers["wrong"]
    session = HttpSession()
    assert session.request("POST", right + "/x", timeout=5, verify=right_ca).status_code == 200
    opened = len(_KeepAlive.connections)
    for _call in range(5):  # over TLS too, the connection is kept (what the server sends after a handshake is no close)
        assert session.request("POST", right + "/x", timeout=5, verify=right_ca).status_code == 200
    assert len(_KeepAlive.connections) == opened
    assert session.request("POST", wrong + "/x", timeout=5, verify=False).status_code == 200
    with pytest.raises(TlsFailure, match="certificate verify failed"):
        session.request("POST", right + "/x", timeout=5, verify=True)  # not an authority certifi knows
    with pytest.raises(TlsFailure, match="certificate verify failed"):
        session.request("POST", wrong + "/x", timeout=5, verify=wrong_ca)  # trusted, but for another host name
    with pytest.raises(TransportError, match="TLS verification failed .*ca_path"):
        Transport(retries=0, verify=True).send("POST", right + "/x", path="/x")


def test_an_unreadable_ca_bundle_is_named():
    with pytest.raises(TlsFailure, match="the CA bundle '/nonexistent/ca.pem' cannot be read"):
        HttpSession().request("POST", "https://127.0.0.1:1/x", timeout=5, verify="/nonexistent/ca.pem")


def test_a_server_that_never_answers_is_a_connection_failure():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        started = time.monotonic()
        with pytest.raises(ConnectionFailure, match="timed out"):
            HttpSession().request("POST", f"http://127.0.0.1:{silent.getsockname()[1]}/x", timeout=0.3)
        assert time.monotonic() - started < 5


def test_a_proxy_that_cannot_be_reached_is_a_connection_failure():
    with pytest.raises(ConnectionFailure):
        HttpSession().request("POST", "http://127.0.0.1:1/x", timeout=5, proxies={"http": "127.0.0.1:1"})
