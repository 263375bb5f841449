#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: remote_access_integration
short_description: Integrate a CyberArk Remote Access tenant with CyberArk Identity, as far as public APIs allow, and verify it
version_added: 0.1.0
description:
  - "Checks the CyberArk Identity side of the Identity SSO integration: the login suffix exists, and the integration
    service user C(alero-integration-user$@<suffix>), which CyberArk provisions when the integration is enabled for the
    tenant, exists and is enabled; its password is set when asked (O(update_password=always))."
  - The module never creates the integration user (CyberArk provisions it; its C($) is outside the login characters a
    user may be created with) and never signs in as it (a wrong password could lock the service user out). When it does
    not exist, the task fails and says to ask CyberArk to enable the Remote Access integration for the tenant.
  - "Observes the Remote Access side: whether the C(Privilege Cloud) site and its application, which the integration
    creates, exist, and when Identity last synchronized (C(IdaptiveVendorSync) and C(IdaptiveRoleSync) activities)."
  - "The integration settings themselves (Identity URL, integration user and password, login only through Identity SSO,
    re-authentication interval, vendor access to Identity web applications, built-in role) are set in the Remote Access
    portal: no public API reads or writes them. When the integration is not in place, the result lists the exact
    values to enter, in the portal's order, in RV(manual_steps), and the task fails unless O(on_manual_steps=report).
    After they are done, a re-run verifies the integration and reports RV(integrated=true)."
  - The module never calls an undocumented endpoint and never reports a change it did not make.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  integration_suffix:
    description: The Identity login suffix of the integration user C(alero-integration-user$@<integration_suffix>). It must exist.
    type: str
    required: true
  integration_password:
    description: The integration user's password, entered in the Remote Access portal too. Never returned or logged.
    type: str
  update_password:
    description:
      - V(never) leaves the integration user's password as it is; O(integration_password) is then only named in the
        portal steps.
      - V(always) sets it to O(integration_password) on every run, with an administrator's password reset (a change every
        time, since a password cannot be read back). Use it once, or to rotate the password.
    type: str
    choices: [never, always]
    default: never
  identity_url:
    description:
      - The Identity URL you plan to enter in Remote Access. Checked to be the tenant-ID URL; a custom domain is refused
        (Remote Access does not support custom domains) with the right URL in the message. Defaults to the tenant's system URL.
    type: str
  login_via_identity_only:
    description: Whether users may log in to Remote Access only through Identity SSO (else also with a QR scan). A portal setting.
    type: bool
    default: false
  reauthentication_interval_days:
    description: How often users re-authenticate, in days. A portal setting.
    type: int
    default: 30
  vendor_web_apps_access:
    description: Whether vendors may reach web applications protected by Identity SSO and Secure Web Session. A portal setting.
    type: bool
    default: false
  built_in_role:
    description: The default role applied to invited vendors. A portal setting.
    type: str
  on_manual_steps:
    description: V(fail) fails the task while portal steps remain, listing them; V(report) only reports them.
    type: str
    choices: [fail, report]
    default: fail
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.remote_access
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
notes:
  - The portal settings can be neither set nor read through a public API, so they are reported as RV(unverified_settings).
  - "The Remote Access service account needs read access (the Viewer role is enough): it reads sites, applications
    and activities."
"""

EXAMPLES = r"""
- name: Prepare Identity and check the Remote Access integration
  cyberark_community.identity.remote_access_integration:
    tenant_url: abc1234.id.cyberark.cloud
    client_id: ansible-svc@acme.com
    client_secret: "{{ vault_identity_client_secret }}"
    ra_service_account_file: files/remote-access-service-account.json
    ra_tenant_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
    ra_data_center: eu
    integration_suffix: acme.com
    integration_password: "{{ vault_integration_password }}"
    update_password: always
    login_via_identity_only: true
    reauthentication_interval_days: 30
    on_manual_steps: report  # end ok while portal steps are left, to show them below
  register: integration

- name: Show what is left to do in the portal
  ansible.builtin.debug:
    var: integration.manual_steps
"""

RETURN = r"""
integrated:
  description: Whether the integration is in place (the C(Privilege Cloud) site exists with an application).
  returned: always
  type: bool
  sample: true
identity:
  description: The Identity side.
  returned: always
  type: dict
  contains:
    identity_url:
      description: The URL to enter in Remote Access (the tenant-ID URL).
      type: str
      sample: "https://abc1234.id.cyberark.cloud"
    integration_user:
      description: Login name, ID and account state (V(enabled), V(disabled), V(locked), ...) of the integration user, and whether it is a service user.
      type: dict
      sample: {"name": "alero-integration-user$@acme.com", "id": "5b3f4a8e-8d3e-4a57-9f00-2c6f0a2d2f11", "service_user": true,
               "account_state": "enabled"}
