# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shape trace: what a tenant answered, call by call, with no value in it, safe to attach to a public issue.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

With ``CYBERARK_IDENTITY_TRACE=<file>`` in the environment, every request the Identity and Remote Access clients send
appends one JSON line to the file: the endpoint path (identifiers in it replaced), the query parameters' names, the
method, the HTTP status, the envelope's ``success``, ``MessageID`` and ``ErrorCode``, and the *shape* of the request
body and of the answer (keys, value types, list lengths). No value is ever written: no login name, identifier, host,
tenant ID, token or password. A key that is itself data (a login name, a UUID, a host) becomes ``<key>``. A Redrock
script is kept as its form, every literal replaced by ``?`` (which table, columns and conditions).

Shapes: ``"str"``, ``"int"``, ``"float"``, ``"bool"``, ``"null"``; a dict is an object of its keys' shapes; a list is
``["list", length, shape of its elements]`` (the elements' shapes merged: a key missing from some elements adds
``"absent"``); a value whose shapes differ is ``["one of", shape, ...]``.

The trace must never fail a task: a file that cannot be written gives one warning, and the task goes on.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import typing as t

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the process's own lock still orders its lines
    fcntl = None  # type: ignore[assignment]

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._auth import OAUTH_APP_TOKEN
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._connections import ConnectionFailure, TlsFailure

ENVIRONMENT_VARIABLE = "CYBERARK_IDENTITY_TRACE"
FORMAT_VERSION = 1
MODE = 0o600  # the trace holds no secret, but it is the owner's to share
MAX_DEPTH = 24  # deeper than any answer of the service; a hostile answer stops here
DATA_KEY = "<key>"
DATA_SEGMENT = "<id>"
ABSENT = "absent"
ONE_OF = "one of"

Shape = t.Any  # str | dict[str, Shape] | list (["list", ...] or ["one of", ...])

# A plain identifier-like word (SysInfo, Row, access_token, v2-edge): letters, digits, _ and -, starting with a letter
# or _. Anything else (an '@', a dot, a space, a UUID, a tenant ID such as ABC1234, a hex ID) is data, not a field name.
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}\Z")
_DIGIT_RUN = re.compile(r"[0-9]+")
_HEX = re.compile(r"[0-9a-fA-F_-]+\Z")
_CODE = re.compile(r"[A-Za-z0-9_.:-]{1,100}\Z")
_MEDIA_TYPES = frozenset(("application", "text", "image", "audio", "video", "multipart", "message", "font", "model"))
# The path of a login to a named OAuth2 app: its last segment is the app's ID (_auth.OAUTH_APP_TOKEN).
_OAUTH_APP_PREFIX = OAUTH_APP_TOKEN.split("{", 1)[0].lower()


def is_word(text: str) -> bool:
    """Whether ``text`` reads as a field name rather than data: an identifier-like word with at most two short runs of
    digits (Address1, v2-edge, OAuth2), not a tenant ID (ABC1234), a UUID or a hex ID."""
    if not _WORD.match(text):
        return False
    runs = _DIGIT_RUN.findall(text)
    if len(runs) > 2 or any(len(run) > 2 for run in runs):
        return False
    return not (runs and len(text) >= 8 and _HEX.match(text))


