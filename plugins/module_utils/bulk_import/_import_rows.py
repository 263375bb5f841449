# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Validation of bulk-import records into user rows; every problem is reported with its row, column and value.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _attributes, _user_fields, _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_file import (
    HEADERS, PREVIOUS_NAME, REQUIRED, SECRET_HEADERS, Records,
)

MASK = "********"


@dataclasses.dataclass
class UserRow:
    """One valid record, in the shape the planner compares with the tenant: one attribute per field of
    ``_user_fields.FIELDS`` that has an import header, named as identity_user's options (a unit test holds the two
    together). ``password`` is a secret."""

    row: int
    name: str
    email: str
    display_name: str | None = None
    description: str | None = None
    office_number: str | None = None
    mobile_number: str | None = None
    home_number: str | None = None
    roles: list[str] = dataclasses.field(default_factory=list)
    account_expiry: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    force_password_change: bool | None = None
    password_never_expires: bool | None = None
    reports_to: str | None = None
    previous_name: str | None = None  # Previous Login Name: rename this user instead of creating a new one
    attributes: dict[str, str] = dataclasses.field(default_factory=dict)


def problem(row: int, header: str | None, value: t.Any, message: str, guarded: dict[str, str] | None = None) -> dict[str, t.Any]:
    """One problem; a secret column's value is masked.

    ``guarded`` holds the row's values when none but its login name may be echoed (the row's Password is set, or its
    values do not line up with the headers): the value is left out and the message cleared of every cell value.
    """
    if guarded is not None and header != "Login Name":
        return {"row": row, "column": header, "value": None, "message": scrub(message, guarded)}
    shown = MASK if header in SECRET_HEADERS and value else value
    return {"row": row, "column": header, "value": shown, "message": message}


def problem_text(found: dict[str, t.Any], with_row: bool = True) -> str:
    """One problem as a person reads it (``row 3 Email Address: ...``): no ``None`` for a problem of no column, and no
    second ``row 3`` for a message that names its row already."""
    message = str(found.get("message") or "")
    if message.startswith(f"row {found.get('row')}"):
        return message
    label = " ".join(str(part) for part in ((f"row {found['row']}" if with_row and found.get("row") else None), found.get("column")) if part)
    return f"{label}: {message}" if label else message


def counted(count: int, noun: str) -> str:
    """``1 row``, ``2 rows``: counts in messages read as English."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def scrub(message: str, values: dict[str, str]) -> str:
    """``message`` without any cell value of the row but the login name (each replaced by its length)."""
    for header, value in sorted(values.items(), key=lambda item: -len(item[1] or "")):
        if header == "Login Name" or not value:
            continue
        message = message.replace(repr(value), f"(a value of {len(value)} characters)")
        if len(value) >= 4:
            message = message.replace(value, f"(a value of {len(value)} characters)")
    return message


def split_roles(value: str) -> list[str]:
    return _user_fields.file_value(_user_fields.BY_OPTION["roles"], value)


NUMBER_CELL = ("the cell holds a number, not text, and a spreadsheet drops the + and leading zeros of a number, so the "
               "phone number may not be the one typed: format the column as Text and enter the phone number again (for "
               "example +14155550100)")


def _check(row: int, values: dict[str, str], suffixes: dict[str, bool], problems: list[dict[str, t.Any]],
           attributes: t.Collection[str] = (), guarded: bool = False, numbers: t.Collection[str] = ()) -> UserRow:
    """The row's user and its problems; ``numbers`` names the headers whose cells a spreadsheet stored as numbers."""
    def bad(header: str, message: str | None) -> None:
        if message:
            problems.append(problem(row, header, values.get(header), message, values if guarded else None))
    name = values.get("Login Name", "")
    previous = values.get(PREVIOUS_NAME) or None
    for step in _user_fields.check_order(_user_fields.FILE):
        if step == "<suffix>":
            if name and not _validate.login_name_error(name):
                suffix = _validate.split_login(name)[1].lower()
                if suffix not in suffixes:
                    bad("Login Name", f"the login suffix {suffix!r} does not exist on the tenant (suffixes: {', '.join(sorted(suffixes)) or 'none'})")
        elif step == "<previous>":
            if previous:
                bad(PREVIOUS_NAME, "is the row's Login Name; leave it empty unless the user is renamed" if previous.lower() == name.lower()
                    else _validate.login_name_error(previous))
        elif step == "<attributes>":
            types = attributes if isinstance(attributes, dict) else {}
            for header in attributes:
                if values.get(header):
                    try:
                        _attributes.to_wire(values[header], _attributes.kind(types.get(header)))
                    except ValueError as exc:
                        bad(header, str(exc))
        else:
            field = _user_fields.BY_OPTION[step]
            if field.header and field.kind == "phone" and field.header in numbers:
                bad(field.header, NUMBER_CELL)  # even 10 digits that pass: +4722334455 lost its + (never guessed back)
            elif field.header and values.get(field.header):
                bad(field.header, field.problem(values[field.header], _user_fields.FILE))
            elif field.header in REQUIRED:
                bad(field.header, "is required")
    fields = {f.option: _user_fields.file_value(f, values.get(f.header) or "") for f in _user_fields.FIELDS if f.header}
    return UserRow(row=row, previous_name=previous, attributes={name: values[name] for name in attributes if values.get(name)},
                   **fields)


