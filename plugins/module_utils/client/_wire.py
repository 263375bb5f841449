# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The contract between ``Transport`` and its HTTP session: what the transport asks of a session and of an answer.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

``_http.HttpSession`` and ``_http.Response`` satisfy it, and so does the unit tests' ``FakeSession``; the transport
uses nothing else of them. A session raises ``_connections.ConnectionFailure`` when no complete answer came (the
request may be sent again), ``TlsFailure`` when the certificate was refused, and ``HttpFailure`` for any other failure.
"""

from __future__ import annotations

import typing as t


@t.runtime_checkable
class Answer(t.Protocol):
    """An HTTP answer read whole."""

    status_code: int
    headers: t.Any  # a case-insensitive mapping with ``get(name)``
    content: bytes

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced)."""

    def json(self) -> t.Any:
        """The body as JSON; ValueError when it is not."""


class Cookies(t.Protocol):
    def clear(self) -> None:
        """Forget every cookie (a login restarted on another host)."""


@t.runtime_checkable
class Session(t.Protocol):
    """Sends one request and reads its whole answer; never follows a redirect."""

    headers: t.MutableMapping[str, str]  # sent with every request (the transport adds its User-Agent)
    cookies: Cookies

    def request(
        self,
        method: str,
        url: str,
        params: t.Mapping[str, t.Any] | None = None,
        json: t.Any = None,
        data: t.Mapping[str, t.Any] | None = None,
        files: t.Mapping[str, t.Any] | None = None,
        headers: t.Mapping[str, str] | None = None,
        timeout: float = 30,
        verify: bool | str = True,
        proxies: t.Mapping[str, str] | None = None,
        allow_redirects: bool = False,
        auth: tuple[str, str] | None = None,
    ) -> Answer:
        """Send one request (``allow_redirects`` is always False) and read its whole answer. Raises ConnectionFailure,
        TlsFailure or HttpFailure."""

    def close(self) -> None:
        """Close every connection."""
