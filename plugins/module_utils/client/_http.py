# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP for the transport: exactly what it uses, nothing more.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

What the transport needs is here: JSON, form and multipart bodies, query parameters, keep-alive connections reused across
threads, cookies sent back only to the host that set them, and never a redirect followed. Direct connections go through
``_connections`` (http.client); requests through a proxy go through urllib3's proxy managers, which speak every kind of
proxy. Both raise the same three failures (``_connections``). requests costs about twice urllib3's CPU per request and
urllib3 about twice http.client's (docs/performance.md); the transport needs none of what they add.
"""

from __future__ import annotations

import base64
import http.cookies
import json
import os
import threading
import traceback
import typing as t
from urllib.parse import urlencode, urlsplit, unquote

URLLIB3_IMPORT_ERROR: str | None
try:
    import urllib3
    from urllib3.filepost import encode_multipart_formdata
except ImportError:  # pragma: no cover - reported by the module wrapper
    urllib3 = None  # type: ignore[assignment]
    URLLIB3_IMPORT_ERROR = traceback.format_exc()
else:
    URLLIB3_IMPORT_ERROR = None

try:
    import certifi
except ImportError:  # pragma: no cover - the system's certificate authorities are used then
    certifi = None  # type: ignore[assignment]

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import (
    ConnectionFailure,
    DirectPool,
    HttpFailure,
    TlsFailure,
    decoded,
    read_bounded,
    UNSENDABLE,
    tls_context,
)

# HTTP/1.1 keeps connections open unless told otherwise: no "Connection: keep-alive" to send.
DEFAULT_HEADERS = {"Accept-Encoding": "gzip, deflate"}


class Response:
    """An answer read whole: ``status_code``, case-insensitive ``headers``, ``content`` (bytes)."""

    __slots__ = ("status_code", "headers", "content")

    def __init__(self, status_code: int, headers: t.Any, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> t.Any:
        """The body as JSON; ValueError when it is not."""
        return json.loads(self.content)


class Cookies:
    """Cookies a host set, sent back to that host only (stricter than a browser: no sharing across a domain)."""

    def __init__(self) -> None:
        self._by_host: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def store(self, host: str, set_cookie_headers: t.Iterable[str]) -> None:
        for header in set_cookie_headers:
            jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            try:
                jar.load(header)
            except http.cookies.CookieError:
                continue  # a cookie this parser refuses is not sent back
            with self._lock:
                kept = self._by_host.setdefault(host, {})
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0":
                        kept.pop(name, None)
                    else:
                        kept[name] = morsel.value

    def header(self, host: str) -> str | None:
        with self._lock:
            kept = self._by_host.get(host)
            return "; ".join(f"{name}={value}" for name, value in kept.items()) if kept else None

    def clear(self) -> None:
        with self._lock:
            self._by_host.clear()


def _tls_options(verify: bool | str) -> dict[str, t.Any]:
    if verify is False:
        return {"cert_reqs": "CERT_NONE"}
    if verify is True:
        return {"cert_reqs": "CERT_REQUIRED", "ca_certs": certifi.where() if certifi is not None else None}
    if os.path.isdir(verify):
        return {"cert_reqs": "CERT_REQUIRED", "ca_cert_dir": verify}
    return {"cert_reqs": "CERT_REQUIRED", "ca_certs": verify}


def _proxy_headers(proxy_url: str) -> dict[str, str] | None:
    parts = urlsplit(proxy_url)
    if parts.username is None:
        return None
    return urllib3.util.make_headers(proxy_basic_auth=f"{unquote(parts.username)}:{unquote(parts.password or '')}")


def encode_body(json_body: t.Any = None, data: t.Mapping[str, t.Any] | None = None,
                files: t.Mapping[str, t.Any] | None = None) -> tuple[bytes | None, str | None]:
    """The bytes to send and their Content-Type: multipart when there are files (with ``data`` as fields), else a form,
    else JSON."""
    if files:
        fields: list[tuple[str, t.Any]] = list((data or {}).items())
        for name, value in files.items():
            if isinstance(value, tuple) and len(value) > 1 and hasattr(value[1], "read"):
                value = (value[0], value[1].read()) + tuple(value[2:])
            fields.append((name, value))
        return encode_multipart_formdata(fields)
    if data is not None:
        return urlencode(data, doseq=True).encode("ascii"), "application/x-www-form-urlencoded"
    if json_body is not None:
        return json.dumps(json_body, allow_nan=False).encode("utf-8"), "application/json"
    return None, None


class HttpSession:
    """Keep-alive connections reused across threads: a pool per host and TLS setting, a proxy manager per proxy."""

    def __init__(self, pool_size: int = 64) -> None:
        self.pool_size = pool_size
        self.headers: dict[str, str] = dict(DEFAULT_HEADERS)
        self.cookies = Cookies()
        self._pools: dict[tuple[str, str, int | None, t.Any], DirectPool] = {}
        self._contexts: dict[t.Any, t.Any] = {}
        self._managers: dict[tuple[t.Any, str], t.Any] = {}
        self._lock = threading.Lock()

    def _pool(self, scheme: str, host: str, port: int | None, verify: bool | str) -> DirectPool:
        key = (scheme, host, port, verify)
        pool = self._pools.get(key)
        if pool is None:
            with self._lock:
                pool = self._pools.get(key)
                if pool is None:
                    context = None
                    if scheme == "https":
                        context = self._contexts.get(verify)
                        if context is None:
                            context = self._contexts[verify] = tls_context(verify)
                    pool = self._pools[key] = DirectPool(scheme, host, port, context, self.pool_size)
        return pool

    def _manager(self, verify: bool | str, proxy: str) -> t.Any:
        key = (verify, proxy)
        manager = self._managers.get(key)
        if manager is None:
            with self._lock:
                manager = self._managers.get(key)
                if manager is None:
                    options = dict(_tls_options(verify), num_pools=4, maxsize=self.pool_size, block=False)
                    manager = self._managers[key] = urllib3.ProxyManager(proxy, proxy_headers=_proxy_headers(proxy), **options)
        return manager

    def request(
        self,
        method: str,
        url: str,
        params: t.Mapping[str, t.Any] | None = None,
        json: t.Any = None,  # pylint: disable=redefined-outer-name
        data: t.Mapping[str, t.Any] | None = None,
        files: t.Mapping[str, t.Any] | None = None,
        headers: t.Mapping[str, str] | None = None,
        timeout: float = 30,
        verify: bool | str = True,
        proxies: t.Mapping[str, str] | None = None,
        allow_redirects: bool = False,
        auth: tuple[str, str] | None = None,
    ) -> Response:
        """Send one request and read the whole answer. Redirects are never followed. ``auth`` is HTTP Basic (user,
        password), encoded as UTF-8 (RFC 7617). Raises ConnectionFailure (no complete answer), TlsFailure or
        HttpFailure."""
        if allow_redirects:
            raise ValueError("redirects are not followed by this client")
        if params:
            query = urlencode({key: value for key, value in params.items() if value is not None}, doseq=True)
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        parts = urlsplit(url)
        sent = dict(self.headers)
        sent.update(headers or {})
        body, content_type = encode_body(json, data, files)
        if content_type:
            sent["Content-Type"] = content_type
        if auth is not None:
            sent["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode("utf-8")).decode("ascii")
        host = (parts.hostname or "").lower()
        cookie = self.cookies.header(host)
        if cookie:
            sent["Cookie"] = cookie
        proxy = (proxies or {}).get(parts.scheme)
        if proxy:
            status, answer_headers, set_cookies, content = self._through_proxy(
                "http://" + proxy if "://" not in proxy else proxy, method, url, body, sent, timeout, verify)
        else:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            answer = self._pool(parts.scheme, host, parts.port, verify).send(method, target, body, sent, timeout)
            status, answer_headers, content = answer
            set_cookies = answer_headers.get_all("Set-Cookie") or []
        if set_cookies:
            self.cookies.store(host, set_cookies)
        return Response(status, answer_headers, content)

    def _through_proxy(self, proxy: str, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float,
                       verify: bool | str) -> tuple[int, t.Any, list[str], bytes]:
        try:
            answer = self._manager(verify, proxy).request(
                method, url, body=body, headers=headers, redirect=False, retries=False, timeout=timeout,
                preload_content=False, decode_content=False,
            )
            try:  # read raw and decoded here, both within the bound (urllib3 would read and inflate it whole)
                content = read_bounded(lambda amount: answer.read(amount, decode_content=False))
            except BaseException:
                answer.close()  # left unread: its connection cannot serve another request
                raise
            finally:
                answer.release_conn()
        except urllib3.exceptions.SSLError as exc:
            raise TlsFailure(_reason(exc)) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.NewConnectionError, urllib3.exceptions.TimeoutError,
                urllib3.exceptions.ProxyError) as exc:
            raise ConnectionFailure(_reason(exc)) from None
        except urllib3.exceptions.HTTPError as exc:
            raise HttpFailure(_reason(exc)) from None
        except ValueError:  # http.client quotes the header value it refuses: it may be a token
            raise HttpFailure(UNSENDABLE) from None
        return answer.status, answer.headers, answer.headers.getlist("Set-Cookie"), decoded(content, answer.headers.get("Content-Encoding") or "")

    def close(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()
            for manager in self._managers.values():
                manager.clear()
            self._managers.clear()


def _reason(exc: BaseException) -> str:
    detail = str(exc)
    return f"{exc.__class__.__name__}: {detail}" if detail else exc.__class__.__name__
