# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The thin AnsibleModule wrapper every module uses: connection spec, client, error mapping.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import os
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cyberark_community.identity.plugins.module_utils._connection_spec import (  # noqa: F401  # pylint: disable=unused-import  # also imported from here
    ENV_PREFIX,
    connection_argument_spec,
    env_fallback_set,
    option_spec,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import URLLIB3_IMPORT_ERROR
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import MIN_SECRET_LENGTH

# Read before 2.0.0, when the login options were named username and password: a credential type made for 1.x still
# injects them, and a silent "no credentials" would not say why.
RETIRED_ENVIRONMENT = {
    ENV_PREFIX + "USERNAME": ENV_PREFIX + "LOGIN_USERNAME",
    ENV_PREFIX + "PASSWORD": ENV_PREFIX + "LOGIN_PASSWORD",
}


def retired_environment_warnings() -> list[str]:
    """A warning for each environment variable set that the collection no longer reads."""
    return [f"{old} is set but no longer read since 2.0.0: set {new} instead (see the porting guide)"
            for old, new in RETIRED_ENVIRONMENT.items() if os.environ.get(old) and not os.environ.get(new)]


def identity_argument_spec(**extra: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    """The connection options merged with a module's own; a module option never shares a name with a connection option
    (one value with two meanings: the login's password once became a new user's)."""
    spec = connection_argument_spec()
    taken = {alias for name, option in spec.items() for alias in (name, *option.get("aliases", ()))}
    for name, option in extra.items():
        clash = taken.intersection((name, *option.get("aliases", ())))
        if clash:
            raise ValueError(f"module option {name} shares a name with a connection option: {', '.join(sorted(clash))}")
    spec.update(extra)
    return spec


def short_secret_errors(spec: dict[str, dict[str, t.Any]], params: t.Mapping[str, t.Any]) -> list[str]:
    """A problem for each ``no_log`` option whose value is 1 to 3 characters long: messages are kept clean of secrets by
    masking them, and a value that short would stay in them or mask ordinary text. No tenant password policy admits it."""
    return [f"{name} is shorter than {MIN_SECRET_LENGTH} characters, which no secret may be (it could not be kept out "
            "of messages)" for name, option in spec.items()
            if option.get("no_log") and isinstance(params.get(name), str) and 0 < len(params[name]) < MIN_SECRET_LENGTH]


# (module, client, the options' problems) -> every problem; what it found for run() it keeps in module.checked
TenantChecks = t.Callable[["IdentityModule", IdentityClient, t.List[str]], t.List[str]]


class IdentityModule(AnsibleModule):
    """AnsibleModule with the connection options merged in, a client factory and error mapping."""

    checked: t.Any = None  # what execute()'s tenant_checks found (the IDs it looked up), for the module's run()

    def __init__(self, argument_spec: dict[str, t.Any], secrets: t.Callable[[dict[str, t.Any]], t.Iterable[str]] | None = None,
                 **kwargs: t.Any) -> None:
        # ``secrets(params)`` names values that are secret although no option is ``no_log`` (a password inside a
        # list of records): hidden from the invocation log, the results and every message like no_log values.
        self._secrets = secrets
        super().__init__(argument_spec=identity_argument_spec(**argument_spec), **kwargs)
        for warning in retired_environment_warnings():
            self.warn(warning)
        problems = short_secret_errors(self.argument_spec, self.params)
        if problems:
            self.fail_json(msg="; ".join(problems))
        if URLLIB3_IMPORT_ERROR is not None:
            self.fail_json(msg=missing_required_lib("urllib3"), exception=URLLIB3_IMPORT_ERROR)

    def _register_secrets(self) -> None:
        if self._secrets is not None:
            self.no_log_values.update(v for v in self._secrets(self.params) if v)

    def _load_params(self) -> None:
        # Registered as soon as the options are read, before AnsibleModule checks or logs them: a refused option fails
        # the task with an invocation that holds every option, these secrets included.
        super()._load_params()
        self._register_secrets()

    def connection_options(self, tenant_url: str | None = None) -> ConnectionOptions:
        """The connection options; ``tenant_url`` (derived by a module, for example from a tenant ID) replaces the option
        without editing ``params``."""
        params = {k: v for k, v in self.params.items() if v is not None}  # the spec's defaults included
        if tenant_url is not None:
            params["tenant_url"] = tenant_url
        return ConnectionOptions.from_params(params)

    def client(self, require_credentials: bool = True, tenant_url: str | None = None) -> IdentityClient:
        """A client for the tenant in the options (no network I/O yet)."""
        return IdentityClient.from_options(self.connection_options(tenant_url), warn=self.warn, require_credentials=require_credentials)

    def execute(self, run: t.Callable[[IdentityModule, IdentityClient], dict[str, t.Any]], require_credentials: bool = True,
                tenant_url: t.Callable[[dict[str, t.Any]], str | None] | None = None,
                checks: t.Callable[[dict[str, t.Any]], list[str]] | None = None,
                tenant_checks: TenantChecks | None = None) -> t.NoReturn:
        """Run ``run(module, client)`` and exit with its result; an IdentityError (TaskFailed with a result) fails the task.

        ``checks(params)`` lists every problem of the options: they fail the task together, before any request.
        ``tenant_checks(module, client, problems)``, for the problems only the tenant can show (a login suffix, a
        manager, a role that does not exist), reads what it needs and returns every problem, the options' ones
        included, so that one message names them all before any write; what it found for ``run`` it keeps in
        ``module.checked``. ``tenant_url(params)`` may derive the tenant URL (and raise ConfigurationError). A ``diff``
        key is returned only when diff mode is on.
        """
        try:
            problems = checks(self.params) if checks is not None else []
            if problems and tenant_checks is None:
                raise ConfigurationError("; ".join(problems))
            url = tenant_url(self.params) if tenant_url is not None else None
            with self.client(require_credentials=require_credentials, tenant_url=url) as client:
                if tenant_checks is not None:
                    problems = tenant_checks(self, client, problems)
                    if problems:
                        raise ConfigurationError("; ".join(problems))
                result = run(self, client)
        except IdentityError as exc:
            self.fail_from(exc)
        if not self._diff:
            result.pop("diff", None)
        self.exit_json(**result)

    def fail_from(self, exc: IdentityError) -> t.NoReturn:
        """Fail the task with what the error says; never with a secret (errors are scrubbed)."""
        kwargs = exc.to_fail_kwargs()
        if not self._diff:
            kwargs.pop("diff", None)
        self.fail_json(**kwargs)
