# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/security.md names a test for each promise: every file and test it names exists, and every promise has one."""

from __future__ import annotations

import os
import re

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(os.path.dirname(TESTS), "docs", "security.md")
# `unit/....py::Name::name[params]` or a path alone; a bare `::name` continues the last file named before it
REFERENCE = re.compile(r"`((?:unit|integration)/[\w/.-]+)?((?:::[\w]+)*)(?:\[[^\]]*\])?`")


def references() -> list[tuple[str, list[str]]]:
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    found, current = [], None
    for path, names in REFERENCE.findall(text):
        current = path or current
        if current is None:
            continue
        found.append((current, [n for n in names.split("::") if n]))
    return found


def test_every_test_the_security_doc_names_exists():
    refs = references()
    assert len(refs) > 40
    for path, names in refs:
        full = os.path.join(TESTS, path)
        assert os.path.exists(full), f"docs/security.md names {path}, which does not exist"
        if os.path.isfile(full) and names:
            with open(full, encoding="utf-8") as handle:
                source = handle.read()
            for name in names:
                assert re.search(rf"(def|class) {name}\b", source), f"docs/security.md names {path}::{name}, which does not exist"


def test_every_promise_row_names_a_test():
    with open(DOC, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    rows = [line for line in lines if line.startswith("| ") and not line.startswith(("| ---", "| Promise", "| Asset", "| Adversary"))]
    promises = [row for row in rows if row.count("|") == 3 and ("`unit/" in row or "`integration/" in row or "see [" in row)]
    unnamed = [row for row in rows if row.count("|") == 3 and row not in promises and not row.startswith(("| **",))]
    assert promises and unnamed == []
