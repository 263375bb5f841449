# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Spreadsheet cells a spreadsheet will not run: OWASP's CSV injection rule, made reversible for the import.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
leading tab, carriage return or line feed can hide such a cell. A value that starts with one of these characters is
written with an apostrophe in front (spreadsheets show it as text). So that the import reads back exactly what was
exported, a value that starts with an apostrophe gets one more, and the import takes off one apostrophe that is
followed by a protected character or another apostrophe: ``restore(neutralise(s)) == s`` for every string.
"""

from __future__ import annotations

APOSTROPHE = "'"
# OWASP's list (= + - @ tab CR) with ASVS's NUL, the line feed, and the full-width forms some spreadsheets read as the
# same operators.
FORMULA_STARTS = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")
# Characters an apostrophe in front of a value stands for: the import takes it off only before one of them.
PROTECTED_STARTS = FORMULA_STARTS | {APOSTROPHE}


def neutralise(value: str) -> str:
    """``value`` as a cell no spreadsheet runs: an apostrophe in front of a formula character or an apostrophe."""
    return APOSTROPHE + value if value[:1] in PROTECTED_STARTS else value


def restore(value: str) -> str:
    """The value ``neutralise`` was given: one apostrophe off when a protected character follows it."""
    return value[1:] if value[:1] == APOSTROPHE and value[1:2] in PROTECTED_STARTS else value
