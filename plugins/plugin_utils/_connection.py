# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The modules' connection options for controller-side plugins (lookups): the same names, types, environment fallbacks
and client as the modules, so a playbook sets them one way for both.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.utils.display import Display

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import (
    connection_argument_spec,
    retired_environment_warnings,
    short_secret_errors,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient

display = Display()


def connection_options(plugin: t.Any) -> ConnectionOptions:
    """The plugin's connection options, validated like a module's (types, CYBERARK_IDENTITY_* fallbacks)."""
    for warning in retired_environment_warnings():
        display.warning(warning)
    spec = connection_argument_spec()
    given = {name: plain(value) for name, value in ((name, given_option(plugin, name, option)) for name, option in spec.items())
             if value is not None}
    result = ArgumentSpecValidator(spec).validate(given)
    problems = result.error_messages or short_secret_errors(spec, result.validated_parameters)
    if problems:
        raise AnsibleLookupError("; ".join(problems))
    return ConnectionOptions.from_params(result.validated_parameters)


def plain(value: t.Any) -> t.Any:
    """``value`` as built-in types. ansible-core 2.19+ hands templated keywords as lazy containers that hold their
    templar; the validator copies what it is given, and on 2.21 copying a templar re-creates the filter and test plugin
    loaders, each printing a deprecation warning (an error from 2.25)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, t.Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return value


def given_option(plugin: t.Any, name: str, option: dict[str, t.Any]) -> t.Any:  # pylint: disable=unused-argument
    """The value the task gave the plugin for ``name``, None when it gave none. The lookups' doc fragment
    (``connection.plugins``) declares no default, so that ansible-core never fills one in: the argument spec applies the
    ``CYBERARK_IDENTITY_*`` variable, then the default, as in a module, on every ansible-core version."""
    return plugin.get_option(name)


def client_for(plugin: t.Any, require_credentials: bool = True) -> IdentityClient:
    """A client for the plugin's options; configuration problems raise AnsibleLookupError naming the option."""
    try:
        return IdentityClient.from_options(connection_options(plugin), warn=display.warning, require_credentials=require_credentials)
    except IdentityError as exc:
        raise AnsibleLookupError(exc.message) from None


def failure(exc: IdentityError) -> AnsibleLookupError:
    """The lookup's error for a client error: its message (scrubbed of secrets by the client), no traceback."""
    return AnsibleLookupError(exc.message)
