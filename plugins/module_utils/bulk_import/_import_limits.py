# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The most an import file may hold, so that any file is read or refused in seconds and a bounded amount of memory.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

The controller is often shared (AWX), and an import file may come from anyone. An import takes at most 10,000
accounts; the limits below leave room for every file that holds them (header, blank rows, additional attributes)
and no more. Reading stops as soon as one is passed; the error names the limit.
"""

from __future__ import annotations

import typing as t

# 10,000 rows of 1,000 bytes, five times a generous row of the 14 import fields; a 10,000-user export is about 1.3 MB
# as CSV and 0.4 MB as XLSX. It bounds everything read before the limits below can apply (a CSV is decoded whole).
MAX_FILE_BYTES = 10_000_000
# Row numbers, blank rows and the header included: five times the 10,000 accounts, for spreadsheets with empty
# rows between or below the records. Blank rows cost nothing to import, but a reader must still walk them.
MAX_ROWS = 50_000
# The 14 import fields and up to 86 additional attributes.
MAX_COLUMNS = 100
# Values read, each row counted up to its last value (10,000 rows of 25 columns): the memory and the time of a read
# grow with them (openpyxl reads about 60,000 cells a second).
MAX_CELLS = 250_000


class LimitExceeded(Exception):
    """The file passes one of the limits above; the message names it and where the file passed it."""


def too_many_rows(number: int) -> LimitExceeded:
    return LimitExceeded(f"it has a row numbered {number:,}: an import file may have at most {MAX_ROWS:,} rows, "
                         "blank rows included (delete the empty rows below the last record)")


def too_many_columns(row: int, column: int | None = None) -> LimitExceeded:
    where = f"a value in column {column:,}" if column else f"more than {MAX_COLUMNS:,} values"
    return LimitExceeded(f"row {row} has {where}: an import file may have at most {MAX_COLUMNS:,} columns")


def too_many_cells() -> LimitExceeded:
    return LimitExceeded(f"it holds more than {MAX_CELLS:,} cells (each row counted up to its last value): an import "
                         f"file may hold at most {MAX_CELLS:,}, for example 10,000 rows of 25 columns")


def too_large(size: int) -> LimitExceeded:
    return LimitExceeded(f"it is {size:,} bytes long: an import file may be at most {MAX_FILE_BYTES:,} bytes")


def bounded(rows: t.Iterable[tuple[int, t.Sequence[t.Any]]]) -> t.Iterator[tuple[int, t.Sequence[t.Any]]]:
    """The rows (row number, values) as they come, until one passes a limit: then LimitExceeded, and no further row is read."""
    cells = 0
    for number, values in rows:
        if number > MAX_ROWS:
            raise too_many_rows(number)
        if len(values) > MAX_COLUMNS:
            raise too_many_columns(number)
        cells += len(values)
        if cells > MAX_CELLS:
            raise too_many_cells()
        yield number, values
