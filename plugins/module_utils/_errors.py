# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Typed errors raised by the Identity client.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Errors carry what a user needs to act (method, path, HTTP status, the API's
Message / ErrorCode / ErrorID) and never a request body, header or credential.
"""

from __future__ import annotations

import typing as t


class IdentityError(Exception):
    """Base class for every error the collection's client raises."""

    def __init__(self, message: str, **details: t.Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in details.items() if v is not None}

    def to_fail_kwargs(self) -> dict[str, t.Any]:
        """Keyword arguments for ``AnsibleModule.fail_json``."""
        kwargs: dict[str, t.Any] = {"msg": self.message}
        if self.details:
            kwargs["error"] = dict(self.details)
        return kwargs


class TaskFailed(IdentityError):
    """A task that ends failed with a full result (the plan, the items, the steps left): the one way a module's ``run``
    fails with more than a message. Handled only in ``IdentityModule.execute`` (community.crypto's ModuleFailException
    is the model)."""

    def __init__(self, message: str, **result: t.Any) -> None:
        super().__init__(message)
        self.result = result

    def to_fail_kwargs(self) -> dict[str, t.Any]:
        return dict(self.result, msg=self.message)


class ConfigurationError(IdentityError):
    """The options given cannot work (missing tenant URL, no credentials, bad URL)."""


class AuthenticationError(IdentityError):
    """The tenant refused the credentials or asked for something we cannot answer (MFA)."""


class RedirectError(AuthenticationError):
    """Authentication redirects looped or went on for too long."""


class TransportError(IdentityError):
    """The request did not get a usable HTTP answer (connection, TLS, timeout)."""


class ApiError(IdentityError):
    """The API answered with an error: HTTP status >= 400 or ``success: false``."""

    refused = False  # the answer was an envelope saying success: false (set by the transport)

    def __init__(
        self,
        message: str,
        method: str,
        path: str,
        status: int | None = None,
        api_message: str | None = None,
        error_code: str | None = None,
        error_id: str | None = None,
        message_id: str | None = None,
    ) -> None:
        super().__init__(
            message,
            method=method,
            path=path,
            status=status,
            api_message=api_message,
            error_code=error_code,
            error_id=error_id,
            message_id=message_id,
        )
        self.method = method
        self.path = path
        self.status = status
        self.api_message = api_message
        self.error_code = error_code
        self.error_id = error_id
        self.message_id = message_id


class RetryExhaustedError(ApiError):
    """The API kept answering with a retryable status (429, 502, 503, 504)."""


REFUSAL_STATUSES = frozenset((400, 403, 404, 405, 415, 422))  # the request as sent is refused; sending it again changes nothing


def is_refusal(exc: BaseException) -> bool:
    """Whether the tenant answered and refused the request as sent (an envelope with ``success: false``, or HTTP 400,
    403, 404, 405, 415 or 422), so that nothing was applied and the same arguments in another form may be tried.
    Throttling, timeouts, conflicts, redirects, server errors, answers that are not JSON and lost answers are not."""
    if not isinstance(exc, ApiError) or isinstance(exc, RetryExhaustedError):
        return False
    return exc.refused or exc.status in REFUSAL_STATUSES


class AmbiguousWriteError(TransportError):
    """A non-idempotent write failed in a way that does not say whether it was applied."""


class RightsUnreadable(IdentityError):
    """The tenant answered, but not in a form that shows a role's administrative rights (no Cloud Directory, no roles
    block, the role not in it, fewer rows than announced)."""


class ImportFileError(ConfigurationError):
    """The file cannot be read as an import file; ``problems`` lists each reason with its row and column."""

    def __init__(self, message: str, problems: list[dict[str, t.Any]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
