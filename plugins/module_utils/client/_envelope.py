# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading an answer: the Identity envelope, the error an answer carries, and ``Retry-After``.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Rules (docs/client.md): HTTP 200 with ``success: false`` is an error, like any status >= 400; a bare JSON body (the OAuth
endpoints, Remote Access) is returned whole; an HTTP redirect is an error, never followed; every message is scrubbed of
secrets.
"""

from __future__ import annotations

import email.utils
import time
import typing as t
from urllib.parse import urlsplit

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._wire import Answer

MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is waited as 60, so one answer cannot stall a task for hours


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), clamped to 0..60."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment is None:
            return None
        seconds = moment.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _json_or_none(response: Answer) -> t.Any:
    try:
        return response.json()
    except ValueError:
        return None


def unwrap(response: Answer, method: str, path: str, secrets: Secrets) -> t.Any:
    """The ``Result`` of an enveloped answer, or the whole JSON body of a bare (OAuth) answer.

    Raises ApiError on status >= 400, a redirect, or ``success: false``.
    """
    body = _json_or_none(response)
    status = response.status_code
    if 300 <= status < 400:
        location = urlsplit(str(response.headers.get("Location") or ""))
        target = location.hostname or "an unnamed location"
        raise ApiError(
            f"{method} {path}: the server answered with an HTTP redirect (HTTP {status}) to {target}, which is "
            "not followed: a redirect could carry credentials to another host; check the URL options",
            method=method, path=path, status=status,
        )
    if status >= 400 or (isinstance(body, dict) and body.get("success") is False):
        error = api_error(method, path, status, body, secrets, response)
        error.refused = isinstance(body, dict) and body.get("success") is False
        raise error
    if body is None:
        if not response.content:
            return None
        raise ApiError(
            f"{method} {path}: HTTP {status} with an answer that is not JSON", method=method, path=path, status=status
        )
    if isinstance(body, dict) and "success" in body:
        return body.get("Result")
    return body


def api_error(method: str, path: str, status: int, body: t.Any, secrets: Secrets, response: Answer | None = None) -> ApiError:
    """An ApiError from an error answer, scrubbed of secrets."""
    api_message = error_code = error_id = message_id = None
    if isinstance(body, dict):
        api_message = (body.get("Message") or body.get("error_description") or body.get("message")
                       or body.get("detail") or body.get("title"))  # RFC 7807 problem JSON (Remote Access)
        error_code = body.get("ErrorCode") or body.get("error")
        error_id = body.get("ErrorID")
        message_id = body.get("MessageID")
    elif response is not None and response.text and len(response.text) < 300:
        api_message = response.text.strip()
    api_message = secrets.scrub(str(api_message)) if api_message else None
    text = f"{method} {path} failed: HTTP {status}"
    if api_message:
        text += f": {api_message}"
    if error_code:
        text += f" (ErrorCode {error_code})"
    if error_id:
        text += f" (ErrorID {error_id})"
    return ApiError(
        text, method=method, path=path, status=status, api_message=api_message,
        error_code=str(error_code) if error_code else None, error_id=error_id, message_id=message_id,
    )
