#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tenant_url_facts
short_description: Gather a CyberArk Identity tenant's URLs, ID, redirects and login suffixes
version_added: 0.1.0
description:
  - Reports a tenant's ID, its system URL, custom URLs and preferred URL, whether the URL given is the system
    URL, a custom URL or a Shared Services (V(id.cyberark.cloud)) URL, the redirect observed when an
    authentication starts at that URL, the pod, region, company and service version, the Cloud Directory login
    suffixes with the default one, and whether the tenant supports custom domains.
  - "Without credentials the module learns what the URL itself and an unanswered C(StartAuthentication) tell:
    the tenant ID (from a system or Shared Services host name, or from the tenant when O(login_name) is given),
    the redirect to the preferred URL, and the URL kind of a Shared Services URL. The URL list, pod, region,
    company, version and login suffixes need credentials."
  - A fact that could not be learned is V(null) (or an empty list) and C(unknown) says why.
  - Reads only; sends no write request.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  tenant_url:
    description:
      - See the connection options below. Either O(tenant_url) or O(tenant_id) is required.
  tenant_id:
    description:
      - The tenant ID (shown in the Identity portal under the user menu, About), used to build the tenant URL
        C(https://<tenant_id>.<identity_domain>) when O(tenant_url) is not given.
    type: str
  identity_domain:
    description:
      - The Identity domain used with O(tenant_id).
    type: str
    default: id.cyberark.cloud
    choices: [id.cyberark.cloud, id.cyberarkgov.cloud, my.idaptive.app]
  login_name:
    description:
      - A login name on the tenant (C(user@suffix)) used to start an authentication, without answering it, so
        that the tenant's redirect and ID can be observed without credentials.
      - Defaults to O(login_username) or O(client_id) when they are given.
      - No password is sent for this.
    type: str
  gather_with_credentials:
    description:
      - Whether to log in and read the tenant's URL list, pod and login suffixes when credentials are given.
    type: bool
    default: true
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.FACTS
notes:
  - Custom domains are not supported on Shared Services tenants (V(id.cyberark.cloud)); legacy tenants
    (V(my.idaptive.app)) support custom URLs, one of which may be preferred.
  - From the API's standpoint the system URL redirects to the preferred URL only during authentication.
seealso:
  - name: Use your tenant URL
    description: CyberArk Identity developer documentation on system, custom and preferred URLs.
    link: https://docs.cyberark.com/identity/latest/en/content/developer/use-tenant-url.htm
  - ref: ansible_collections.cyberark_community.identity.docsite.tenant_urls
    description: The tenant URLs guide - system, custom and preferred URLs and the redirects between them.
"""

EXAMPLES = r"""
- name: Gather tenant facts with a service user
  cyberark_community.identity.tenant_url_facts:
    tenant_url: abc1234.id.cyberark.cloud
    client_id: ansible-svc@acme.com
    client_secret: "{{ vault_identity_client_secret }}"

- name: Show the preferred URL
  ansible.builtin.debug:
    msg: "{{ ansible_facts.cyberark_identity_tenant.preferred_url }}"

# not run against the simulator: it reaches abc1234.my.idaptive.app, a CyberArk host (with CYBERARK_IDENTITY_TENANT_URL set, tenant_url wins)
- name: Learn what is public about a legacy tenant, without credentials
  cyberark_community.identity.tenant_url_facts:
    tenant_id: ABC1234
    identity_domain: my.idaptive.app
    login_name: jane.doe@acme.com

- name: Connection options set once for the whole play
  module_defaults:
    group/cyberark_community.identity.identity:
      tenant_url: "{{ identity_tenant_url }}"
      client_id: "{{ identity_client_id }}"
      client_secret: "{{ identity_client_secret }}"
  block:
    - name: Gather tenant facts
      cyberark_community.identity.tenant_url_facts:
"""

RETURN = r"""
ansible_facts:
  description: Facts set by the module.
  returned: always
  type: dict
  contains:
    cyberark_identity_tenant:
      description: What the module learned about the tenant. Every key is always present.
      returned: always
      type: dict
      contains:
        given_url:
          description: The tenant URL given (or built from O(tenant_id)), normalised.
          type: str
          sample: https://abc1234.my.idaptive.app
        api_url:
          description: The URL the module's calls went to after any authentication redirect.
          type: str
          sample: https://acme.my.idaptive.app
        tenant_id:
          description: The tenant ID, or V(null) when it could not be learned.
          type: str
          sample: ABC1234
        url_kind:
          description: Whether the given URL is the tenant's V(system) URL, a V(custom) URL, or V(unknown).
          type: str
          sample: system
        is_system_url:
          description: Whether the given URL is the system URL (V(null) when unknown).
          type: bool
          sample: false
        is_custom_url:
          description: Whether the given URL is a custom URL (V(null) when unknown).
          type: bool
          sample: true
        is_platform_url:
          description: Whether the given URL is a Shared Services Identity URL (V(id.cyberark.cloud) or V(id.cyberarkgov.cloud)).
          type: bool
          sample: false
        system_url:
          description: The tenant's system URL.
          type: str
          sample: https://abc1234.my.idaptive.app
        preferred_url:
          description: The preferred URL (the system URL when no custom URL is preferred).
          type: str
          sample: https://acme.my.idaptive.app
        custom_urls:
          description: The tenant's custom URLs.
          type: list
          sample: ["https://acme.my.idaptive.app"]
          elements: str
        cnames:
          description:
            - Every URL of the tenant with its type (V(System), V(Preferred), V(Other)) and flags.
            - V(Unknown) where the tenant numbers the type and no source gives the number's meaning (see C(unknown)).
          type: list
          sample: [{"url": "https://acme.my.idaptive.app", "kind": "Preferred", "custom": true}]
          elements: dict
        redirect:
          description: The redirect observed when an authentication started at the given URL.
          type: dict
          contains:
            observed:
              description: Whether a redirect happened.
              type: bool
              sample: true
            from:
              description: The URL the authentication started at.
              type: str
              sample: "https://abc1234.my.idaptive.app"
            to:
              description: The URL the authentication ended at.
              type: str
              sample: "https://acme.my.idaptive.app"
            chain:
              description: Every URL redirected to, in order.
              type: list
              sample: [{"from": "https://abc1234.my.idaptive.app", "to": "https://acme.my.idaptive.app"}]
              elements: str
        tenant_kind:
          description: V(platform) for a Shared Services tenant, V(legacy) for a my.idaptive.app tenant, or V(unknown).
          type: str
          sample: "legacy"
        custom_domains_supported:
          description: Whether the tenant can have custom URLs (false on Shared Services tenants; V(null) when unknown).
          type: bool
          sample: true
        pod_name:
          description: The pod serving the tenant (C(SysInfo/About)).
          type: str
          sample: "pod1009"
        pod_fqdn:
          description: The pod's host name (not the tenant's).
          type: str
          sample: "pod1009.idaptive.app"
        region:
          description: The pod's region (C(SysInfo/About) C(PodRegion)).
          type: str
          sample: "Us East"
        company_name:
          description: The company the tenant belongs to.
          type: str
          sample: "Acme Corporation"
        version:
          description: The Identity service version.
          type: str
          sample: "24.9.215"
        login_suffixes:
          description: The tenant's Cloud Directory login suffixes.
          type: list
          sample: ["acme.com"]
          elements: str
        default_login_suffix:
          description: The default login suffix (the generated V(cyberark.cloud.<digits>) one when present, else the first).
          type: str
          sample: "acme.com"
        authenticated:
          description: Whether the module logged in.
          type: bool
          sample: true
        unknown:
          description: For each fact that could not be learned, why.
          type: dict
          sample: {"data_center": "no public endpoint returns it"}
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _tenant
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._urls import system_url_for_tenant_id