def _scalar(value: t.Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def shape(value: t.Any, depth: int = 0) -> Shape:
    """The shape of a JSON value: its keys, types and list lengths, and no value."""
    if depth >= MAX_DEPTH:
        return "deeper"
    if isinstance(value, dict):
        result: dict[str, Shape] = {}
        for key, item in value.items():
            name = key if isinstance(key, str) and is_word(key) else DATA_KEY
            item_shape = shape(item, depth + 1)
            result[name] = merge(result[name], item_shape) if name in result else item_shape
        return result
    if isinstance(value, (list, tuple)):
        return list_shape([shape(item, depth + 1) for item in value])
    return _scalar(value)


def list_shape(element_shapes: t.Sequence[Shape]) -> Shape:
    if not element_shapes:
        return ["list", 0]
    merged = element_shapes[0]
    for element in element_shapes[1:]:
        merged = merge(merged, element)
    return ["list", len(element_shapes), merged]


def _kind(value: Shape) -> str:
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        return "list" if value[:1] == ["list"] else ONE_OF
    return "scalar"


def _lengths(a: t.Any, b: t.Any) -> t.Any:
    """Two list lengths as one: the length, or ``"min..max"``."""
    low, high = [], []
    for length in (a, b):
        text = str(length)
        first, _sep, last = text.partition("..")
        low.append(int(first))
        high.append(int(last or first))
    lowest, highest = min(low), max(high)
    return lowest if lowest == highest else f"{lowest}..{highest}"


def merge(a: Shape, b: Shape) -> Shape:
    """One shape for two values seen in the same place (elements of one list, or one call answered twice)."""
    if a == b:
        return a
    kind_a, kind_b = _kind(a), _kind(b)
    if kind_a == kind_b == "dict":
        merged: dict[str, Shape] = {}
        for key in sorted(set(a) | set(b)):
            merged[key] = merge(a.get(key, ABSENT), b.get(key, ABSENT))
        return merged
    if kind_a == kind_b == "list":
        length = _lengths(a[1], b[1])
        if len(a) < 3 or len(b) < 3:  # an empty list says nothing of its elements
            elements = a[2:] or b[2:]
        else:
            elements = [merge(a[2], b[2])]
        return ["list", length] + elements
    options: list[Shape] = []
    for part in (a, b):
        for option in (part[1:] if _kind(part) == ONE_OF else [part]):
            same_kind = next((i for i, known in enumerate(options) if _kind(known) == _kind(option) != "scalar"), None)
            if same_kind is not None:  # one dict (or list) option, merged, keeps the union readable
                options[same_kind] = merge(options[same_kind], option)
            elif option not in options:
                options.append(option)
    options.sort(key=lambda option: json.dumps(option, sort_keys=True))
    return [ONE_OF] + options if len(options) > 1 else options[0]


IDENTITY_PATH_WORDS = 2  # /Service/Method: a further segment of an Identity path is data (identity_api takes any path)


def path_shape(path: str, client: str = "identity") -> str:
    """The endpoint path with no query and every segment that is data (an ID, a name) replaced."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if path.lower().startswith(_OAUTH_APP_PREFIX) and len(path) > len(_OAUTH_APP_PREFIX):
        return OAUTH_APP_TOKEN.split("{", 1)[0] + DATA_SEGMENT
    segments = path.split("/")
    return "/".join(segment if not segment or (is_word(segment) and (client != "identity" or index <= IDENTITY_PATH_WORDS))
                    else DATA_SEGMENT for index, segment in enumerate(segments))


def code(value: t.Any) -> t.Any:
    """A MessageID or ErrorCode as the service sends it (_I18N_UserNotFound, invalid_client), or only its type when it
    does not read as a code."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str) and _CODE.match(value) and (
            is_word(value) or value.startswith("_I18N_") and all(is_word(part) for part in re.split(r"[.:]", value))):
        return value  # a dotted or colon form only as the service's message IDs (_I18N_TenantCnames.TenantCnameNotOwned)
    kind = "dict" if isinstance(value, dict) else "list" if isinstance(value, (list, tuple)) else _scalar(value)
    return f"<{kind}>"


# A quoted literal (its end may be missing), white space, one punctuation mark, or a run of anything else.
_SQL_TOKEN = re.compile(r"'(?:[^']|'')*'?|--[^\n]*|/\*.*?(?:\*/|\Z)|\s+|[,()=*<>!]|[^\s',()=*<>!]+", re.DOTALL)
_REPEATED_CONDITION = re.compile(r"(\w+ (?:=|LIKE|like) \?)((?: OR \1)+)")


def script_form(script: str) -> str:
    """A Redrock script with every literal, and every run of characters that is not a plain word, replaced by ``?``:
    which table, columns and conditions, no value (``SELECT ID, Name FROM CDUser WHERE Name = ? (OR x99)``)."""
    tokens: list[str] = []
    for token in _SQL_TOKEN.findall(script):
        if token.isspace() or token.startswith(("--", "/*")):  # a comment's words are not the script's (read after literals)
            token = " "
        elif not (len(token) == 1 and token in ",()=*<>!") and not is_word(token):
            token = "?"
        if token != "?" or not tokens or tokens[-1] != "?":
            tokens.append(token)
    form = re.sub(r" +", " ", re.sub(r" ?([,)]) ?", r"\1 ", re.sub(r"\( ?", "(", "".join(tokens)))).strip()
    form = form.replace(" )", ")")
    # A chunk of names is one condition repeated: said once, with the count (a length, as lists have).
    return _REPEATED_CONDITION.sub(lambda match: f"{match.group(1)} (OR x{match.group(2).count(' OR ')})", form)


def media_type(header: t.Any) -> str | None:
    """A Content-Type's media type (text/html), or None when it does not read as one."""
    kind, _sep, subtype = str(header or "").split(";", 1)[0].strip().lower().partition("/")
    if kind in _MEDIA_TYPES and subtype and all(is_word(part) for part in re.split(r"[.+]", subtype)):
        return f"{kind}/{subtype}"
    return None


def _size(value: t.Any) -> int | None:
    if isinstance(value, tuple):
        value = value[1] if len(value) > 1 else None
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    return None


