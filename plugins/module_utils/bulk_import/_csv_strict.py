# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A strict CSV reader: what Excel writes reads back exactly, anything malformed is a problem with its row and column.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Python's ``csv`` module is lenient: an unterminated quote swallows the following lines into one value, and a quote
inside an unquoted value is kept silently. An import must never merge rows, so this reader follows RFC 4180 strictly.
Rows are numbered as a spreadsheet shows them: the header is row 1, a quoted value with a line break stays in its row.
Rows are handed over one at a time, so that a caller can stop at its limits before a hostile file is held whole.
"""

from __future__ import annotations

import re
import typing as t

_QUOTE_RUN = re.compile(r'"+')
_UNQUOTED = re.compile(r'[^,"\r\n]*')
_REST = re.compile(r"[^,\r\n]*")


class TooManyValues(Exception):
    """A row holds more values than the caller accepts; reading stopped there, before the row was held whole."""

    def __init__(self, row: int, limit: int) -> None:
        super().__init__(f"row {row} has more than {limit:,} values")
        self.row = row
        self.limit = limit


def _closing_quote(text: str, start: int) -> int:
    """Where the quote that closes a value opened before ``start`` stands, or -1.

    Inside quotes a quote is doubled, so the value ends at the first run of quotes of odd length. Runs are found with
    a regular expression that cannot backtrack: a repeated group over a value of millions of characters (an opening
    quote never closed) makes Python's regular expressions hold a stack entry per character, a gigabyte for 10 MB.
    """
    for run in _QUOTE_RUN.finditer(text, start):
        if (run.end() - run.start()) % 2:
            return run.end() - 1
    return -1


def _stray(text: str, position: int, problems: list[dict[str, t.Any]], row: int, column: int, what: str) -> tuple[str, int]:
    """Record a quote where RFC 4180 allows none; read on to the end of the value, so the rest of the row lines up."""
    problems.append({"row": row, "column": column, "message": (
        f'row {row}: value {column} {what}; quote the whole value and double any quote inside it ("")')})
    rest = _REST.match(text, position)
    return rest.group(0), rest.end()


def parse(text: str, problems: list[dict[str, t.Any]], max_values: int | None = None) -> t.Iterator[tuple[int, list[str]]]:
    """Rows as (row number, values), one at a time; problems as {row, column (1-based position), message} are added to
    ``problems`` as they are met.

    Reading stops at an unterminated quote: nothing after it can be told apart from the quoted value. A row with more
    than ``max_values`` values raises TooManyValues before the rest of the row is read.
    """
    position, row, values = 0, 1, []
    end = len(text)
    while True:
        column = len(values) + 1
        if max_values is not None and column > max_values:
            raise TooManyValues(row, max_values)
        if text.startswith('"', position):
            closing = _closing_quote(text, position + 1)
            if closing < 0:
                problems.append({"row": row, "column": column, "message": (
                    f"row {row}: the quote that opens value {column} is never closed; add the closing quote "
                    "(nothing after it can be read)")})
                return
            value = text[position + 1:closing].replace('""', '"')
            position = closing + 1
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
        yield row, values
        values, row = [], row + 1
        if position >= end:
            break
        position += 2 if text.startswith("\r\n", position) else 1
        if position >= end:
            break
