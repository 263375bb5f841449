# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_api: a path that could leave the tenant is refused before anything is sent."""

from __future__ import annotations

import pytest

from ansible_collections.cyberark_community.identity.plugins.modules.identity_api import path_error


@pytest.mark.parametrize("path", ["/CDirectoryService/GetUser", "/Redrock/query", "/OAuth2/Token/app_1", "/api/v1/x-y_z.json"])
def test_paths_on_the_tenant_pass(path):
    assert path_error(path) is None


@pytest.mark.parametrize("path, words", [
    ("https://elsewhere.example/steal", "must be a path"),
    ("//elsewhere.example/steal", "must be a path"),
    ("CDirectoryService/GetUser", "must be a path"),
    ("/Redrock/query?Script=x", "query string"),
    ("/a#frag", "query string"),
    ("/../../etc", ".. segment"),
    ("/a/../b", ".. segment"),
    ("/a\\b", "backslash"),
    ("/a\r\nHost: evil", "control character"),
])
def test_paths_that_could_leave_the_tenant_are_refused(path, words):
    problem = path_error(path)
    assert problem is not None and words in problem
