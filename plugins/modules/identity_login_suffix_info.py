#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_login_suffix_info
short_description: List a CyberArk Identity tenant's login suffixes
version_added: 1.0.0
description:
  - Lists the login suffixes of the tenant (the part of a login name after V(@)), or checks the ones named.
  - Reads only, in one request (C(Core/GetAliasesForTenant)).
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  name:
    description: Suffixes to look for (case-insensitive). Those that do not exist are listed in RV(missing). Without
      it, every suffix is returned.
    type: list
    elements: str
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.INFO
"""

EXAMPLES = r"""
- name: Every login suffix
  cyberark_community.identity.identity_login_suffix_info:
  register: suffixes

- name: Stop before an import when its suffix is missing
  cyberark_community.identity.identity_login_suffix_info:
    name: acme.com
  register: acme
  failed_when: acme.missing | length > 0
"""

RETURN = r"""
suffixes:
  description: The suffixes found, sorted by name.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "acme.com", "cds": true}]
  contains:
    name:
      description: The suffix.
      type: str
      sample: "acme.com"
    cds:
      description: Whether it is a Cloud Directory suffix (users can be created with it).
      type: bool
      sample: true
missing:
  description: Suffixes asked for that do not exist, as given.
  returned: always
  type: list
  elements: str
  sample: ["old.acme.com"]
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _suffixes
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    known = _suffixes.list_suffixes(client)
    names = module.params.get("name")
    if names is None:
        found = known
        missing: list[str] = []
    else:
        matches = {n: _suffixes.find(known, n.strip()) for n in dict.fromkeys(names)}
        found = list({m["name"]: m for m in matches.values() if m}.values())
        missing = [n for n, m in matches.items() if m is None]
    return {"changed": False, "suffixes": sorted(found, key=lambda s: s["name"].lower()), "missing": missing}


def main() -> None:
    module = IdentityModule(argument_spec=dict(name=dict(type="list", elements="str")), supports_check_mode=True)
    module.execute(run)


if __name__ == "__main__":
    main()
