# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The doc fragments parse, and the connection fragments document exactly the options the argument specs take, with
their types and secrets hidden."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.cyberark_community.identity.plugins.doc_fragments import attributes, connection, remote_access
from ansible_collections.cyberark_community.identity.plugins.module_utils import _module
from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access import _remote_access_options


@pytest.mark.parametrize("fragment, spec", [
    ((connection.ModuleDocFragment.DOCUMENTATION, connection.ModuleDocFragment.MODULES), _module.connection_argument_spec()),
    ((remote_access.ModuleDocFragment.DOCUMENTATION,), _remote_access_options.remote_access_argument_spec()),
], ids=["connection", "remote_access"])
def test_a_connection_fragment_documents_the_spec(fragment, spec):
    documented = {name: option for part in fragment for name, option in yaml.safe_load(part)["options"].items()}
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        assert documented[name]["type"] == option["type"], name
        assert documented[name].get("elements") == option.get("elements"), name
        assert documented[name].get("choices") == option.get("choices"), name
        assert not documented[name].get("required"), name  # each may come from the environment instead


def test_the_attribute_fragments_parse_and_describe_check_and_diff_mode():
    for name in ("DOCUMENTATION", "FACTS", "WRITER", "INFO"):
        parsed = yaml.safe_load(getattr(attributes.ModuleDocFragment, name))
        assert isinstance(parsed, dict) and parsed, name
    for name in ("WRITER", "INFO"):
        assert {"check_mode", "diff_mode"} <= set(yaml.safe_load(getattr(attributes.ModuleDocFragment, name))["attributes"]), name


def test_the_lookups_fragment_is_the_connection_options_with_no_declared_default():
    modules = yaml.safe_load(connection.ModuleDocFragment.MODULES)
    lookups = yaml.safe_load(connection.ModuleDocFragment.PLUGINS)
    assert sorted(lookups["options"]) == sorted(modules["options"])
    assert not [name for name, option in lookups["options"].items() if "default" in option]
    for name, option in modules["options"].items():
        if "default" in option:  # said in words instead, with the same value
            shown = {True: "true", False: "false"}.get(option["default"], option["default"])
            assert f"and then V({shown})." in lookups["options"][name]["description"][-1], name
