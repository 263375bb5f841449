# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Additional user attributes (``ExtData``): values compared and sent by the column type the schema gives.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Files and inline records hold text; the tenant may keep typed values (``SetColumns`` values must match the column
definition and ``GetColumns`` answers booleans as JSON booleans, per the API collection; idsec-sdk-golang's schema
fixtures name the types ``Text`` and ``Int``). Compared as text, a boolean column would differ on every run
(``True`` against ``"true"``). Type names no source shows (booleans, dates) are recognised by their start; a date
column takes a date, no time. A column whose type is not recognised follows the type of the value the tenant holds,
else is text.
"""

from __future__ import annotations

import datetime
import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError

TRUE_WORDS = _redrock.TRUE_WORDS
FALSE_WORDS = tuple(w for w in _redrock.FALSE_WORDS if w)
_DOTNET_DATE = re.compile(r"^/Date\((-?\d+)([+-])(\d{2})(\d{2})\)/$")
_PLAIN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def kind(column_type: t.Any, held: t.Any = None) -> str:
    """``bool``, ``int``, ``decimal``, ``date`` or ``text`` for a schema type name (and the value held, for a name not
    recognised). The SetColumns reference names doubles; no source shows their type's wire name, so any name holding
    double, decimal or float counts."""
    name = str(column_type or "").strip().lower()
    if name.startswith("bool"):
        return "bool"
    if name in ("int", "integer", "number", "long"):
        return "int"
    if any(word in name for word in ("double", "decimal", "float")):
        return "decimal"
    if name.startswith("date"):
        return "date"
    if name in ("text", "string"):
        return "text"
    if isinstance(held, bool):
        return "bool"
    if isinstance(held, (int, float)):
        return "int" if not isinstance(held, float) or held.is_integer() else "text"
    return "text"


def _has_time(value: str) -> bool:
    """Whether a held date value carries a time of day other than midnight UTC (``/Date(ms)/`` or ISO with a time)."""
    answered = re.match(r"^/Date\((-?\d+)(?:([+-])(\d{2})(\d{2}))?\)/$", value.strip())
    if answered:  # midnight where the offset says, when there is one (the date _date() reads)
        offset = (int(answered.group(3)) * 60 + int(answered.group(4))) * 60_000 if answered.group(2) else 0
        return (int(answered.group(1)) + (offset if answered.group(2) == "+" else -offset)) % 86_400_000 != 0
    match = re.search(r"[T ](\d{2}):(\d{2})(?::(\d{2}))?", value)
    return bool(match) and any(int(part or 0) for part in match.groups())


def _date(value: t.Any) -> datetime.date | None:
    """The calendar date of ``/Date(ms)/`` (UTC; with an offset, the date there) or of an ISO date or date-time (the date
    as written); None when it is neither."""
    if not isinstance(value, str):
        return None
    local = _DOTNET_DATE.match(value.strip())
    if local:
        minutes = (int(local.group(3)) * 60 + int(local.group(4))) * (1 if local.group(2) == "+" else -1)
        moment = datetime.datetime.fromtimestamp(int(local.group(1)) / 1000.0, tz=datetime.timezone.utc)
        return (moment + datetime.timedelta(minutes=minutes)).date()
    text = _redrock.parse_date(value.strip())
    match = _ISO_DATE.match(text or "")
    if not match:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def to_wire(text: str, column_kind: str) -> t.Any:
    """The value to send for the text ``text`` of a column of ``column_kind``; ValueError says what the column takes."""
    word = text.strip().lower()
    if column_kind == "bool":
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError("is not a boolean (true or false), which this attribute's column takes")
    if column_kind == "int":
        if re.fullmatch(r"[-+]?\d{1,18}", word):
            return int(word)
        raise ValueError("is not a whole number, which this attribute's column takes")
    if column_kind == "decimal":
        if re.fullmatch(r"[-+]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})", word):
            return float(word)
        raise ValueError("is not a number (for example 3.5), which this attribute's column takes")
    if column_kind == "date":
        moment = _date(text) if _PLAIN_DATE.match(text.strip()) else None  # a time would be dropped: refused instead
        if moment is None:
            raise ValueError("is not a date (YYYY-MM-DD), which this attribute's column takes")
        return moment.isoformat()
    return text


def same(held: t.Any, wanted: t.Any, column_kind: str) -> bool:
    """Whether the tenant's ``held`` value is the ``wanted`` one (as :func:`to_wire` made it), whatever form it answers in."""
    if column_kind == "bool":
        try:
            return held is not None and held != "" and _redrock.truth(held) == wanted
        except IdentityError:  # a word no boolean reads as: it differs, and the write sets a clean value
            return False
    if column_kind == "int":
        if isinstance(held, float):
            return held.is_integer() and int(held) == wanted
        try:
            return held is not None and not isinstance(held, bool) and int(str(held).strip()) == wanted
        except ValueError:
            return False
    if column_kind == "decimal":
        try:
            return held is not None and not isinstance(held, bool) and float(str(held).strip()) == wanted
        except ValueError:
            return False
    if column_kind == "date":
        return _date(held) is not None and _date(held) == _date(wanted)
    return str("" if held is None else held) == str(wanted)


def as_text(value: t.Any, column_type: t.Any = None) -> str:
    """A held value as a file cell, in the form :func:`to_wire` reads back (booleans true / false, dates YYYY-MM-DD),
    whether the tenant answered it typed or as text."""
    if value is None:
        return ""
    column_kind = kind(column_type, value)
    if column_kind == "bool" and (isinstance(value, bool) or str(value).strip().lower() in TRUE_WORDS + FALSE_WORDS):
        return "true" if _redrock.truth(value) else "false"
    if column_kind == "int" and isinstance(value, float) and value.is_integer():
        return str(int(value))  # a whole number answered as 3.0 is written 3, as a whole-number column takes it
    moment = _date(value) if column_kind == "date" else None
    return moment.isoformat() if moment else str(value)


def wanted(text: str, column_type: t.Any, held: t.Any = None) -> tuple[str, t.Any]:
    """The kind and the value to send for a file's text. A column whose type no source names takes the kind of the
    value held; when the text is not of that kind, it goes as it is and the tenant decides (never a guess)."""
    column_kind = kind(column_type, held)
    try:
        return column_kind, to_wire(text, column_kind)
    except ValueError:
        if kind(column_type) != "text":
            raise
        return "text", text


def whole_set(held: t.Mapping[str, t.Any], types: dict[str, str], changes: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """What ``ExtData/SetColumns`` is sent for ``changes``: the whole set, as CyberArk's SDKs send it (the held values
    going back as :func:`resend` makes them), the changed values over them."""
    return dict(resend(dict(held), types), **changes)


def resend(held: dict[str, t.Any], types: dict[str, str]) -> dict[str, t.Any]:
    """Values the tenant answered, for ``SetColumns`` (which gets the whole set): text the tenant answered for a
    column the schema types as a boolean, a number or a date goes back in that type (the string true as a boolean,
    /Date(ms)/ as YYYY-MM-DD); everything else exactly as answered."""
    out = {}
    for name, value in held.items():
        column_kind = kind(types.get(name))
        if column_kind == "text" or not isinstance(value, str) or not value.strip() or (column_kind == "date" and _has_time(value)):
            out[name] = value  # a date column holding a time (DateTime) goes back as answered: YYYY-MM-DD would drop it
            continue
        try:
            out[name] = to_wire(as_text(value, types.get(name)), column_kind)
        except (ValueError, IdentityError):
            out[name] = value
    return out
