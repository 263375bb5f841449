# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fakes at the transport seam (shared by the unit tests): a session that answers from a route table and records every request."""

from __future__ import annotations

import json
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import Cookies


class FakeResponse:
    def __init__(self, status: int = 200, body: t.Any = None, headers: dict | None = None, text: str | None = None) -> None:
        self.status_code = status
        self._body = body
        self.headers = headers or {}
        self.text = text if text is not None else ("" if body is None else json.dumps(body))
        self.content = self.text.encode()

    def json(self) -> t.Any:
        if self._body is None:
            raise ValueError("no JSON")
        return self._body


def envelope(result: t.Any = None, success: bool = True, **extra: t.Any) -> dict:
    body = {"success": success, "Result": result, "Message": None, "ErrorID": None, "ErrorCode": None, "MessageID": None}
    body.update(extra)
    return body


class FakeSession:
    """``answers[(host, path)]`` or ``answers[path]``: a response, an exception, or a list consumed in order."""

    def __init__(self, answers: dict) -> None:
        self.answers = answers
        self.calls: list[dict] = []
        self.headers: dict = {}
        self.cookies = Cookies()
        self.closed = False

    def request(self, method: str, url: str, **kwargs: t.Any) -> FakeResponse:
        host_path = url.split("://", 1)[1]
        host, _sep, path = host_path.partition("/")
        path = "/" + path
        self.calls.append({"method": method, "url": url, "host": host, "path": path, **kwargs})
        answer = self.answers.get((host, path), self.answers.get(path))
        if answer is None:
            return FakeResponse(404, None, text="")
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if callable(answer) and not isinstance(answer, FakeResponse):
            answer = answer(method, url, kwargs)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def mount(self, *_: t.Any) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def paths(self) -> list[str]:
        return [c["path"] for c in self.calls]


def run_module(main: t.Callable[[], None], args: dict, capsys: t.Any) -> dict:
    """Run a module's ``main()`` with ``args`` and return the JSON it printed (exit or fail)."""
    import pytest  # pylint: disable=import-outside-toplevel

    try:
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
        context = patch_module_args(args)
    except ImportError:  # ansible-core < 2.19
        from unittest import mock  # pylint: disable=import-outside-toplevel

        from ansible.module_utils import basic  # pylint: disable=import-outside-toplevel
        context = mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode())
    with context, pytest.raises(SystemExit):
        main()
    return json.loads(capsys.readouterr().out)
