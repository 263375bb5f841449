# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Running the collection's lookups in the unit tests' process.

Importing controller code (a lookup) sets ansible-core's controller flags for the whole process, after which a module's
warnings go to the display instead of its result. ``controller`` sets them for one test only and puts them back.
A lookup's options are declared to ansible-core's configuration the way the plugin loader does it (its DOCUMENTATION
with the connection doc fragment), so ``set_options`` validates and defaults them as in a playbook.
"""

from __future__ import annotations

import importlib
import typing as t

import pytest
import yaml

# The controller's flags below are ansible-core 2.19's (2.18 has part of _internal, older cores none): below 2.19 the
# lookup tests are skipped, and the version matrix's smoke set (tests/smoke) runs both lookups in a playbook instead.
pytest.importorskip("ansible.module_utils._internal._traceback", reason="the lookup tests need ansible-core 2.19 or newer")

from ansible.module_utils import _internal  # noqa: E402  pylint: disable=wrong-import-position
from ansible.module_utils._internal import _traceback  # noqa: E402  pylint: disable=wrong-import-position

PACKAGE = "ansible_collections.cyberark_community.identity.plugins"
FLAGS = ("is_controller", "get_controller_serialize_map", "import_controller_module")


def controller(monkeypatch: t.Any) -> None:
    """The controller's flags for this test (``monkeypatch`` puts the target's back)."""
    for name in FLAGS:
        monkeypatch.setattr(_internal, name, getattr(_internal, name))
    monkeypatch.setattr(_traceback, "_is_traceback_enabled", _traceback._is_traceback_enabled)
    controller_side = importlib.import_module("ansible._internal")  # sets the flags the first time only
    display = importlib.import_module("ansible.utils.display")
    monkeypatch.setattr(_internal, "is_controller", True)
    monkeypatch.setattr(_internal, "get_controller_serialize_map", controller_side.get_controller_serialize_map)
    monkeypatch.setattr(_internal, "import_controller_module", controller_side.import_controller_module)
    monkeypatch.setattr(_traceback, "_is_traceback_enabled", display._is_controller_traceback_enabled)


def lookup(monkeypatch: t.Any, name: str) -> t.Any:
    """A lookup plugin of the collection, its options declared as the plugin loader declares them."""
    controller(monkeypatch)
    from ansible import constants  # pylint: disable=import-outside-toplevel
    source = importlib.import_module(f"{PACKAGE}.lookup.{name}")
    fragment = importlib.import_module(f"{PACKAGE}.doc_fragments.connection").ModuleDocFragment
    options = dict(yaml.safe_load(fragment.DOCUMENTATION)["options"], **yaml.safe_load(fragment.PLUGINS)["options"])  # connection + .plugins
    options.update(yaml.safe_load(source.DOCUMENTATION)["options"] or {})
    full_name = f"cyberark_community.identity.{name}"
    constants.config.initialize_plugin_configuration_definitions("lookup", full_name, options)
    plugin = source.LookupModule()
    plugin._load_name = full_name  # pylint: disable=protected-access
    return plugin
