# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""No module or lookup option, alias or environment variable shares a name with a connection option.

A shared name is one value with two meanings: with the login in ``module_defaults``, identity_user's own ``password``
once became the administrator's password (issue 23). Each module's final argument spec is captured from its
``main()``; each lookup's options from its documentation.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import typing as t

import pytest
import yaml

from ansible_collections.cyberark_community.identity.plugins import lookup, modules
from ansible_collections.cyberark_community.identity.plugins.module_utils import _module

MODULES = sorted(info.name for info in pkgutil.iter_modules(modules.__path__))
LOOKUPS = sorted(info.name for info in pkgutil.iter_modules(lookup.__path__))


class Captured(Exception):
    def __init__(self, spec: dict) -> None:
        super().__init__()
        self.spec = spec


def module_own_spec(name: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, t.Any]:
    """The argument spec a module hands to IdentityModule, before the connection options are merged in."""
    def capture(self, argument_spec, *args, **kwargs):
        raise Captured(argument_spec)
    monkeypatch.setattr(_module.IdentityModule, "__init__", capture)
    with pytest.raises(Captured) as caught:
        importlib.import_module(f"{modules.__name__}.{name}").main()
    return caught.value.spec


def names_of(spec: dict[str, t.Any]) -> set[str]:
    """Every name a top-level option answers to: its own and its aliases."""
    return {alias for name, option in spec.items() for alias in [name, *option.get("aliases", ())]}


def environment_of(spec: dict[str, t.Any]) -> set[str]:
    found = set()
    for option in spec.values():
        fallback = option.get("fallback")
        if fallback:
            found.update(fallback[1])
    return found


CONNECTION = _module.connection_argument_spec()


@pytest.mark.parametrize("name", MODULES)
def test_no_module_option_shadows_a_connection_option(name, monkeypatch):
    own = module_own_spec(name, monkeypatch)
    assert names_of(own) & names_of(CONNECTION) == set(), f"{name} has an option named like a connection option"
    assert environment_of(own) & environment_of(CONNECTION) == set(), f"{name} reads a connection option's environment variable"


@pytest.mark.parametrize("name", LOOKUPS)
def test_no_lookup_option_shadows_a_connection_option(name):
    # read from the source: importing a lookup (controller code) would switch ansible-core's warnings to the
    # controller's display for every later test in this process
    with open(os.path.join(lookup.__path__[0], name + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    text = next(node.value.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION")
    documented = yaml.safe_load(text)["options"]
    assert names_of(documented) & names_of(CONNECTION) == set()


def test_merging_refuses_a_shared_name():
    for clash in ({"login_password": {"type": "str"}}, {"x": {"type": "str", "aliases": ["tenant_url"]}}):
        with pytest.raises(ValueError, match="shares a name with a connection option"):
            _module.identity_argument_spec(**clash)


def test_connection_login_options_are_named_for_the_login():
    # username and password belong to the users a module manages, never to the login (2.0.0)
    assert {"login_username", "login_password"} <= set(CONNECTION) and not {"username", "password"} & names_of(CONNECTION)
    assert {"CYBERARK_IDENTITY_LOGIN_USERNAME", "CYBERARK_IDENTITY_LOGIN_PASSWORD"} <= environment_of(CONNECTION)
    assert CONNECTION["login_password"].get("no_log") is True
