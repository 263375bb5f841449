# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile tenant on loopback (not the simulator): it records every request and answers logins with redirects.

Every host listens on one shared HTTPS port, as a real tenant's hosts all answer on 443; ``PLAIN`` also listens
on a second port over plain HTTP, so a client that followed a redirect there would show up in the record.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from idsim import tls  # pylint: disable=import-error

TENANT = "127.0.0.70"
FOREIGN = "127.0.0.71"
ALLOWED = "127.0.0.72"
CHAIN = ["127.0.0.73", "127.0.0.74", "127.0.0.75", "127.0.0.76", "127.0.0.77"]
PLAIN = "127.0.0.78"
HOSTS = [TENANT, FOREIGN, ALLOWED, PLAIN] + CHAIN
TOKEN = "hostile-issued-token-0123456789"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    tenant: HostileTenant


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: t.Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        host = self.server.server_address[0]
        port = self.server.server_address[1]
        tenant = self.server.tenant
        tenant.record(host, port, self.path, body, dict(self.headers))
        answer = tenant.answer(host, self.path.split("?", 1)[0].lower())
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST


class HostileTenant:
    """``redirects[host]`` is the ``PodFqdn`` that host answers to StartAuthentication; other hosts ask for a password."""

    def __init__(self, cert_dir: str) -> None:
        self.paths = tls.generate(cert_dir, HOSTS)
        self.ca_path = self.paths["ca.pem"]
        self.redirects: dict[str, str] = {}
        self.token = TOKEN  # what a successful password login answers with
        self.requests: list[dict[str, t.Any]] = []
        self.servers: list[_Server] = []
        self.serving: list[_Server] = []
        self.port = 0
        self.plain_port = 0
        self._lock = threading.Lock()

    def record(self, host: str, port: int, path: str, body: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append({"host": host, "port": port, "path": path, "body": body, "headers": headers})

    def answer(self, host: str, path: str) -> dict[str, t.Any]:
        if path == "/security/startauthentication":
            if host in self.redirects:
                return {"success": True, "Result": {"PodFqdn": self.redirects[host]}}
            mechanism = {"Name": "UP", "AnswerType": "Text", "MechanismId": "m-up"}
            return {"success": True, "Result": {"SessionId": "s-1", "TenantId": "EVIL1", "Challenges": [{"Mechanisms": [mechanism]}]}}
        if path == "/security/advanceauthentication":
            return {"success": True, "Result": {"Summary": "LoginSuccess", "Token": self.token, "TokenLifetime": 3600}}
        return {"success": True, "Result": {"IsAggregate": False, "Count": 0, "FullCount": 0, "Columns": [], "Results": []}}

    def start(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.paths["server.pem"], self.paths["server.key"])
        for attempt in range(20):  # one free port on every address
            try:
                self._bind(context)
                break
            except OSError:
                self.stop()
                if attempt == 19:
                    raise
        plain = _Server((PLAIN, 0), _Handler)
        plain.tenant = self
        self.plain_port = plain.server_address[1]
        self.servers.append(plain)
        for server in self.servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        self.serving = list(self.servers)

    def _bind(self, context: ssl.SSLContext) -> None:
        port = 0
        for host in HOSTS:
            server = _Server((host, port), _Handler, bind_and_activate=False)
            server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.server_bind()
            server.server_activate()
            server.socket = context.wrap_socket(server.socket, server_side=True)
            server.tenant = self
            port = server.server_address[1]
            self.servers.append(server)
        self.port = port

    def stop(self) -> None:
        for server in self.serving:
            server.shutdown()
        for server in self.servers:
            server.server_close()
        self.servers, self.serving = [], []

    def url(self, host: str) -> str:
        return f"https://{host}:{self.port}"

    def hosts_that_saw(self, secret: str) -> set[str]:
        """Hosts (``host:port``) whose recorded requests carry ``secret`` anywhere (path, body or headers)."""
        with self._lock:
            return {f"{r['host']}:{r['port']}" for r in self.requests if secret in json.dumps(r)}