FACTS_KEY = "cyberark_identity_tenant"
CREDENTIAL_OPTIONS = ("client_id", "client_secret", "login_username", "login_password", "access_token")


def tenant_url_of(params: dict[str, t.Any]) -> str | None:
    """The URL to connect to: ``tenant_url``, else the system URL built from ``tenant_id``; params stay as given."""
    if params.get("tenant_url"):
        return None
    if not params.get("tenant_id"):
        raise ConfigurationError("one of tenant_url or tenant_id is required (or CYBERARK_IDENTITY_TENANT_URL)")
    return system_url_for_tenant_id(params["tenant_id"], params["identity_domain"])


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    """Gather the facts; returns the module result."""
    params = module.params
    has_credentials = any(params.get(name) for name in CREDENTIAL_OPTIONS)
    probe_login = params.get("login_name") or client.options.login_name()
    facts = _tenant.gather(client, authenticate=has_credentials and params["gather_with_credentials"], probe_login=probe_login)
    return {"changed": False, "ansible_facts": {FACTS_KEY: facts}}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            tenant_id=dict(type="str"),
            identity_domain=dict(type="str", default="id.cyberark.cloud", choices=["id.cyberark.cloud", "id.cyberarkgov.cloud", "my.idaptive.app"]),
            login_name=dict(type="str"),
            gather_with_credentials=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    module.execute(run, require_credentials=False, tenant_url=tenant_url_of)


if __name__ == "__main__":
    main()
