# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The thin AnsibleModule wrapper every module uses: connection spec, client, error mapping.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.cyberark_community.identity.plugins.module_utils._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils._remote_access import RemoteAccessOptions
from ansible_collections.cyberark_community.identity.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR

ENV_PREFIX = "CYBERARK_IDENTITY_"


def _option(kind: str = "str", **extra: t.Any) -> dict[str, t.Any]:
    return dict(type=kind, **extra)


def connection_argument_spec() -> dict[str, dict[str, t.Any]]:
    """The connection options, each with its ``CYBERARK_IDENTITY_*`` environment fallback."""
    spec = {
        "tenant_url": _option(),
        "client_id": _option(),
        "client_secret": _option(no_log=True),
        "username": _option(),
        "password": _option(no_log=True),
        "oauth_app_id": _option(),
        "access_token": _option(no_log=True),
        "validate_certs": _option("bool"),
        "ca_path": _option("path"),
        "timeout": _option("int"),
        "retries": _option("int"),
        "allowed_redirect_hosts": _option("list", elements="str"),
    }
    for name, option in spec.items():
        option["fallback"] = (env_fallback, [ENV_PREFIX + name.upper()])
    return spec


CONNECTION_DEFAULTS = {"validate_certs": True, "timeout": 30, "retries": 5}
RA_ENV_PREFIX = "CYBERARK_REMOTE_ACCESS_"
RA_OPTIONS = {
    "ra_service_account_file": "path", "ra_tenant_id": "str", "ra_service_account_id": "str", "ra_private_key": "str",
    "ra_client_id": "str", "ra_client_secret": "str", "ra_data_center": "str", "ra_auth_url": "str", "ra_api_url": "str",
    "ra_validate_certs": "bool", "ra_ca_path": "path",
}


def remote_access_argument_spec() -> dict[str, dict[str, t.Any]]:
    """The Remote Access connection options, each with its ``CYBERARK_REMOTE_ACCESS_*`` environment fallback."""
    spec = {}
    for name, kind in RA_OPTIONS.items():
        option = _option(kind, fallback=(env_fallback, [RA_ENV_PREFIX + name[3:].upper()]))
        if name in ("ra_private_key", "ra_client_secret"):
            option["no_log"] = True
        if name == "ra_data_center":
            option["choices"] = ["us", "eu", "ca", "au", "uk", "in", "sg"]
        spec[name] = option
    return spec


def remote_access_options(params: t.Mapping[str, t.Any]) -> RemoteAccessOptions:
    values = {name[3:]: params.get(name) for name in RA_OPTIONS if params.get(name) is not None}
    values.setdefault("data_center", "us")
    values.setdefault("validate_certs", True)
    values["allowed_hosts"] = tuple(params.get("allowed_redirect_hosts") or ())
    return RemoteAccessOptions(**values)


def identity_argument_spec(**extra: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    """The connection options merged with a module's own."""
    spec = connection_argument_spec()
    spec.update(extra)
    return spec


class IdentityModule(AnsibleModule):
    """AnsibleModule with the connection options merged in, a client factory and error mapping."""

    def __init__(self, argument_spec: dict[str, t.Any], secrets: t.Callable[[dict[str, t.Any]], t.Iterable[str]] | None = None,
                 **kwargs: t.Any) -> None:
        # ``secrets(params)`` names values that are secret although no option is ``no_log`` (a password inside a
        # list of records): hidden from the invocation log, the results and every message like no_log values.
        self._secrets = secrets
        super().__init__(argument_spec=identity_argument_spec(**argument_spec), **kwargs)
        self._register_secrets()
        if REQUESTS_IMPORT_ERROR is not None:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)

    def _register_secrets(self) -> None:
        if self._secrets is not None:
            self.no_log_values.update(v for v in self._secrets(self.params) if v)

    def _log_invocation(self) -> None:
        # AnsibleModule logs the invocation while it is built: register the secrets first.
        self._register_secrets()
        super()._log_invocation()

    def connection_options(self) -> ConnectionOptions:
        params = dict(CONNECTION_DEFAULTS)
        params.update({k: v for k, v in self.params.items() if v is not None})
        return ConnectionOptions.from_params(params)

    def client(self, require_credentials: bool = True) -> IdentityClient:
        """A client for the tenant in the options (no network I/O yet)."""
        return IdentityClient.from_options(self.connection_options(), warn=self.warn, require_credentials=require_credentials)

    def execute(self, run: t.Callable[[t.Any, IdentityClient], dict[str, t.Any]], require_credentials: bool = True) -> t.NoReturn:
        """Run ``run(module, client)`` and exit with its result; an IdentityError fails the task.

        A ``diff`` key is returned only when diff mode is on.
        """
        try:
            with self.client(require_credentials=require_credentials) as client:
                result = run(self, client)
        except IdentityError as exc:
            self.fail_from(exc)
        if not self._diff:
            result.pop("diff", None)
        self.exit_json(**result)

    def fail_from(self, exc: IdentityError, **result: t.Any) -> t.NoReturn:
        """Fail the task with what the error says; never with a secret (errors are scrubbed)."""
        kwargs = exc.to_fail_kwargs()
        kwargs.update(result)
        self.fail_json(**kwargs)
