# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP(S) server: one listener per tenant host on loopback, faults, counters and ``/_sim/``."""

from __future__ import annotations

import collections
import json
import os
import random
import secrets
import socket
import ssl
import shutil
import tempfile
import threading
import time
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import identity_api, readings, remote_access, tls, wire
from .files import make_private_dir, write_private
from .redrock import RedrockIndex
from .state import CNAME_DOMAIN, World
from .tokens import TokenIssuer
from .wire import Reply

PLATFORM_PREFIX = "/api/idadmin"
DEFAULT_FAULTS = {
    "latency_ms": 0,          # added to every API request
    "rate_limit_rps": 0,      # per tenant; 0 = unlimited
    "rate_limit_burst": 0,    # bucket size (defaults to rps)
    "retry_after": 1,         # seconds named in Retry-After on 429 (a float is sent rounded up to whole seconds? no: as given)
    "throttle_rate": 0.0,     # share of API requests answered 429 at random
    "error_rate": 0.0,        # share answered with one of error_statuses
    "error_statuses": [502, 503, 504],
    "drop_rate": 0.0,         # share whose connection is closed without an answer
    "after_apply_rate": 0.0,  # share of errors/drops that happen after the request was applied
    "scripted": [],           # [{"path": "/redrock/query", "status": 503 | "drop", "count": 1, "after_apply": false}]
    "readings": readings.defaults(),  # how the service reads a disputed detail (readings.py)
    # Each tenant is a service of its own: {tenant_id: {key: value}} over the keys above (readings excepted) for that
    # tenant alone; a POST /_sim/config that gives "tenants" replaces every tenant's own faults ({} clears them).
    "tenants": {},
}
# The keys a tenant may set for itself; readings are how the service reads requests, the same for every tenant.
TENANT_FAULT_KEYS = frozenset(DEFAULT_FAULTS) - {"readings", "tenants"}


def tenant_faults(wanted: t.Any, tenant_ids: t.Iterable[str]) -> dict:
    """``wanted`` checked as the ``tenants`` entry of the faults; ValueError names an unknown tenant or key."""
    if not isinstance(wanted, dict):
        raise ValueError("tenants must be an object: {tenant_id: {fault: value}}")
    known = set(tenant_ids)
    checked = {}
    for tenant_id, faults in wanted.items():
        if tenant_id not in known:
            raise ValueError(f"tenants: no tenant {tenant_id} (tenants: {', '.join(sorted(known))})")
        if not isinstance(faults, dict) or set(faults) - TENANT_FAULT_KEYS:
            raise ValueError(f"tenants: {tenant_id} takes an object of {', '.join(sorted(TENANT_FAULT_KEYS))}")
        checked[tenant_id] = dict(faults)
    return checked


def named_host(header: str | None) -> str | None:
    """The registered custom URL a request's Host header names (``<prefix>.CNAME_DOMAIN``), whatever address it came to."""
    name = urlsplit("//" + (header or "")).hostname or ""
    return name if name.endswith("." + CNAME_DOMAIN) else None


def normalise_path(raw: str) -> str:
    path = urlsplit(raw).path.lower().rstrip("/") or "/"
    if path.startswith(PLATFORM_PREFIX + "/"):
        path = path[len(PLATFORM_PREFIX):]
    return path


