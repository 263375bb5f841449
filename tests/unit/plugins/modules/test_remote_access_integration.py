# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""remote_access_integration: every problem of the options at once, before any request (the integration password
was once missed only after the tenant's URLs, suffixes and user had been read)."""

from __future__ import annotations

from ansible_collections.cyberark_community.identity.plugins.modules import remote_access_integration


def test_every_bad_option_is_named_at_once():
    errors = remote_access_integration.input_errors({"reauthentication_interval_days": 0, "update_password": "always",
                                                     "integration_password": ""})
    assert len(errors) == 2 and "reauthentication_interval_days" in errors[0] and "integration_password" in errors[1]


def test_good_options_have_no_problem():
    assert remote_access_integration.input_errors({"reauthentication_interval_days": 30, "update_password": "on_create",
                                                   "integration_password": None}) == []
