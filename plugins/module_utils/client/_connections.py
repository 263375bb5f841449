# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Keep-alive connections straight to a host, over the standard library's http.client, pooled per host and TLS setting.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

A direct connection to the tenant needs a socket, TLS with the host name checked, HTTP/1.1 and keep-alive: http.client
does all of it. urllib3's pools cost about twice its CPU per request (URL parsing, pool keys, retry, timeout and response
objects on every call; docs/performance.md), which bounds a bulk import's pace. Requests through a proxy still go through
urllib3 (``_http.py``), which speaks every kind of proxy.
"""

from __future__ import annotations

import http.client
import os
import select
import ssl
import threading
import typing as t
import zlib

try:
    import certifi
except ImportError:  # pragma: no cover - the system's certificate authorities are used then
    certifi = None  # type: ignore[assignment]


class HttpFailure(Exception):
    """No usable answer (a request that cannot be sent, a broken answer, an encoding that cannot be read)."""


UNSENDABLE = "the request could not be sent: a header or the URL holds characters HTTP does not allow"


class ConnectionFailure(HttpFailure):
    """No complete answer came: the connection was refused, broke or timed out. The request may not have arrived."""


class TlsFailure(HttpFailure):
    """The TLS handshake failed: most often the server's certificate is not trusted."""


def tls_context(verify: bool | str) -> ssl.SSLContext:
    """A client context: ``verify`` False (no verification), True (certifi's bundle, else the system's), a CA file or a
    CA directory. The host name is checked whenever the certificate is."""
    try:
        if verify is False:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        if verify is True:
            return ssl.create_default_context(cafile=certifi.where() if certifi is not None else None)
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError: a file that holds no certificate
        raise TlsFailure(f"the CA bundle {verify!r} cannot be read ({exc.__class__.__name__}: {exc})") from None


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle connection was closed by the server: an idle socket that is readable holds an end of file (or
    bytes nobody asked for); either way it cannot carry the next request."""
    sock = connection.sock
    if sock is None:
        return False  # http.client opens a new one
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


# The most of an answer this client reads, decoded: a hostile or broken server could send (or compress into a few
# kilobytes) gigabytes. The largest answer the collection asks for, a Redrock page of a few thousand rows, is a few MB.
MAX_ANSWER_BYTES = 64 * 1024 * 1024


def too_large() -> HttpFailure:
    return HttpFailure(f"the answer is larger than {MAX_ANSWER_BYTES // (1024 * 1024)} MiB, the most this client reads")


def read_bounded(read: t.Callable[[int], bytes]) -> bytes:
    """The whole body from ``read(amount)``, or HttpFailure past MAX_ANSWER_BYTES (the caller closes the connection)."""
    content = read(MAX_ANSWER_BYTES + 1)
    if len(content) > MAX_ANSWER_BYTES:
        raise too_large()
    return content


def _inflate(content: bytes, wbits: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    decoded = inflater.decompress(content, MAX_ANSWER_BYTES + 1)
    if len(decoded) > MAX_ANSWER_BYTES or inflater.unconsumed_tail:
        raise too_large()
    if not inflater.eof:  # a stream cut short: the answer is incomplete
        raise zlib.error("the compressed answer ends before its end")
    return decoded


def decoded(content: bytes, encoding: str) -> bytes:
    """The body decoded from its Content-Encoding, never past MAX_ANSWER_BYTES (a compressed answer can expand a
    thousandfold)."""
    encoding = encoding.strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return _inflate(content, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return _inflate(content, zlib.MAX_WBITS)
            except zlib.error:  # raw deflate, as some servers send it
                return _inflate(content, -zlib.MAX_WBITS)
    except zlib.error as exc:
        raise HttpFailure(f"the answer's {encoding} encoding cannot be read ({exc})") from None
    return content


class Answer(t.NamedTuple):
    status: int
    headers: http.client.HTTPMessage
    content: bytes


class DirectPool:
    """Idle keep-alive connections to one host (scheme, host, port and TLS setting); any thread may take one."""

    def __init__(self, scheme: str, host: str, port: int | None, context: ssl.SSLContext | None, size: int) -> None:
        self._scheme = scheme
        self._host = host
        self._port = port
        self._context = context
        self._size = size
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _take(self, timeout: float) -> http.client.HTTPConnection:
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                if self._scheme == "https":
                    return http.client.HTTPSConnection(self._host, self._port, timeout=timeout, context=self._context)
                return http.client.HTTPConnection(self._host, self._port, timeout=timeout)
            if not _dropped(connection):
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
                return connection
            connection.close()

    def _give_back(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < self._size:
                self._idle.append(connection)
                return
        connection.close()

    def send(self, method: str, target: str, body: bytes | None, headers: t.Mapping[str, str], timeout: float) -> Answer:
        """Send one request and read the whole answer; raises ConnectionFailure, TlsFailure or HttpFailure."""
        connection = self._take(timeout)
        try:
            if connection.sock is None:
                self._connect(connection)
            try:
                connection.request(method, target, body=body, headers=headers)
            except (ValueError, http.client.InvalidURL):  # http.client quotes the value it refuses: it may be a token
                raise HttpFailure(UNSENDABLE) from None
            response = connection.getresponse()
            content = read_bounded(response.read)
        except (OSError, http.client.HTTPException) as exc:  # a timeout, a reset, a broken or cut answer
            connection.close()
            raise ConnectionFailure(f"{exc.__class__.__name__}: {exc}") from None
        except BaseException:  # an answer too large is left unread: the connection cannot serve another request
            connection.close()
            raise
        self._give_back(connection)  # http.client has closed it already if the server said so
        return Answer(response.status, response.msg, decoded(content, response.getheader("Content-Encoding") or ""))

    def _connect(self, connection: http.client.HTTPConnection) -> None:
        try:
            connection.connect()
        except (ssl.SSLError, ssl.CertificateError) as exc:
            connection.close()
            raise TlsFailure(f"{exc.__class__.__name__}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
