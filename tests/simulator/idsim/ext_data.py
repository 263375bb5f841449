# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Additional attribute values (``ExtData``) as the tenant keeps and answers them, under the ``ext_data_values`` reading
(readings.py): typed by the column's type, or text throughout.

Type names: idsec-sdk-golang's schema fixtures show ``Text`` and ``Int``; the portal offers booleans and dates too,
named here ``Boolean`` and ``Date`` (no source shows their wire names, so any name starting with Bool or Date counts).
"""

from __future__ import annotations

import datetime
import re

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def kind(column_type: object) -> str:
    """``bool``, ``int``, ``date`` or ``text`` for a schema type name."""
    name = str(column_type or "").lower()
    if name.startswith("bool"):
        return "bool"
    if name in ("int", "integer", "number"):
        return "int"
    if any(word in name for word in ("double", "decimal", "float")):
        return "decimal"
    if name.startswith("date"):
        return "date"
    return "text"


def column_kind(tenant, name: str) -> str:
    column = next((c for c in tenant.info.get("additional_attributes", []) if c["Name"] == name), {})
    return kind(column.get("Type", "Text"))


def _date_ms(text: str) -> int | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        moment = datetime.datetime(*parts, tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    return int(moment.timestamp() * 1000)


def stored(tenant, name: str, value: object, reading: str) -> object:
    """The value SetColumns keeps, as GetColumns answers it; ValueError names a value the column refuses (``typed`` reading)."""
    if value is None:
        return None
    if reading == "text_only" and not isinstance(value, str):
        raise ValueError(f"The value of {name} must be text.")
    if reading in ("strings", "text_only"):
        return ("True" if value else "False") if isinstance(value, bool) else str(value)  # as .NET prints a boolean
    column = column_kind(tenant, name)
    if column == "bool" and not isinstance(value, bool):
        raise ValueError(f"The value of {name} must be a boolean.")
    if column == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"The value of {name} must be a whole number.")
    if column == "decimal" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError(f"The value of {name} must be a number.")
    if column == "date":
        moment = _date_ms(value) if isinstance(value, str) else None
        if moment is None:
            raise ValueError(f"The value of {name} must be a date (YYYY-MM-DD).")
        return f"/Date({moment})/"  # kept and answered in the API's date form
    if column == "text" and not isinstance(value, str):
        raise ValueError(f"The value of {name} must be text.")
    return value


def from_import(tenant, name: str, text: str, reading: str) -> object:
    """A CSV cell of the service import as the job keeps it: converted to the column's type where it reads as one."""
    if reading != "typed":
        return text
    column = column_kind(tenant, name)
    word = text.strip().lower()
    if column == "bool" and word in ("true", "false", "yes", "no"):
        return word in ("true", "yes")
    if column == "int" and re.fullmatch(r"-?\d+", word):
        return int(word)
    if column == "date" and _date_ms(text) is not None:
        return f"/Date({_date_ms(text)})/"
    return text
