# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Disputed readings: where public sources disagree on how the service reads a request, the simulator offers each
plausible reading as a switch (``/_sim/config`` ``{"readings": {...}}`` or ``--reading NAME=VALUE``), so that tests can
run the collection under every one. docs/api_sources.md names the sources of each."""

from __future__ import annotations

READINGS = {
    # Redrock's args.Limit: idsec-sdk-golang (users service, listUsers) sends the rows still wanted on every page (a
    # cap on the total); CyberArk's "Use queries" page calls it the most results of the page asked (a cap per page).
    "redrock_limit": {
        "choices": ("ignored", "total_before_paging", "page_cap"),
        "default": "ignored",
        "meaning": "ignored: Limit changes nothing; total_before_paging: the query's rows are cut to Limit before they "
                   "are paged (FullCount stays the uncut count); page_cap: a page holds at most Limit rows",
    },
    # Core/DeleteAliases: the only public example of a successful delete answers State 1 (COMMUNITY); the collection
    # once took anything but 0 as a failure.
    "delete_aliases_state": {
        "choices": ("0", "1"),
        "default": "0",
        "meaning": "the Result.State a successful Core/DeleteAliases answers",
    },
    # ChangeUser's AccountExp: the API reference's only sample is a date-time with Z (2019-08-24T14:15:22Z); no source
    # shows a bare date accepted.
    "account_exp_form": {
        "choices": ("date_time_z", "any_iso"),
        "default": "date_time_z",
        "meaning": "date_time_z: only YYYY-MM-DDTHH:MM:SS[.fff]Z is accepted; any_iso: a date or any ISO 8601 date and time",
    },
    # ExtData values: Bruno says SetColumns values must match the column definition and GetColumns answers typed values
    # (JSON booleans); idsec-sdk-golang sends every value as a string and its schema fixtures name the types Text and
    # Int. The collection once compared and sent every value as text.
    "ext_data_values": {
        "choices": ("typed", "strings", "text_only"),
        "default": "typed",
        "meaning": "typed: SetColumns refuses a value whose JSON type does not match the column type (Boolean: a JSON "
                   "boolean, Int: a number, Date: YYYY-MM-DD), GetColumns answers typed values (dates as /Date(ms)/); "
                   "strings: every value is taken and answered as text (a JSON true is stored as .NET prints it, True); "
                   "text_only: as idsec-sdk-golang sends them, only text is taken (SetColumns refuses a JSON boolean or "
                   "number), and answered",
    },
    # Equalities joined by OR in a Redrock WHERE: the collection's lookups by name and ID join up to 100; CyberArk's
    # SDKs look one name up at a time (idsec's search joins a few LIKE conditions by OR); no source shows many.
    "redrock_or": {
        "choices": ("accepted", "refused"),
        "default": "accepted",
        "meaning": "refused: a script whose WHERE holds OR fails (success false), as a dialect without it would",
    },
    # Core/StoreAlias: Bruno sends the arguments in the query string, the portal capture in a JSON body.
    "store_alias_args": {
        "choices": ("either", "body", "query"),
        "default": "either",
        "meaning": "where Core/StoreAlias reads alias, cdsAlias, domain and oldName: either place, only the JSON body, "
                   "or only the query string",
    },
    # TenantCnames/SetPreferred and /Unregister: Bruno sends customCname in the query string with the bare prefix,
    # IdentityCommand (released) in a JSON body with the full host name. Register takes ?cnamePrefix= in both.
    "tenant_cnames_args": {
        "choices": ("either", "query", "body"),
        "default": "either",
        "meaning": "where SetPreferred and Unregister read customCname: either place, only the query string (the bare "
                   "prefix), or only a JSON body (the full host name)",
    },
    # GetUsersFromCsvFile's file part: one community commit names it Icon; nothing shows whether the service insists.
    "import_part": {
        "choices": ("icon", "any"),
        "default": "icon",
        "meaning": "icon: only a file part named Icon is read; any: the first file part, whatever its name",
    },
    # SubmitUploadedFile's Result: one community commit shows a JSON-encoded string holding a second envelope.
    "submit_result": {
        "choices": ("string", "object"),
        "default": "string",
        "meaning": "string: Result is the inner envelope encoded as a JSON string; object: Result is the inner envelope",
    },
    # UserMgmt/RemoveUsers: the contract, idsec-sdk-golang and Bruno send a flat list of IDs, ark-sdk-python 2.1 a
    # list holding that list.
    "remove_users_list": {
        "choices": ("either", "flat", "nested"),
        "default": "either",
        "meaning": "the Users list UserMgmt/RemoveUsers reads: flat or nested, only flat, or only a list holding the list",
    },
    # TenantCnames/UiGet's CnameType: Bruno's UiGet example shows a name (System), its Get example a number (1 for
    # the system URL); the numbers of the other types are shown nowhere.
    "cname_type": {
        "choices": ("name", "number"),
        "default": "name",
        "meaning": "name: UiGet answers System, Preferred, Other; number: 1 for System, 2 for Preferred, 0 for Other",
    },
    # Booleans in answers: the reference pages show JSON booleans (idsec-sdk-golang reads InEverybodyRole and
    # OauthClient as such); CyberArk's SDKs send several flags as strings, so the service reads both in requests.
    "answer_booleans": {
        "choices": ("json", "string"),
        "default": "json",
        "meaning": "json: booleans in a Result are JSON booleans; string: they are the strings true and false",
    },
    # Case folding of login names: CyberArk's SDKs look users up by the lower-cased name, which says the service
    # compares without case, not whether it folds letters beyond ASCII (SQLite's NOCASE folds only A-Z).
    "name_folding": {
        "choices": ("unicode", "ascii"),
        "default": "unicode",
        "meaning": "how the tenant compares login names: unicode: any letter's case (Élise is élise); ascii: only A-Z "
                   "(Élise and élise are two users)",
    },
    # Roles/GetRoleMembers' Type: Centrify's Terraform lineage switches on User, Group and Role; CyberArk's SDKs upper-case
    # whatever comes (their unit fixtures use user and group, made up).
    "member_type_case": {
        "choices": ("title", "lower"),
        "default": "title",
        "meaning": "the Type of a Roles/GetRoleMembers row: title: User, Group, Role; lower: user, group, role",
    },
    # SaasManage/AddUsersAndGroupsToRole and RemoveUsersAndGroupsFromRole: CyberArk's SDKs send one list (Users, Groups
    # or Roles) per call; IdentityCommand sends all three in one body.
    "member_lists": {
        "choices": ("any", "one_per_call"),
        "default": "any",
        "meaning": "any: Users, Groups and Roles may come together; one_per_call: a body with more than one non-empty "
                   "list is refused",
    },
}


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def name_fold(reading: str):
    """How the tenant folds a login name for comparison under the ``name_folding`` reading."""
    if reading == "ascii":
        return lambda name: name.translate(_ASCII_LOWER)
    return str.lower


def defaults() -> dict[str, str]:
    return {name: reading["default"] for name, reading in READINGS.items()}


def checked(readings: dict[str, str]) -> dict[str, str]:
    """``readings`` over the defaults; ValueError names an unknown reading or value."""
    merged = defaults()
    for name, value in readings.items():
        if name not in READINGS:
            raise ValueError(f"unknown reading {name!r}; known: {', '.join(sorted(READINGS))}")
        if value not in READINGS[name]["choices"]:
            raise ValueError(f"reading {name} must be one of {', '.join(READINGS[name]['choices'])} (got {value!r})")
        merged[name] = value
    return merged


def parse_option(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` from the command line."""
    name, _sep, value = text.partition("=")
    checked({name: value})
    return name, value
