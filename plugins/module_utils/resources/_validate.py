# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Input rules for Cloud Directory users, checked before anything is sent.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Each check returns None when the value is fine, else a sentence that says what
is wrong (the caller adds the field name, or the row and column of a file).
Rules from CyberArk's "Add CyberArk Cloud Directory Users" page.
"""

from __future__ import annotations

import datetime
import functools
import re

LOGIN_SYMBOLS = "+-_."
MAX_DESCRIPTION = 128
# No public source states these limits (docs/api_sources.md, UNVERIFIED); they bound what is sent, as
# directories commonly do (a host name is at most 253 characters, a login name with its suffix at most 255).
MAX_LOGIN_NAME = 255
MAX_ROLE_NAME = 255
MAX_SUFFIX = 253
_EMAIL_RE = re.compile(r"^[^@\s,;<>()\[\]\"']+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f]")
# str.isalnum() and the symbols: \w is exactly isalnum() plus the underscore, one of the symbols.
_LOGIN_RE = re.compile(r"[\w+\-.]+")
_PHONE_RES = (re.compile(r"^\d{10}$"), re.compile(r"^\d{3}-\d{3}-\d{4}$"), re.compile(r"^\+[1-9]\d{1,14}$"))
PASSWORD_RULE = "at least 8 characters with a digit, an upper case and a lower case letter"


def split_login(name: str) -> tuple[str, str]:
    """``login@suffix`` as (login, suffix); the suffix is what follows the last ``@``."""
    login, sep, suffix = (name or "").rpartition("@")
    if not sep:
        return name or "", ""
    return login, suffix


def control_error(value: str) -> str | None:
    """Control characters (line breaks, NUL, ...) have no place in a name or a query value."""
    if _CONTROL_RE.search(value or ""):
        return "holds a control character (a line break, tab or other invisible character)"
    return None


def login_name_error(name: str) -> str | None:
    """The login part may hold UTF-8 letters and digits plus + - _ . and must be followed by @suffix."""
    if len(name or "") > MAX_LOGIN_NAME:
        return f"is {len(name)} characters long; a login name with its suffix may have at most {MAX_LOGIN_NAME}"
    problem = control_error(name)
    if problem:
        return problem
    login, suffix = split_login(name)
    if not suffix:
        return f"{name!r} must be a login name with its suffix, for example jane.doe@acme.com"
    if not login:
        return f"{name!r} has nothing before @{suffix}"
    if not _LOGIN_RE.fullmatch(login):
        bad = sorted({ch for ch in login if not (ch.isalnum() or ch in LOGIN_SYMBOLS)})
        return f"{name!r} has characters a login name cannot hold ({' '.join(repr(c) for c in bad)}); use letters, digits and + - _ ."
    problem = suffix_error(suffix)
    if problem:
        return f"{name!r}: its suffix {problem}"
    return None


def provisioned_by_cyberark(name: str) -> bool:
    """Whether a login name is one only CyberArk gives: a ``$`` in its login part, outside the characters an
    administrator may use (the Remote Access integration's ``alero-integration-user$``)."""
    return "$" in split_login(name or "")[0]


@functools.lru_cache(maxsize=256)  # a file's rows share a few suffixes
def suffix_error(name: str) -> str | None:
    """A login suffix is a domain-like name: labels of letters, digits and inner dashes, separated by dots."""
    text = name or ""
    if not text.strip():
        return "must not be empty"
    if len(text) > MAX_SUFFIX:
        return f"is {len(text)} characters long; the most is {MAX_SUFFIX}"
    for label in text.split("."):
        if not label or not all(ch.isalnum() or ch == "-" for ch in label) or label.startswith("-") or label.endswith("-"):
            return (f"{text[:80]!r} is not a valid suffix: use letters, digits and dashes in dot-separated parts, "
                    "for example acme.com")
    return None


def role_name_error(name: str) -> str | None:
    """A role name: not blank, no control characters, bounded length."""
    text = name or ""
    if not text.strip():
        return "must not be empty"
    if len(text) > MAX_ROLE_NAME:
        return f"is {len(text)} characters long; a role name may have at most {MAX_ROLE_NAME}"
    return control_error(text)


def email_error(value: str) -> str | None:
    """Exactly one address of a valid form; placeholders like N/A are refused."""
    text = (value or "").strip()
    if any(sep in text for sep in (",", ";", " ")) and text.count("@") > 1:
        return f"{value!r} holds more than one address; give exactly one"
    if not _EMAIL_RE.match(text):
        return f"{value!r} is not a valid email address"
    return None


def phone_error(value: str) -> str | None:
    """US 1234567890 or 123-456-7890, or E.164 (+ and up to 15 digits)."""
    if any(pattern.match(value or "") for pattern in _PHONE_RES):
        return None
    return f"{value!r} is not a phone number in the form 1234567890, 123-456-7890 or E.164 (+14155550100)"


def description_error(value: str, allow_punctuation: bool = True) -> str | None:
    if control_error(value.replace("\n", " ").replace("\t", " ")):
        return control_error(value.replace("\n", " ").replace("\t", " "))
    if len(value) > MAX_DESCRIPTION:
        return f"is {len(value)} characters long; the limit is {MAX_DESCRIPTION}"
    if not allow_punctuation:
        marks = sorted({ch for ch in value if not (ch.isalnum() or ch.isspace())})
        if marks:
            return f"must not hold punctuation ({' '.join(marks)})"
    return None


def password_error(value: str) -> str | None:
    """The documented default policy; the tenant's own policy may be stricter and is enforced by the tenant."""
    if len(value) < 8 or not re.search(r"\d", value) or not re.search(r"[A-Z]", value) or not re.search(r"[a-z]", value):
        return f"does not meet the default password policy ({PASSWORD_RULE})"
    return None


def parse_date(value: str) -> str | None:
    """``YYYY-MM-DD`` or an ISO 8601 date and time, in the form the API reference shows for ``AccountExp``: a UTC date
    and time with ``Z`` (``2027-01-31T00:00:00Z``; a date is its midnight, a time without offset is UTC). None when the
    value is neither."""
    text = (value or "").strip()
    try:
        day = datetime.date.fromisoformat(text)
        moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
    except ValueError:
        try:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
    try:
        moment = moment.astimezone(datetime.timezone.utc)
    except OverflowError:  # an offset that pushes year 1 or 9999 out of range
        return None
    if not 1900 <= moment.year <= 9999:  # no account expires before the service existed; %Y pads no earlier year
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
