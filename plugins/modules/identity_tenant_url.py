#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_tenant_url
short_description: Manage a custom URL of a CyberArk Identity tenant
version_added: 2.0.0
description:
  - Makes sure a custom tenant URL (a prefix on the tenant's domain, such as V(acme) in C(acme.my.idaptive.app))
    exists or is absent, and optionally that it is the preferred URL, to which a login started on the system URL is
    redirected.
  - The tenant names the URL's host; the module reads the tenant's URL list back after each change and fails, naming
    the option, when the list does not show it.
  - Custom URLs are not supported on Shared Services tenants (C(id.cyberark.cloud)); on such a tenant the module
    fails before any write and says so.
  - "Only community sources show the calls (C(TenantCnames/Register), C(SetPreferred), C(Unregister)), and they
    disagree on where the last two read their argument: the bare prefix in the query string, or the full host name
    in a JSON body. The module sends the first and, when the tenant refuses it (which changes nothing), the second,
    and warns which one the tenant took."
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  prefix:
    description:
      - The custom URL's prefix, one host name label (letters, digits and hyphens), for example V(acme). Prefixes
        compare case-insensitively.
      - The custom URL is the prefix on the domain of the tenant's system URL (C(acme.my.idaptive.app)); a custom
        domain with the same first label (C(acme.example.com)) is not it, and is never changed.
    type: str
    required: true
  state:
    description:
      - Whether the custom URL exists.
      - Removing the preferred URL leaves the choice of the next preferred URL to the tenant (none is documented); the
        result shows what it chose.
      - The module does not remove the URL it is connected through (O(tenant_url), or the host its login was
        redirected to). A password login started on the system URL is redirected to the preferred URL, so to remove
        the preferred URL connect with client credentials (never redirected) or through another custom URL.
    type: str
    choices: [present, absent]
    default: present
  preferred:
    description:
      - V(true) makes the URL the tenant's preferred URL.
      - V(false) only checks that it is not. No public call stops a URL from being preferred except making another
        one preferred, so the module fails, before any write, when the URL is the preferred one, or would become it
        as the tenant's only custom URL (the tenant makes its first custom URL the preferred one), or may become it
        because no custom URL is preferred (no source says what the tenant does then); and, after registering it,
        when the tenant shows it preferred all the same.
      - Unset leaves the preferred URL as it is.
      - When the tenant's URL list numbers the URL types instead of naming them, no source shows which number means
        preferred, so whether a URL is preferred cannot be read; the module then fails naming O(preferred) before any
        write (after registering the URL, when the list showed no type to read before).
      - Only with O(state=present).
    type: bool
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
notes:
  - A login started on the system URL is redirected to the preferred URL only while it authenticates; calls then go
    to that host. List the custom URL's host in O(allowed_redirect_hosts) when it is not under CyberArk's service
    domains.
seealso:
  - module: cyberark_community.identity.tenant_url_facts
"""

EXAMPLES = r"""
- name: A custom URL that logins on the system URL are redirected to
  cyberark_community.identity.identity_tenant_url:
    prefix: acme-sso
    preferred: true
  register: custom_url

- name: Show the URL's host and the tenant's URLs
  ansible.builtin.debug:
    msg: "{{ custom_url.custom_url.url }} is preferred; all URLs: {{ custom_url.cnames | map(attribute='url') | list }}"

- name: A second custom URL, not preferred
  cyberark_community.identity.identity_tenant_url:
    prefix: acme-legacy
    preferred: false

- name: Remove custom URLs no longer used (logins on the system URL then stay there, or go to the URL the tenant prefers)
  cyberark_community.identity.identity_tenant_url:
    prefix: "{{ item }}"
    state: absent
  loop: [acme-legacy, acme-sso]
"""

RETURN = r"""
custom_url:
  description: The custom URL as the tenant shows it after the task (predicted in check mode); empty when absent.
  returned: always
  type: dict
  contains:
    prefix:
      description: The prefix.
      type: str
      sample: acme-sso
    host:
      description:
        - The host name the tenant gave the URL.
        - In check mode, the prefix on the system URL's domain, or V(null) when no URL of the tenant shows a domain.
      type: str
      sample: acme-sso.my.idaptive.app
    url:
      description: The URL, with the scheme and port of O(tenant_url).
      type: str
      sample: https://acme-sso.my.idaptive.app
    preferred:
      description:
        - Whether it is the tenant's preferred URL; V(null) when the tenant's URL list numbers the URL types, as no
          source shows which number means preferred.
      type: bool
      sample: true
actions:
  description: What the task did (or would do in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["register acme-sso", "make acme-sso preferred"]
preferred_url:
  description:
    - The tenant's preferred URL after the task, or its system URL when no custom URL is preferred.
    - V(null) when the tenant's URL list numbers the URL types and none is known to be the preferred one.
  returned: always
  type: str
  sample: https://acme-sso.my.idaptive.app
cnames:
  description: Every URL of the tenant after the task (predicted in check mode), as M(cyberark_community.identity.tenant_url_facts) reports them.
  returned: always
  type: list
  elements: dict
  sample: [{"host": "abc1234.my.idaptive.app", "url": "https://abc1234.my.idaptive.app", "type": "System", "is_custom": false, "read_only": null}]
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError, TaskFailed
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._urls import host_of, url_for_host
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _tenant, _tenant_urls
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule

NOT_ON_SHARED_SERVICES = ("custom URLs are not supported on Shared Services tenants (id.cyberark.cloud): use the tenant's "
                          "own URL; nothing was changed")


UNREADABLE_PREFERENCE = ("the tenant's URL list numbers the URL types (CnameType), and no source shows which number means "
                         "preferred (only 1, the system URL, is known), so whether a URL is preferred cannot be read; leave "
                         "preferred unset, and please report the list with playbooks/verify_tenant.yml's trace")


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem of the options, at once, before any request."""
    errors = []
    problem = _tenant_urls.prefix_error(params["prefix"].strip().lower())
    if problem:
        errors.append(f"prefix: {problem}")
    if params["state"] == "absent" and params.get("preferred") is not None:
        errors.append("preferred: only with state=present (an absent URL is not preferred)")
    return errors


def shown(cname: dict[str, t.Any] | None, prefix: str) -> dict[str, t.Any]:
    if cname is None:
        return {}
    preferred = None if cname["type"] == _tenant.UNKNOWN_CNAME_TYPE else cname["type"] == "Preferred"
    return {"prefix": prefix, "host": cname["host"], "url": cname["url"], "preferred": preferred}


def plan(client: IdentityClient, params: dict[str, t.Any], cnames: list[dict[str, t.Any]]) -> list[str]:
    """The steps the options ask for, or ConfigurationError before any write when they cannot be met."""
    prefix = params["prefix"].strip().lower()
    current = _tenant_urls.find(cnames, prefix)
    if params["state"] == "absent":
        if current is None:
            return []
        if current["host"] in {host_of(client.given_url), host_of(client.base_url)}:
            raise ConfigurationError(
                f"prefix: {current['host']} is the URL this task is connected through (a password login started on the system "
                "URL is redirected to the preferred URL); connect with client credentials (never redirected) or through "
                "another URL that is not the preferred one to remove it. Nothing was changed")
        return [f"unregister {prefix}"]
    if _tenant_urls.shared_services(client, cnames):
        raise ConfigurationError(f"prefix: {NOT_ON_SHARED_SERVICES}")
    steps = [] if current else [f"register {prefix}"]
    if params.get("preferred") is not None and any(c["type"] == _tenant.UNKNOWN_CNAME_TYPE for c in cnames):
        raise ConfigurationError(f"preferred: {UNREADABLE_PREFERENCE}; nothing was changed")
    is_preferred = current is not None and current["type"] == "Preferred"
    alone = current is None and not any(c["is_custom"] for c in cnames)  # the tenant makes its only custom URL preferred
    # With custom URLs but none preferred, no source says the tenant will not make a new one preferred.
    unpreferred = current is None and not alone and not any(c["type"] == "Preferred" for c in cnames)
    if params.get("preferred") is False and (is_preferred or alone or unpreferred):
        why = ("is the preferred URL" if is_preferred else "would become the preferred URL as the tenant's only custom URL"
               if alone else "may become the preferred URL: no custom URL is preferred, and no source says the tenant keeps it so")
        raise ConfigurationError(f"preferred: {prefix} {why}, and no public call stops a URL from being preferred except "
                                 "making another one preferred; nothing was changed")
    if params.get("preferred") and not is_preferred and not alone:
        steps.append(f"make {prefix} preferred")
    return steps


def predicted(client: IdentityClient, cnames: list[dict[str, t.Any]], prefix: str, steps: list[str]) -> list[dict[str, t.Any]]:
    """The URL list the steps would leave (check mode). The tenant names a new URL's host: shown as the prefix on the
    tenant's domain, and null when no URL of the tenant shows that domain."""
    after = [dict(c) for c in cnames]
    numbered = any(c["type"] == _tenant.UNKNOWN_CNAME_TYPE for c in cnames)
    for step in steps:
        if step.startswith("register"):
            domain = _tenant_urls.domain_of(cnames)
            host = f"{prefix}.{domain}" if domain else None
            kind = _tenant.UNKNOWN_CNAME_TYPE if numbered else "Other" if any(c["is_custom"] for c in after) else "Preferred"
            after.append({"host": host, "url": url_for_host(host, client.given_url) if host else None, "type": kind,
                          "is_custom": True, "read_only": None, "prefix": prefix})
        elif step.startswith("make"):
            for cname in after:
                cname["type"] = "Other" if cname["type"] == "Preferred" else cname["type"]
            _tenant_urls.find(after, prefix)["type"] = "Preferred"
        else:
            after = [c for c in after if c is not _tenant_urls.find(after, prefix)]
    return after


def apply(client: IdentityClient, params: dict[str, t.Any], prefix: str, steps: list[str]) -> tuple[list[dict[str, t.Any]], list[str]]:
    """The writes, each decided on the URL list as the tenant shows it, then the list read back; and the steps sent.
    The tenant makes its only custom URL preferred as it registers it: a URL it shows preferred is not sent again.
    A failure after a write the tenant took reports ``changed`` with the steps done."""
    done: list[str] = []
    try:
        return _apply(client, params, prefix, steps, done), done
    except IdentityError as exc:
        if not done:
            raise
        raise TaskFailed(f"{exc.message}; done before the failure: {', '.join(done)}", changed=True, actions=done) from exc


def _apply(client: IdentityClient, params: dict[str, t.Any], prefix: str, steps: list[str], done: list[str]) -> list[dict[str, t.Any]]:
    for step in steps:
        if step.startswith("register"):
            _tenant_urls.register(client, prefix)
            done.append(step)
        elif step.startswith("unregister"):
            cname = _tenant_urls.find(_tenant.read_cnames(client), prefix)
            if cname is not None:  # else verify() has nothing to name: it is gone
                _tenant_urls.unregister(client, cname)
                done.append(step)
    if params["state"] == "present" and params.get("preferred"):
        cname = _tenant_urls.find(_tenant.read_cnames(client), prefix)
        if cname is not None and cname["type"] == "Other":  # Unknown is verify()'s to say
            _tenant_urls.set_preferred(client, cname)
            done.append(f"make {prefix} preferred")
    return _tenant.read_cnames(client)


def verify(params: dict[str, t.Any], prefix: str, cnames: list[dict[str, t.Any]], done: list[str]) -> None:
    """Fail, naming the option, when the URL list read back does not show what the task asked for."""
    current = _tenant_urls.find(cnames, prefix)
    problem = None
    if params["state"] == "absent" and current is not None:
        problem = f"prefix: the tenant took the removal of {prefix} but still lists {current['host']}"
    elif params["state"] == "absent":
        return
    elif current is None:
        problem = f"prefix: the tenant took the registration of {prefix} but does not list it among its URLs"
    elif params.get("preferred") and current["type"] == _tenant.UNKNOWN_CNAME_TYPE:
        problem = f"preferred: {prefix} was registered, but {UNREADABLE_PREFERENCE}"
    elif params.get("preferred") and current["type"] != "Preferred":
        problem = f"preferred: the tenant does not show {prefix} as its preferred URL after {', '.join(done) or 'the task'}"
    elif params.get("preferred") is False and current["type"] == "Preferred":
        problem = (f"preferred: the tenant made {prefix} its preferred URL as it registered it, and no public call stops a URL "
                   "from being preferred except making another one preferred")
    if problem:
        raise TaskFailed(problem, changed=bool(done), actions=done, custom_url=shown(current, prefix), cnames=cnames)


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    prefix = params["prefix"].strip().lower()
    before = _tenant.read_cnames(client)
    steps = plan(client, params, before)
    if not steps:
        after = before
    elif module.check_mode:
        after = predicted(client, before, prefix, steps)
    else:
        after, steps = apply(client, params, prefix, steps)
        verify(params, prefix, after, steps)
    preferred = next((c for c in after if c["type"] == "Preferred"), None)
    if preferred is None and not any(c["type"] == _tenant.UNKNOWN_CNAME_TYPE for c in after):
        preferred = next((c for c in after if c["type"] == "System"), None)
    custom = shown(_tenant_urls.find(after, prefix), prefix)
    return {
        "changed": bool(steps),
        "actions": steps,
        "custom_url": custom,
        "preferred_url": preferred["url"] if preferred else None,
        "cnames": [{k: v for k, v in c.items() if k != "prefix"} for c in after],
        "diff": {"before": shown(_tenant_urls.find(before, prefix), prefix), "after": custom},
    }


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            prefix=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            preferred=dict(type="bool"),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