remote_access:
  description: The Remote Access side as observed; a fact the API does not expose is V(unknown) and RV(unknown) says why.
  returned: always
  type: dict
  contains:
    site:
      description: The C(Privilege Cloud) site as Remote Access returns it (its C(id), C(displayName), C(type), ...), or V(null).
      type: dict
      sample: {"id": "8f0c2d1e4b5a4c6d9e7f0a1b2c3d4e5f", "displayName": "Privilege Cloud", "type": "Identity"}
    applications:
      description: Names of the site's applications.
      type: list
      sample: ["Privilege Cloud"]
      elements: str
    last_sync_time:
      description: Time of the latest Identity synchronization activity (ISO 8601), or V(null).
      type: str
      sample: "2026-11-28T09:15:00Z"
    sync_state:
      description: V(synchronized) when Identity synchronization activities were seen, else V(unknown).
      type: str
      sample: "synchronized"
    data_center:
      description: The data center the module reached (from O(ra_data_center), else the service account file's host), or null for other URLs.
      type: str
      sample: "us"
    company_name:
      description: V(unknown) (no public endpoint exposes it).
      type: str
      sample: "unknown"
    tenant_url:
      description: The Identity URL the integration uses as far as can be told, else V(unknown).
      type: str
      sample: "https://acme.alero.io"
unknown:
  description: For each fact that could not be learned, why.
  returned: always
  type: dict
  sample: {"login_via_identity_only": "not readable through a public API"}
manual_steps:
  description: The portal steps still to do, in order, with the exact values to enter. Never holds the password.
  returned: always
  type: list
  sample: ["In the Remote Access portal, open Settings > Identity and save the Identity URL"]
  elements: str
unverified_settings:
  description: The wanted portal settings, which no public API can read back.
  returned: always
  type: dict
  sample: {"reauthentication_interval_days": 30}
actions:
  description: What the module did on the Identity side, or would do in check mode.
  returned: always
  type: list
  sample: ["provisioned by CyberArk: alero-integration-user$@acme.com"]
  elements: str
"""

import datetime
import time
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _suffixes, _tenant, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError, TaskFailed
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule
from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access import _integration
from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access._remote_access import RemoteAccessClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access._remote_access_options import (
    remote_access_argument_spec,
    remote_access_options,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._urls import host_of, same_host

INTEGRATION_LOGIN = "alero-integration-user$"
SYNC_WINDOW_DAYS = 30
CUSTOM_DOMAIN_REASON = "Remote Access needs the CyberArk Identity URL with the tenant ID; custom domains are not supported"


def identity_url(module: IdentityModule, client: IdentityClient) -> str:
    """The tenant-ID URL of the tenant; a custom ``identity_url`` is refused with the right one."""
    cnames = _tenant.read_cnames(client)
    system = next((c for c in cnames if c["type"] == "System"), None)
    if system is None:
        raise IdentityError("the tenant did not name its system URL (TenantCnames/UiGet)")
    wanted = module.params.get("identity_url")
    if wanted and not same_host(wanted, system["host"]):
        raise ConfigurationError(f"identity_url: {wanted} is not the tenant-ID URL. {CUSTOM_DOMAIN_REASON}: enter {system['url']}")
    return system["url"]


def ensure_integration_user(module: IdentityModule, client: IdentityClient) -> tuple[dict[str, t.Any], list[str], dict[str, t.Any]]:
    """(user facts, actions, diff) for ``alero-integration-user$@<suffix>``: found, checked, its password set when asked."""
    params = module.params
    suffix = params["integration_suffix"].strip()
    known = _suffixes.list_suffixes(client)
    if _suffixes.find(known, suffix) is None:
        raise ConfigurationError(f"integration_suffix: {suffix!r} does not exist on the tenant; its suffixes are "
                                 f"{', '.join(s['name'] for s in known) or '(none)'}")
    name = f"{INTEGRATION_LOGIN}@{suffix}"
    current = _users.find_user(client, name)
    if current is None:
        raise ConfigurationError(
            f"{name} does not exist: CyberArk provisions the integration user when the Remote Access integration is enabled "
            "for the tenant; ask CyberArk (your account team or support) to enable it, then run again. "
            "The module does not create it (check integration_suffix if the user exists under another suffix)"
        )
    password = params.get("integration_password")
    # Service users never belong to the Everybody role (ServiceUser overrides InEverybodyRole), so one that does is not one.
    user = {"name": current["name"], "id": current["id"], "service_user": not current["in_everybody_role"],
            "account_state": current["account_state"]}
    if not user["service_user"]:
        module.warn(f"{name} is not a service user (it belongs to the Everybody role); CyberArk provisions it as one")
    if user["account_state"] != "enabled":
        module.warn(f"{name} is {user['account_state']}: Remote Access cannot sign in with it until an administrator enables it")
    actions: list[str] = []
    if params["update_password"] == "always":
        actions.append("reset the integration user's password (update_password is always; a password cannot be read back)")
        if not module.check_mode:
            _users.reset_password(client, current["id"], str(password))
    return user, actions, {"before": user, "after": user}


def observe_remote_access(ra: RemoteAccessClient, url: str) -> tuple[dict[str, t.Any], dict[str, str]]:
    site = _integration.integration_site(ra)
    apps = _integration.site_applications(ra, str(site["id"])) if site else []
    activities = _integration.sync_activities(ra, int((time.time() - SYNC_WINDOW_DAYS * 86400) * 1000))
    times = [a.get("activityData", {}).get("time") for a in activities if isinstance(a.get("activityData", {}).get("time"), int)]
    last = datetime.datetime.fromtimestamp(max(times) / 1000, tz=datetime.timezone.utc).isoformat() if times else None
    unknown = {
        "company_name": "no public Remote Access endpoint exposes the integration's company name",
        "tenant_url": "no public Remote Access endpoint exposes the integration's Identity URL",
    }
    facts = {
        "site": site, "applications": [a.get("name") for a in apps], "last_sync_time": last,
        "sync_state": "synchronized" if times else "unknown", "data_center": ra.options.data_center_used(),
        "company_name": "unknown", "tenant_url": "unknown",
    }
    if site and any(a.get("externalUri") and same_host(str(a["externalUri"]), host_of(url)) for a in apps):
        facts["tenant_url"] = url
        unknown.pop("tenant_url")
    if not times:
        unknown["sync_state"] = f"no Identity synchronization activity in the last {SYNC_WINDOW_DAYS} days"
    return facts, unknown


def manual_steps(params: dict[str, t.Any], url: str, user: str) -> list[str]:
    """The portal steps of CyberArk's procedure, in order, with the values to enter (never the password)."""
    yes_no = {True: "on", False: "off"}
    return [
        "In the Remote Access portal, open Settings > User management sources > Identity SSO.",
        f"CyberArk Identity URL: {url}",
        f"Identity username suffix: {user}",
        f"Password: the password set for {user} (the integration_password given to this task).",
        "Click Apply, then Proceed.",
        f"Login only via CyberArk Identity SSO: {yes_no[params['login_via_identity_only']]}",
        f"Re-authentication interval: {params['reauthentication_interval_days']} days",
        f"Vendor access to CyberArk Identity web applications: {yes_no[params['vendor_web_apps_access']]}",
        f"Built-in role: {params.get('built_in_role') or '(leave as it is)'}",
        "Click Authenticate to Identity: a site named Privilege Cloud and its application are created.",
        "Run this task again to verify the integration.",
    ]


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem of the options, at once, before any request."""
    errors = []
    if params["reauthentication_interval_days"] < 1:
        errors.append("reauthentication_interval_days must be at least 1")
    if params["update_password"] == "always" and not params.get("integration_password"):
        errors.append("integration_password is required with update_password=always")
    return errors


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    # Built first: its options are checked without any request, so a bad one fails before Identity is written to.
    with RemoteAccessClient.from_options(remote_access_options(params), warn=module.warn) as ra:
        url = identity_url(module, client)
        user, actions, diff = ensure_integration_user(module, client)
        facts, unknown = observe_remote_access(ra, url)
    integrated = bool(facts["site"] and facts["applications"])
    steps = [] if integrated else manual_steps(params, url, user["name"])
    settings = {k: params.get(k) for k in ("login_via_identity_only", "reauthentication_interval_days", "vendor_web_apps_access", "built_in_role")}
    result = {
        "changed": bool(actions), "integrated": integrated, "actions": actions, "diff": diff,
        "identity": {"identity_url": url, "integration_user": user}, "remote_access": facts, "unknown": unknown,
        "manual_steps": steps, "unverified_settings": settings,
    }
    if steps and params["on_manual_steps"] == "fail":
        raise TaskFailed("the Remote Access integration is not in place; do the manual_steps in the Remote Access portal, "
                         "then run this task again", **result)
    return result


def main() -> None:
    spec = dict(
        integration_suffix=dict(type="str", required=True),
        integration_password=dict(type="str", no_log=True),
        update_password=dict(type="str", default="never", choices=["never", "always"], no_log=False),
        identity_url=dict(type="str"),
        login_via_identity_only=dict(type="bool", default=False),
        reauthentication_interval_days=dict(type="int", default=30),
        vendor_web_apps_access=dict(type="bool", default=False),
        built_in_role=dict(type="str"),
        on_manual_steps=dict(type="str", default="fail", choices=["fail", "report"]),
    )
    spec.update(remote_access_argument_spec())
    module = IdentityModule(argument_spec=spec, supports_check_mode=True)
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