class Context:
    """One request as handlers see it; records fields the contract does not know."""

    def __init__(self, sim: Simulator, host: str, method: str, path: str, raw_path: str, headers: t.Any, body: bytes) -> None:
        self.sim = sim
        self.host = host
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.query = {k: v[-1] for k, v in parse_qs(urlsplit(raw_path).query, keep_blank_values=True).items()}
        self.tenant = sim.world.tenant_for(host)
        self.claims: dict = {}

    def note_unknown(self, names: t.Iterable[str], prefix: str = "") -> None:
        for name in names:
            self.sim.record_unknown(self.path, prefix + name)

    def json(self, known: set[str], known_query: set[str] = frozenset()) -> dict:
        self.note_unknown(set(self.query) - set(known_query), prefix="?")
        if not self.body.strip():
            return {}
        try:
            value = json.loads(self.body)
        except ValueError:
            self.note_unknown(["<body is not JSON>"])
            return {}
        if isinstance(value, dict):
            self.note_unknown(set(value) - known)
            return value
        return {"_list": value}

    def form(self, known: set[str]) -> dict:
        fields = {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        self.note_unknown(set(fields) - known)
        self.note_unknown(set(self.query), prefix="?")
        return fields


class Simulator:
    """A running tenant simulator. ``start()`` returns its addresses; ``stop()`` ends it."""

    def __init__(self, world: World | None = None, scheme: str = "https", port: int = 0,
                 cert_dir: str | None = None, faults: dict | None = None, seed: int = 0, persist: str | None = None) -> None:
        self.world = world or World()
        self.scheme = scheme
        self.port = port
        self.cert_dir = cert_dir
        self.persist = persist
        self.faults = dict(DEFAULT_FAULTS, **(faults or {}))
        self.faults["readings"] = readings.checked(self.faults["readings"])
        self.faults["tenants"] = tenant_faults(self.faults["tenants"], (tenant.info["tenant_id"] for tenant in self.world.tenants))
        self.random = random.Random(seed)
        self.issuer = TokenIssuer()
        self.sessions: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.counts: collections.Counter = collections.Counter()
        self.unknown: dict[str, set] = collections.defaultdict(set)
        self.unknown_endpoints: collections.Counter = collections.Counter()
        self.log: collections.deque = collections.deque(maxlen=5000)
        self.buckets: dict[int, list[float]] = {}
        self.tenant_times: dict[str, list[float]] = {}  # tenant_id -> [first request's arrival, last answer] (time.time())
        self._redrock: dict[int, RedrockIndex] = {}
        self.servers: list[ThreadingHTTPServer] = []
        self.ca_path: str | None = None
        self.ra_files: dict[str, str] = {}
        self.temporary_dirs: list[str] = []
        # What every /_sim/ call must carry (header X-Idsim-Token): anyone on the machine can reach loopback addresses.
        self.token = secrets.token_urlsafe(32)
        self.last_request = time.monotonic()  # for --idle-exit
        self.apply_readings()

    def apply_readings(self) -> None:
        """Bring the tenants in line with the readings in force (those the tenants' state depends on)."""
        folding = self.faults["readings"]["name_folding"]
        for tenant in self.world.tenants:
            if tenant.folding != folding:
                tenant.set_folding(folding)

    # -- addresses ------------------------------------------------------------
    def url(self, host: str) -> str:
        default = {"https": 443, "http": 80}.get(self.scheme)
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")

    def describe(self) -> dict:
        tenants = []
        for tenant in self.world.tenants:
            tenants.append({
                "tenant_id": tenant.info["tenant_id"],
                "system_url": self.url(tenant.hosts["system"]),
                "preferred_url": self.url(tenant.preferred_host()),
                "urls": [self.url(h) for h in tenant.all_hosts() + tenant.hosts["named"]],
            })
        remote = [{"tenant_id": ra.tenant_id, "auth_url": self.url(ra.hosts["auth"]), "api_url": self.url(ra.hosts["api"]),
                   "identity_tenant_id": ra.identity_tenant_id, "service_account_file": self.ra_files.get(ra.tenant_id),
                   "client_id": ra.client_id} for ra in self.world.ra_tenants]
        # Registered custom URLs are names only the resolver in tests/simulator/resolver (or /etc/hosts) maps to an address.
        resolve = f"{CNAME_DOMAIN}={self.world.tenants[0].hosts['system']}"
        return {"scheme": self.scheme, "port": self.port, "ca_path": self.ca_path, "tenants": tenants, "remote_access": remote,
                "cname_domain": CNAME_DOMAIN, "resolve": resolve,
                "sim_url": self.url(self.world.tenants[0].hosts["system"]) + "/_sim"}

    # -- lifecycle --------------------------------------------------------------
    def start(self) -> dict:
        hosts = self.world.hosts()
        context = None
        if self.scheme == "https":
            paths = tls.generate(self.files_dir(), hosts + ["localhost", "*." + CNAME_DOMAIN])
            self.ca_path = paths["ca.pem"]
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(paths["server.pem"], paths["server.key"])
        wanted = self.port
        for attempt in range(20):  # the same free port on every loopback address
            try:
                self._bind(hosts, context)
                break
            except OSError:
                for server in self.servers:
                    server.server_close()
                self.servers = []
                if wanted or attempt == 19:
                    raise
                self.port = 0
        for server in self.servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        self._write_service_account_files()
        return self.describe()

    def _write_service_account_files(self) -> None:
        """The JSON file the Remote Access portal lets an administrator download once, one per tenant."""
        for ra in self.world.ra_tenants:
            path = os.path.join(self.files_dir(), f"ra-service-account-{ra.tenant_id}.json")
            write_private(path, json.dumps(ra.service_account_file(self.url(ra.hosts["auth"]))))
            self.ra_files[ra.tenant_id] = path

    def write_info(self, path: str | None = None) -> str:
        """The start-up JSON and the /_sim/ token, mode 0600, to ``path`` or to ``info.json`` in the simulator's own directory."""
        path = path or os.path.join(self.files_dir(), "info.json")
        write_private(path, json.dumps(dict(self.describe(), sim_token=self.token)))
        return path

    def _bind(self, hosts: list[str], context: ssl.SSLContext | None) -> None:
        port = self.port
        for host in hosts:
            server = _Server((host, port), _Handler)
            server.sim = self
            if context is not None:
                server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
            port = server.server_address[1]
            self.servers.append(server)
        self.port = port

    def files_dir(self) -> str:
        """Where its files go: ``cert_dir`` (made 0700 when it does not exist), else a directory of its own (0700) that is removed
        when the simulator stops."""
        if self.cert_dir:
            return make_private_dir(self.cert_dir)
        if not self.temporary_dirs:
            self.temporary_dirs.append(tempfile.mkdtemp(prefix="idsim-"))
        return self.temporary_dirs[0]

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        self.servers = []
        if self.persist:
            self.world.save(self.persist)
        for directory in self.temporary_dirs:
            shutil.rmtree(directory, ignore_errors=True)
        self.temporary_dirs = []

    # -- bookkeeping ---------------------------------------------------------------
    def record_unknown_endpoint(self, method: str, path: str) -> None:
        with self.lock:
            self.unknown_endpoints[f"{method} {path}"] += 1

    def record_unknown(self, path: str, name: str) -> None:
        with self.lock:
            self.unknown[path].add(name)

    def redrock(self, tenant: t.Any) -> RedrockIndex:
        with self.lock:
            return self._redrock.setdefault(id(tenant), RedrockIndex(tenant))

    def counters(self) -> dict:
        with self.lock:
            per_path: dict[str, int] = collections.Counter()
            for (kind, _method, path), count in self.counts.items():
                if kind == "path":
                    per_path[path] += count
            return {
                "total": self.counts[("all", "", "")],
                "writes": self.counts[("kind", "", "write")],
                "reads": self.counts[("kind", "", "read")],
                "auth": self.counts[("kind", "", "auth")],
                "throttled": self.counts[("fault", "", "429")],
                "errors_injected": self.counts[("fault", "", "error")],
                "dropped": self.counts[("fault", "", "drop")],
                # From the request line read to the answer ready to send, added latency included (API requests only).
                "answer_ms_mean": round(self.counts[("answer_us", "", "")] / 1000 / max(1, self.counts[("answered", "", "")]), 2),
                "by_path": dict(per_path),
                # Each tenant as its own service sees it: requests, those answered 429 or with an injected fault, and the
                # time (seconds since the epoch) its first request arrived and its last answer was ready.
                "by_tenant": {
                    tenant_id: {"total": self.counts[("tenant", tenant_id, "all")], "throttled": self.counts[("tenant", tenant_id, "429")],
                                "errors_injected": self.counts[("tenant", tenant_id, "error")],
                                "dropped": self.counts[("tenant", tenant_id, "drop")], "first": round(first, 3),
                                "last": round(last, 3)}
                    for tenant_id, (first, last) in sorted(self.tenant_times.items())},
            }

    def reset(self) -> None:
        with self.lock:
            self.counts.clear()
            self.unknown.clear()
            self.unknown_endpoints.clear()
            self.log.clear()
            self.tenant_times.clear()

    # -- faults --------------------------------------------------------------------
    def faults_for(self, tenant: t.Any) -> dict:
        """The faults in force for ``tenant``: the service-wide ones, overridden by the tenant's own."""
        with self.lock:
            own = self.faults["tenants"].get(tenant.info["tenant_id"]) if tenant is not None else None
            return dict(self.faults, **own) if own else self.faults

    def _throttled(self, tenant: t.Any, faults: dict | None = None) -> bool:
        faults = faults if faults is not None else self.faults_for(tenant)
        rps = float(faults.get("rate_limit_rps") or 0)
        with self.lock:
            if faults.get("throttle_rate") and self.random.random() < float(faults["throttle_rate"]):
                return True
            if rps <= 0:
                return False
            burst = float(faults.get("rate_limit_burst") or rps)
            now = time.monotonic()
            tokens, last = self.buckets.get(id(tenant), [burst, now])
            tokens = min(burst, tokens + (now - last) * rps)
            if tokens < 1:
                self.buckets[id(tenant)] = [tokens, now]
                return True
            self.buckets[id(tenant)] = [tokens - 1, now]
            return False

    def pick_fault(self, path: str, faults: dict | None = None) -> dict | None:
        """The fault this request meets, if any: scripted ones first, then random ones (``faults``: a tenant's, else the
        service-wide ones)."""
        faults = faults if faults is not None else self.faults
        with self.lock:
            for entry in faults.get("scripted") or []:
                if entry.get("count", 1) > 0 and entry.get("path", path).lower() == path:
                    entry["count"] = entry.get("count", 1) - 1
                    return dict(entry)
            after = self.random.random() < float(faults.get("after_apply_rate") or 0)
            if faults.get("drop_rate") and self.random.random() < float(faults["drop_rate"]):
                return {"status": "drop", "after_apply": after}
            if faults.get("error_rate") and self.random.random() < float(faults["error_rate"]):
                return {"status": self.random.choice(faults["error_statuses"]), "after_apply": after}
        return None

    def tenant_answered(self, tenant: t.Any, arrived: float, status: int) -> None:
        """One answer of ``tenant`` (``arrived``: time.monotonic() at its request line), for ``by_tenant``."""
        now = time.time()
        tenant_id = tenant.info["tenant_id"]
        with self.lock:
            self.counts[("tenant", tenant_id, "all")] += 1
            if status == 429:
                self.counts[("tenant", tenant_id, "429")] += 1
            times = self.tenant_times.setdefault(tenant_id, [now - (time.monotonic() - arrived), now])
            times[1] = now

    def count(self, *keys: tuple) -> None:
        with self.lock:
            for key in keys:
                self.counts[key] += 1

    def answered_in(self, seconds: float) -> None:
        with self.lock:
            self.counts[("answered", "", "")] += 1
            self.counts[("answer_us", "", "")] += int(seconds * 1_000_000)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    sim: Simulator

    def handle_error(self, request: t.Any, client_address: t.Any) -> None:
        """Quiet: clients that give up (TLS refused, connection dropped) are part of the tests."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: t.Any) -> None:  # pylint: disable=redefined-builtin
        """Quiet: the request log is at /_sim/log."""

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._handle("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    def setup(self) -> None:
        super().setup()
        # A real server answers without Nagle's delay: with it, the second write of a response waits for the
        # client's delayed ACK (about 40 ms on every request).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, reply: Reply) -> None:
        payload = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, str(value))
        # Headers and body in one write, so one TLS record carries the whole response.
        self._headers_buffer.append(b"\r\n" + payload)
        self.flush_headers()

    def parse_request(self) -> bool:
        self._arrived = time.monotonic()  # the request line has been read: the answer's time starts here
        return super().parse_request()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self, method: str) -> None:
        sim = self.server.sim
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = named_host(self.headers.get("Host")) or self.server.server_address[0]
        path = normalise_path(self.path)
        sim.last_request = time.monotonic()
        if path == "/_sim" or path.startswith("/_sim/"):
            from . import sim_api  # pylint: disable=import-outside-toplevel
            self._send(sim_api.handle(sim, method, path, self.headers, body))
            return
        ctx = Context(sim, host, method, path, self.path, self.headers, body)
        if host in sim.world.ra_by_host:
            reply = self._dispatch_remote_access(sim, ctx, host, path)
        else:
            reply = self._dispatch(sim, ctx, method, path)
        if reply is not None:
            if ctx.tenant is not None and host not in sim.world.ra_by_host:
                sim.tenant_answered(ctx.tenant, self._arrived, reply.status)
            sim.log.append({"t": round(time.time(), 3), "host": host, "method": method, "path": path, "status": reply.status})
            # How long the tenant took to answer, its added latency included: what a client's floor rests on. Counted
            # before the answer leaves, so that a client that has it finds it counted.
            sim.answered_in(time.monotonic() - self._arrived)
            self._send(reply)

    def _dispatch(self, sim: Simulator, ctx: Context, method: str, path: str) -> Reply | None:
        route = identity_api.ROUTES.get(path)
        args: tuple = ()
        if route is None:
            for prefix, candidate in identity_api.PREFIX_ROUTES.items():
                if path.startswith(prefix) and len(path) > len(prefix):
                    route, args = candidate, (self.path.split("?")[0].rstrip("/").rsplit("/", 1)[1],)
        sim.count(("all", "", ""), ("path", method, path))
        if ctx.tenant is None:
            return Reply({"error": "unknown host"}, status=404)
        if route is None:
            sim.record_unknown_endpoint(method, path)  # a 404 no test may overlook (tests require this record empty)
            return Reply(None, status=404)
        kind, needs_token, handler = route
        sim.count(("kind", "", kind))
        faults = sim.faults_for(ctx.tenant)  # each tenant is its own service: its own faults and rate limit
        latency = float(faults.get("latency_ms") or 0)
        if latency:
            time.sleep(latency / 1000.0)
        if sim._throttled(ctx.tenant, faults):  # pylint: disable=protected-access
            sim.count(("fault", "", "429"))
            return Reply({"success": False, "Message": "Too many requests"}, status=429,
                         headers={"Retry-After": faults.get("retry_after", 1)})
        fault = sim.pick_fault(path, faults)
        if fault and not fault.get("after_apply"):
            return self._fault(sim, fault, ctx.tenant)
        if method != "POST" and not (method == "GET" and path == "/core/getdirectoryservices"):
            return Reply({"Message": "The requested resource does not support http method '%s'." % method}, status=405)
        if needs_token:
            header = ctx.headers.get("Authorization", "")
            claims = sim.issuer.verify(header[7:]) if header.startswith("Bearer ") else None
            if claims is None or claims.get("tenant_id") != ctx.tenant.info["tenant_uuid"]:
                return Reply({"success": False, "Message": "Unauthorized", "Result": None}, status=401)
            ctx.claims = claims
        reply = handler(sim, ctx, *args)
        if fault:
            return self._fault(sim, fault, ctx.tenant)
        if sim.faults["readings"]["answer_booleans"] == "string" and isinstance(reply.body, dict) and "success" in reply.body:
            reply.body["Result"] = wire.booleans_as_strings(reply.body.get("Result"))
        return reply

    def _dispatch_remote_access(self, sim: Simulator, ctx: Context, host: str, path: str) -> Reply:
        ra, role = sim.world.ra_by_host[host]
        sim.count(("all", "", ""), ("path", ctx.method, path))
        latency = float(sim.faults.get("latency_ms") or 0)
        if latency:
            time.sleep(latency / 1000.0)
        if role == "auth":
            if path == remote_access.TOKEN_PATH and ctx.method == "POST":
                sim.count(("kind", "", "auth"))
                return remote_access.token(sim, ctx, ra)
            return remote_access.problem(404, "Not Found", f"No endpoint {ctx.method} {path}.")
        sim.count(("kind", "", "read"))
        return remote_access.api(sim, ctx, ra, path)

    def _fault(self, sim: Simulator, fault: dict, tenant: t.Any) -> Reply | None:
        if fault.get("status") == "drop":
            sim.count(("fault", "", "drop"), ("tenant", tenant.info["tenant_id"], "drop"))
            self._drop()
            return None
        status = int(fault.get("status", 503))
        sim.count(("fault", "", "429" if status == 429 else "error"))
        if status != 429:  # a 429 is counted with the tenant's answers
            sim.count(("tenant", tenant.info["tenant_id"], "error"))
        headers = {"Retry-After": fault["retry_after"]} if "retry_after" in fault else {}
        return Reply({"Message": "injected fault"}, status=status, headers=headers)
