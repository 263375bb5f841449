# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A strict CSV reader: what Excel writes reads back exactly, anything malformed is a problem with its row and column.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Python's ``csv`` module is lenient: an unterminated quote swallows the following lines into one value, and a quote
inside an unquoted value is kept silently. An import must never merge rows, so this reader follows RFC 4180 strictly.
Rows are numbered as a spreadsheet shows them: the header is row 1, a quoted value with a line break stays in its row.
"""

from __future__ import annotations

import re
import typing as t

_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_UNQUOTED = re.compile(r'[^,"\r\n]*')
_REST = re.compile(r"[^,\r\n]*")


def _stray(text: str, position: int, problems: list[dict[str, t.Any]], row: int, column: int, what: str) -> tuple[str, int]:
    """Record a quote where RFC 4180 allows none; read on to the end of the value, so the rest of the row lines up."""
    problems.append({"row": row, "column": column, "message": (
        f'row {row}: value {column} {what}; quote the whole value and double any quote inside it ("")')})
    rest = _REST.match(text, position)
    return rest.group(0), rest.end()


def parse(text: str) -> tuple[list[tuple[int, list[str]]], list[dict[str, t.Any]]]:
    """(rows as (row number, values), problems as {row, column (1-based position), message}).

    Reading stops at an unterminated quote: nothing after it can be told apart from the quoted value.
    """
    rows: list[tuple[int, list[str]]] = []
    problems: list[dict[str, t.Any]] = []
    position, row, values = 0, 1, []
    end = len(text)
    while True:
        column = len(values) + 1
        if text.startswith('"', position):
            match = _QUOTED.match(text, position)
            if match is None:
                problems.append({"row": row, "column": column, "message": (
                    f"row {row}: the quote that opens value {column} is never closed; add the closing quote "
                    "(nothing after it can be read)")})
                return rows, problems
            value = match.group(1).replace('""', '"')
            position = match.end()
            if position < end and text[position] not in ",\r\n":
                rest, position = _stray(text, position, problems, row, column, "goes on after its closing quote")
                value += rest
        else:
            match = _UNQUOTED.match(text, position)
            value = match.group(0)
            position = match.end()
            if text.startswith('"', position):
                rest, position = _stray(text, position, problems, row, column, "holds a quote but does not start with one")
                value += rest
        values.append(value)
        if position < end and text[position] == ",":
            position += 1
            continue
        rows.append((row, values))
        values, row = [], row + 1
        if position >= end:
            break
        position += 2 if text.startswith("\r\n", position) else 1
        if position >= end:
            break
    return rows, problems
