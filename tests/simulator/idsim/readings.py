# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Disputed readings: where public sources disagree on how the service reads a request, the simulator offers each
plausible reading as a switch (``/_sim/config`` ``{"readings": {...}}`` or ``--reading NAME=VALUE``), so that tests can
run the collection under every one. docs/api_sources.md names the sources of each."""

from __future__ import annotations

READINGS = {
    # Redrock's args.Limit: idsec-sdk-golang (users service, listUsers) sends the rows still wanted on every page, the
    # collection once sent the page size; no source says how the service applies it.
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
}


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
