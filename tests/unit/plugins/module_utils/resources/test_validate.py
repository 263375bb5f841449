# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The input rules' regular expressions against Python's own character classes, over every code point."""

from __future__ import annotations

import sys

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _validate


def every_character():
    return (chr(point) for point in range(sys.maxunicode + 1))


def test_a_login_holds_exactly_what_isalnum_and_the_symbols_allow():
    # The regular expression login_name_error uses, against the rule it stands for (checked on a name too).
    login_re, symbols = _validate._LOGIN_RE, _validate.LOGIN_SYMBOLS  # pylint: disable=protected-access
    wrong = [c for c in every_character() if bool(login_re.fullmatch(c)) != (c.isalnum() or c in symbols)]
    assert wrong == []
    assert _validate.login_name_error("jé.2+x_y-z@acme.com") is None and _validate.login_name_error("a b@acme.com")


def test_control_characters_are_exactly_those_below_32_and_delete():
    control_re = _validate._CONTROL_RE  # pylint: disable=protected-access
    wrong = [c for c in every_character() if bool(control_re.search(c)) != (ord(c) < 32 or ord(c) == 127)]
    assert wrong == []