def validate(records: Records, suffixes: dict[str, bool], existing_roles: t.Iterable[str],
             attributes: t.Collection[str] = ()) -> tuple[list[UserRow], list[dict[str, t.Any]]]:
    """Valid rows and every problem. A row with any problem is left out of the valid rows.

    ``attributes`` are the other headers the tenant defines as additional attributes; as a dictionary they map each
    to its column type, and values are checked against it.
    """
    problems: list[dict[str, t.Any]] = list(records.problems)
    rows: list[UserRow] = []
    groups: dict[str, list[int]] = {}
    for number, values in records.rows:
        if number not in records.broken and values.get("Login Name"):
            groups.setdefault(values["Login Name"].lower(), []).append(number)
    renamed: dict[str, list[int]] = {}
    for number, values in records.rows:
        if number not in records.broken and values.get(PREVIOUS_NAME):
            renamed.setdefault(values[PREVIOUS_NAME].lower(), []).append(number)
    roles = set(existing_roles)
    for number, values in records.rows:
        if number in records.broken:
            continue  # its structure is reported already; its values cannot be trusted
        before = len(problems)
        guarded = records.guarded(number, values)
        numbers = {header for header in values if (number, header) in records.numbers} if records.numbers else set()
        user = _check(number, values, suffixes, problems, attributes, guarded, numbers)
        group = groups.get(user.name.lower(), [])
        if len(group) > 1:
            # Every row of the group: which one is meant is not for the import to guess.
            shown = ", ".join(str(n) for n in group[:-1]) + f" and {group[-1]}"
            problems.append(problem(number, "Login Name", user.name,
                                    f"the login name appears {len(group)} times (compared case-insensitively), in rows {shown}"))
        if user.previous_name and user.previous_name.lower() in groups:
            problems.append(problem(number, PREVIOUS_NAME, user.previous_name,
                                    f"is also the Login Name of row {groups[user.previous_name.lower()][0]}: a user is either renamed or kept"))
        elif user.previous_name and len(renamed[user.previous_name.lower()]) > 1:
            problems.append(problem(number, PREVIOUS_NAME, user.previous_name,
                                    f"appears in rows {', '.join(str(n) for n in renamed[user.previous_name.lower()])}: one user gets one new name"))
        missing = [r for r in user.roles if r not in roles and r != "Everybody"]
        if missing:
            hint = ""
            if any(sep in r for r in missing for sep in (";", "|")):
                hint = "; separate roles with commas (and quote the cell in a CSV file), not with ; or |"
            problems.append(problem(number, "Roles", values.get("Roles"),
                                    f"no role named {', '.join(missing)} exists (role names are case-sensitive; create roles first){hint}",
                                    values if guarded else None))
        if len(problems) == before:
            rows.append(user)
    problems.sort(key=lambda p: p["row"])
    return rows, problems


def preview(records: Records, count: int = 15) -> list[dict[str, str]]:
    """The first records as the import wizard shows them, secrets masked."""
    shown = []
    for number, values in records.rows[:count]:
        guarded = records.guarded(number, values)
        shown.append({h: (MASK if (h in SECRET_HEADERS or (guarded and h != "Login Name")) and values.get(h) else values.get(h, ""))
                      for h in HEADERS if h in values})
    return shown
