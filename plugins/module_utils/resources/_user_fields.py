# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A Cloud Directory user's fields, described once: every table that names them is derived from ``FIELDS``.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Adding a field is one entry here (plus, when the import file carries it, one attribute of ``_import_rows.UserRow``,
which a unit test holds to this table), and teaching the simulator, which models the service and so keeps its own
list on purpose. Each entry says:

- ``option``: the name in identity_user's options and results, in ``UserRow`` and in inline import records;
- ``header``: the import file's header (the export writes the same), or None when the file has no such column;
- ``wire``: the field ``CreateUser`` / ``ChangeUser`` take; ``column``: the ``CDUser`` column it is read back from;
- ``access``: ``readable`` (compared with what the tenant holds), ``write_only`` (no public read shows it: sent on
  create, or again when told to), ``create_only`` (sent with ``CreateUser``, never changed after);
- ``kind``: the value's rule (``KINDS``). Two channels check values: ``task`` (identity_user's options) and ``file``
  (an import row). They differ on purpose in one place: a description in an import file may not hold punctuation,
  which the service's import refuses (docs/docsite/rst/bulk_import.rst), while ``ChangeUser`` takes it.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _validate

TASK = "task"
FILE = "file"

READABLE = "readable"
WRITE_ONLY = "write_only"
CREATE_ONLY = "create_only"


@dataclasses.dataclass(frozen=True)
class UserField:
    option: str
    kind: str
    access: str
    header: str | None = None
    wire: str | None = None
    column: str | None = None
    on_create: bool = True  # sent with CreateUser (the account expiry goes with a ChangeUser right after)
    required: bool = False  # the import file's row must give it

    def problem(self, value: t.Any, channel: str) -> str | None:
        """What is wrong with ``value`` under this field's rule for ``channel`` (None when nothing is)."""
        return KINDS[self.kind](value, channel)

    def task_error(self, value: t.Any) -> str | None:
        """The problem as identity_user names it: the option first (``email: 'x' is not ...``)."""
        problem = self.problem(value, TASK)
        if problem is None:
            return None
        return f"{self.option}{_TASK_SEPARATOR.get(self.kind, ': ')}{problem}"


def _date_problem(value: t.Any, channel: str) -> str | None:
    if _validate.parse_date(value) is not None:
        return None
    if channel == TASK:
        return f"{value!r} is not a date (YYYY-MM-DD) or an ISO 8601 date and time"
    return "is not a date (YYYY-MM-DD or an ISO 8601 date and time)"


def _flag_problem(value: t.Any, channel: str) -> str | None:
    if channel == TASK or isinstance(value, bool):
        return None  # Ansible's argument spec has typed it
    return None if str(value).strip().lower() in TRUE_WORDS + FALSE_WORDS else "must be True, t, yes, y or False, f, no, n"


TRUE_WORDS = ("true", "t", "yes", "y")
FALSE_WORDS = ("false", "f", "no", "n")

# kind -> check(value, channel): the rule of each kind of value, in one place
KINDS: dict[str, t.Callable[[t.Any, str], str | None]] = {
    "login": lambda value, channel: _validate.login_name_error(value),
    "email": lambda value, channel: _validate.email_error(value),
    "text": lambda value, channel: None,
    "description": lambda value, channel: _validate.description_error(value, allow_punctuation=channel == TASK),
    "phone": lambda value, channel: _validate.phone_error(value),
    "password": lambda value, channel: _validate.password_error(value),
    "date": _date_problem,
    "flag": _flag_problem,
    "roles": lambda value, channel: None,  # checked against the tenant's roles, not by form
}
# identity_user's messages: "email: 'x' is not ..." but "description is 129 characters long"
_TASK_SEPARATOR = {"description": " ", "password": " "}

