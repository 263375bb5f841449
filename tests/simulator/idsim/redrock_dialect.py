# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Redrock dialect the simulator accepts: only constructs CyberArk's SDKs or API docs show.

SQLite would run anything; the service may not. A script the simulator refuses is one no public source shows working:

    SELECT <columns | *> FROM <table> [WHERE <condition>] [ORDER BY <column> [COLLATE NOCASE] [ASC | DESC]]
    <condition> := <column> = '<text>' | <column> LIKE '<text>' | <condition> AND|OR <condition> | ( <condition> )

Sources: ark-sdk-python and idsec-sdk-golang users services (``WHERE Username='…'``, ``WHERE ID='…'``), the "Search
for users" docs (``LIKE '%…%'``), IdentityCommand ``Get-IDRole`` (``ORDER BY Name COLLATE NOCASE``).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|([A-Za-z_][A-Za-z0-9_]*)|(\*|=|,|\(|\)))")
KEYWORDS = {"SELECT", "FROM", "WHERE", "AND", "OR", "LIKE", "ORDER", "BY", "COLLATE", "NOCASE", "ASC", "DESC"}


class DialectError(ValueError):
    """A construct no public source shows the service accepting."""


def _tokens(script: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = script.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise DialectError(f"unsupported text at {text[position:position + 20]!r}")
        literal, word, symbol = match.groups()
        if literal is not None:
            tokens.append(("literal", literal))
        elif word is not None:
            tokens.append(("keyword", word.upper()) if word.upper() in KEYWORDS else ("name", word))
        else:
            tokens.append(("symbol", symbol))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            shown = token[1] if token else "the end"
            raise DialectError(f"expected {value or kind} but found {shown!r}")
        self.index += 1
        return token[1]

    def accept(self, kind: str, value: str) -> bool:
        if self.peek() == (kind, value):
            self.index += 1
            return True
        return False

    def script(self) -> None:
        self.take("keyword", "SELECT")
        if not self.accept("symbol", "*"):
            self.take("name")
            while self.accept("symbol", ","):
                self.take("name")
        self.take("keyword", "FROM")
        self.take("name")
        if self.accept("keyword", "WHERE"):
            self.condition()
        if self.accept("keyword", "ORDER"):
            self.take("keyword", "BY")
            self.take("name")
            if self.accept("keyword", "COLLATE"):
                self.take("keyword", "NOCASE")
            if not self.accept("keyword", "ASC"):
                self.accept("keyword", "DESC")
        if self.peek() is not None:
            raise DialectError(f"unsupported construct at {self.peek()[1]!r}")

    def condition(self) -> None:
        self.term()
        while self.accept("keyword", "AND") or self.accept("keyword", "OR"):
            self.term()

    def term(self) -> None:
        if self.accept("symbol", "("):
            self.condition()
            self.take("symbol", ")")
            return
        self.take("name")
        if not self.accept("symbol", "="):
            self.take("keyword", "LIKE")
        self.take("literal")


def check(script: str) -> None:
    """Raise DialectError when ``script`` uses a construct outside the documented dialect."""
    _Parser(_tokens(script)).script()


def joins_with_or(script: str) -> bool:
    """Whether ``script`` joins conditions with OR (outside quoted values)."""
    return ("keyword", "OR") in _tokens(script)
