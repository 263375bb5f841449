# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection defaults live in the argument spec: the doc fragment shows the same ones, and the clients' option classes
take theirs from it."""

from __future__ import annotations

import dataclasses

import yaml

from ansible_collections.cyberark_community.identity.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.cyberark_community.identity.plugins.module_utils import _connection_spec, _module
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions
from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access._remote_access import RemoteAccessOptions

SPEC = _connection_spec.connection_argument_spec()
DOCUMENTED = dict(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"], **yaml.safe_load(ModuleDocFragment.MODULES)["options"])


def test_the_doc_fragment_shows_the_defaults_of_the_spec():
    assert set(DOCUMENTED) == set(SPEC)
    assert {name: option.get("default") for name, option in DOCUMENTED.items()} == \
        {name: option.get("default") for name, option in SPEC.items()}
    assert {name: option["type"] for name, option in DOCUMENTED.items()} == {name: option["type"] for name, option in SPEC.items()}


def test_the_option_classes_take_the_spec_defaults():
    defaults = {field.name: field.default for field in dataclasses.fields(ConnectionOptions)}
    for name, option in SPEC.items():
        if "default" in option:
            assert defaults[name] == option["default"], name
    remote_access = {field.name: field.default for field in dataclasses.fields(RemoteAccessOptions)}
    assert (remote_access["timeout"], remote_access["retries"]) == (SPEC["timeout"]["default"], SPEC["retries"]["default"])


def test_the_module_wrapper_merges_the_same_spec():
    assert _module.identity_argument_spec() == SPEC
    assert _module.connection_argument_spec is _connection_spec.connection_argument_spec