# In the import file's column order (the service's import wizard); fields without a header follow.
FIELDS: tuple[UserField, ...] = (
    UserField("name", "login", READABLE, header="Login Name", wire="Name", column="Name", required=True),
    UserField("email", "email", READABLE, header="Email Address", wire="Mail", column="Mail", required=True),
    UserField("display_name", "text", READABLE, header="Display Name", wire="DisplayName", column="DisplayName"),
    UserField("description", "description", READABLE, header="Description", wire="Description", column="Description"),
    UserField("office_number", "phone", READABLE, header="Office Number", wire="OfficeNumber", column="OfficeNumber"),
    UserField("mobile_number", "phone", READABLE, header="Mobile number", wire="MobileNumber", column="MobileNumber"),
    UserField("home_number", "phone", READABLE, header="Home number", wire="HomeNumber", column="HomeNumber"),
    UserField("roles", "roles", READABLE, header="Roles"),  # role grants, not a field of the user
    UserField("account_expiry", "date", WRITE_ONLY, header="Expiration Date", wire="AccountExp", on_create=False),
    UserField("password", "password", WRITE_ONLY, header="Password", wire="Password"),
    UserField("force_password_change", "flag", WRITE_ONLY, header="Require Password Change", wire="ForcePasswordChangeNext"),
    UserField("password_never_expires", "flag", WRITE_ONLY, header="Password Never Expires", wire="PasswordNeverExpire"),
    # the manager: a login name in options and files, an ID on the wire (``ReportsTo``)
    UserField("reports_to", "login", READABLE, header="Reports to", wire="ReportsTo", column="ReportsTo"),
    UserField("service_user", "flag", CREATE_ONLY, wire="ServiceUser"),
    # read from GetUser (not CDUser), and the one flag identity_user turns on and off
    UserField("oauth_client", "flag", READABLE, wire="OauthClient"),
    UserField("in_everybody_role", "flag", CREATE_ONLY, wire="InEverybodyRole", column="InEverybodyRole"),
)
BY_OPTION = {f.option: f for f in FIELDS}

# The order each channel names its problems in (as since 1.0). Steps in angle brackets are the import's own checks
# (the login suffix on the tenant, Previous Login Name, additional attributes); a field missing here is checked last.
TASK_CHECK_ORDER = ("name", "email", "reports_to", "office_number", "mobile_number", "home_number", "description", "password",
                    "account_expiry")
FILE_CHECK_ORDER = ("name", "<suffix>", "email", "description", "office_number", "mobile_number", "home_number", "password",
                    "reports_to", "<previous>", "account_expiry", "<attributes>", "force_password_change", "password_never_expires")


def check_order(channel: str) -> tuple[str, ...]:
    """The channel's steps: its order, then any other field with a rule in that channel (a new field is never skipped)."""
    order = TASK_CHECK_ORDER if channel == TASK else FILE_CHECK_ORDER
    checked = [f.option for f in FIELDS if (f.header or channel == TASK) and f.kind not in ("text", "roles")]
    return order + tuple(option for option in checked if option not in order)


# Derived tables
HEADERS = tuple(f.header for f in FIELDS if f.header)  # the import file's default headers, in its order
HEADER_OPTIONS = tuple(f.option for f in FIELDS if f.header)  # the options they carry, in the same order
REQUIRED_HEADERS = tuple(f.header for f in FIELDS if f.required and f.header)
SECRET_HEADERS = tuple(f.header for f in FIELDS if f.kind == "password" and f.header)
CDUSER_COLUMNS = ("ID",) + tuple(f.column for f in FIELDS if f.column)
# option -> wire field, compared with the CDUser row (the login name is the key, not a compared field)
READABLE_FIELDS = {f.option: f.wire for f in FIELDS if f.access == READABLE and f.column and f.option != "name"}
# option -> wire field, for what no public endpoint returns
WRITE_ONLY_FIELDS = {f.option: f.wire for f in FIELDS if f.access == WRITE_ONLY and f.kind != "password"}
# option -> wire field, for what CreateUser takes
CREATE_FIELDS = {f.option: f.wire for f in FIELDS if f.wire and f.on_create and f.option != "name"}
# identity_user compares these with the tenant: the CDUser fields and the OAuth flag from GetUser
TASK_COMPARED = {f.option: f.wire for f in FIELDS if f.access == READABLE and f.wire and f.option != "name"}
# the export's plain columns: header -> CDUser column (the manager and the roles are resolved by name)
EXPORT_COLUMNS = {f.header: f.column for f in FIELDS if f.header and f.column and (f.kind != "login" or f.option == "name")}
# the bulk import's compared fields: the readable ones but the manager (compared by ID once resolved)
FILE_COMPARED = {option: wire for option, wire in READABLE_FIELDS.items() if option != "reports_to"}


def file_form(field: UserField, value: t.Any) -> str:
    """``value`` as an import file cell (the service's import reads ``True``/``False`` and comma-separated roles)."""
    if value is None:
        return ""
    if field.kind == "flag":
        return "True" if value else "False"
    if field.kind == "roles":
        return ", ".join(value)
    return str(value)


def file_value(field: UserField, cell: str) -> t.Any:
    """An import cell (checked already) as the value of ``UserRow``; an empty cell is None (leave alone)."""
    if field.kind == "roles":
        return [r.strip() for r in cell.split(",") if r.strip()]
    if not cell:
        return "" if field.required else None
    if field.kind == "flag":
        return cell.strip().lower() in TRUE_WORDS
    if field.kind == "date":
        return _validate.parse_date(cell)
    return cell
