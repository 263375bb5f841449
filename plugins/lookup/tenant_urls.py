# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: tenant_urls
short_description: A CyberArk Identity tenant's ID and URLs
version_added: 1.0.0
description:
  - Returns what M(cyberark_community.identity.tenant_url_facts) gathers (tenant ID, system, custom and preferred URLs,
    the redirect observed, pod, login suffixes), read on the controller with the modules' connection options.
  - With credentials the tenant's own lists are read; without, only what a login's first step shows.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options: {}
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.plugins
"""

EXAMPLES = r"""
- name: Send people to the preferred URL
  ansible.builtin.debug:
    msg: "Log in at {{ lookup('cyberark_community.identity.tenant_urls').preferred_url }}"
"""

RETURN = r"""
_raw:
  description: One mapping, the facts M(cyberark_community.identity.tenant_url_facts) returns under
    C(ansible_facts.cyberark_identity_tenant).
  type: list
  elements: dict
"""

import typing as t

from ansible.plugins.lookup import LookupBase

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _tenant
from ansible_collections.cyberark_community.identity.plugins.plugin_utils._connection import client_for, failure


class LookupModule(LookupBase):
    def run(self, terms: list[t.Any], variables: dict[str, t.Any] | None = None, **kwargs: t.Any) -> list[dict[str, t.Any]]:
        self.set_options(var_options=variables, direct=kwargs)
        try:
            with client_for(self, require_credentials=False) as client:
                options = client.options
                return [_tenant.gather(client, authenticate=options.has_credentials(), probe_login=options.login_name())]
        except IdentityError as exc:
            raise failure(exc) from None
