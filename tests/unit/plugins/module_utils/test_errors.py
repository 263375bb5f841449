# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's error types: all in one file, and what a failed task shows of them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from ansible_collections.cyberark_community.identity.plugins import module_utils
from ansible_collections.cyberark_community.identity.plugins.module_utils import _errors


def every_module_util():
    for info in pkgutil.walk_packages(module_utils.__path__, module_utils.__name__ + "."):
        yield importlib.import_module(info.name)


def test_every_error_type_of_the_collection_lives_in_errors():
    defined_elsewhere = sorted(
        f"{module.__name__}.{name}" for module in every_module_util()
        for name, value in vars(module).items()
        if inspect.isclass(value) and issubclass(value, _errors.IdentityError) and value.__module__ == module.__name__
        and module is not _errors)
    assert defined_elsewhere == []


def test_a_failed_task_shows_the_message_and_only_the_details_given():
    error = _errors.ApiError("POST /X failed", method="POST", path="/X", status=400, api_message="bad", error_id=None)
    assert error.to_fail_kwargs() == {"msg": "POST /X failed",
                                      "error": {"method": "POST", "path": "/X", "status": 400, "api_message": "bad"}}
    assert _errors.ConfigurationError("name: is required").to_fail_kwargs() == {"msg": "name: is required"}


def test_import_file_errors_carry_their_problems():
    error = _errors.ImportFileError("bad headers", [{"row": 1, "column": "Login Name", "message": "is required"}])
    assert isinstance(error, _errors.ConfigurationError) and error.problems[0]["column"] == "Login Name"
    assert _errors.ImportFileError("empty").problems == []
    assert issubclass(_errors.AmbiguousWriteError, _errors.TransportError)