def request_fields(kwargs: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The request as the trace shows it: query parameter names, and the body's shape (a form's keys, a multipart's part
    names and sizes)."""
    fields: dict[str, t.Any] = {}
    params = kwargs.get("params")
    if params:
        fields["query"] = sorted(key if is_word(str(key)) else DATA_KEY for key, value in params.items() if value is not None)
    if kwargs.get("files"):
        parts = dict(kwargs.get("data") or {}, **kwargs["files"])
        fields["request"] = {"multipart": {name if is_word(str(name)) else DATA_KEY: {"bytes": _size(value)}
                                           for name, value in parts.items()}}
    elif kwargs.get("data") is not None:
        fields["request"] = {"form": shape(dict(kwargs["data"]))}
    elif kwargs.get("json") is not None:
        fields["request"] = shape(kwargs["json"])
        if isinstance(kwargs["json"], dict) and isinstance(kwargs["json"].get("Script"), str):
            fields["script"] = script_form(kwargs["json"]["Script"])
    if kwargs.get("auth") is not None:
        fields["auth"] = "basic"
    return fields


def answer_fields(response: t.Any) -> dict[str, t.Any]:
    """The answer as the trace shows it: status, envelope codes and the body's shape."""
    fields: dict[str, t.Any] = {"status": response.status_code}
    content = response.content or b""
    if not content:
        fields["answer"] = "empty"
        return fields
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        fields["answer"] = {"not_json": {"bytes": len(content), "content_type": media_type(response.headers.get("Content-Type"))}}
        return fields
    if isinstance(body, dict):
        if isinstance(body.get("success"), bool):
            fields["success"] = body["success"]
        for name in ("MessageID", "ErrorCode", "error"):  # error: the OAuth2 answers' code (invalid_client)
            if body.get(name) is not None:
                fields[name] = code(body[name])
    fields["answer"] = shape(body)
    return fields


def call_record(client: str, method: str, path: str, kwargs: t.Mapping[str, t.Any], response: t.Any = None,
                failure: str | None = None) -> dict[str, t.Any]:
    """One line of the trace."""
    record: dict[str, t.Any] = {"v": FORMAT_VERSION, "client": client, "method": method.upper(), "path": path_shape(path, client)}
    record.update(request_fields(kwargs))
    if response is not None:
        record.update(answer_fields(response))
    else:
        record.update(status=None, failure=failure)
    return record


def failure_kind(exc: BaseException) -> str:
    """A failure of the HTTP layer (_connections) by its kind only, never its text (it names hosts)."""
    if isinstance(exc, TlsFailure):
        return "tls"
    if isinstance(exc, ConnectionFailure):
        return "no answer"
    return "unreadable answer"


_WRITE_LOCK = threading.Lock()  # one line at a time from the bulk import's worker threads


class TraceFile:
    """Appends call records to a file; a failure to write warns once and is otherwise ignored."""

    def __init__(self, path: str, client: str, warn: t.Callable[[str], None] | None = None) -> None:
        self.path = os.path.abspath(os.path.expanduser(path))
        self.client = client
        self._warn = warn
        self._failed = False

    def answered(self, method: str, path: str, kwargs: t.Mapping[str, t.Any], response: t.Any) -> None:
        self._write(lambda: call_record(self.client, method, path, kwargs, response=response))

    def failed(self, method: str, path: str, kwargs: t.Mapping[str, t.Any], exc: BaseException) -> None:
        self._write(lambda: call_record(self.client, method, path, kwargs, failure=failure_kind(exc)))

    def _write(self, make_record: t.Callable[[], dict[str, t.Any]]) -> None:
        if self._failed:
            return
        try:
            # Shaped outside the lock: a large answer's shape must not hold up the other threads' lines.
            line = (json.dumps(make_record(), sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
            with _WRITE_LOCK:
                if not self._failed:
                    append_line(self.path, line)
        except Exception as exc:  # pylint: disable=broad-exception-caught  # the trace must never fail the task
            with _WRITE_LOCK:
                first = not self._failed
                self._failed = True
            if first and self._warn:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
                self._warn(f"{ENVIRONMENT_VARIABLE}: the trace cannot be written to {self.path} ({reason}); the task goes on "
                           "without it")


def append_line(path: str, line: bytes) -> None:
    """Append ``line`` in one write: the file is created mode 0600, never opened through a link, and must be a regular
    file; an exclusive lock orders the lines of processes that trace at once."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags, MODE)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(0, "not a regular file")
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        while line:
            line = line[os.write(descriptor, line):]
    finally:
        os.close(descriptor)  # closing releases the lock


def from_environment(client: str, warn: t.Callable[[str], None] | None = None) -> TraceFile | None:
    """The trace the environment asks for (``CYBERARK_IDENTITY_TRACE``), or None; an empty value is unset."""
    path = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    return TraceFile(path, client, warn) if path else None
