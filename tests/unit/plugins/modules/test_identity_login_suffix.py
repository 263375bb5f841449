# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_login_suffix: every problem of the options at once, before any request."""

from __future__ import annotations

from ansible_collections.cyberark_community.identity.plugins.modules import identity_login_suffix


def test_every_bad_option_is_named_at_once():
    errors = identity_login_suffix.input_errors({"name": "bad name!", "domain": "also bad!"})
    assert [e.split(":")[0] for e in errors] == ["name", "domain"]


def test_a_login_name_given_as_the_suffix_is_explained():
    errors = identity_login_suffix.input_errors({"name": "jane@acme.com", "domain": None})
    assert len(errors) == 1 and "give the part after @" in errors[0]


def test_good_options_have_no_problem():
    assert identity_login_suffix.input_errors({"name": "Acme.com ", "domain": "acme.com"}) == []
