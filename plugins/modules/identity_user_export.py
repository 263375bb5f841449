#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_user_export
short_description: Export CyberArk Cloud Directory users to a CSV or XLSX file in the bulk import format
version_added: 1.0.0
description:
  - Writes the tenant's Cloud Directory users to O(dest) with exactly the headers, role lists and cell forms that
    M(cyberark_community.identity.identity_bulk_import) and the service's import wizard read, so that importing an
    untouched export reports no change and sends no write.
  - Optionally only the users of some login suffixes, the members of some roles, or those matching a search text;
    additional attributes as extra columns when asked.
  - Never writes a password. Values no public endpoint returns (C(Password), C(Require Password Change),
    C(Password Never Expires), C(Expiration Date)) are left empty, which an import reads as "leave alone".
  - Users CyberArk provisions, whose login names hold a C($), which an administrator cannot use (the Remote Access
    integration's service user C(alero-integration-user$@<suffix>)), are not people an HR file lists, and no import
    could take them back; they are never exported and are listed in RV(out_of_reach), without a warning.
  - Other users the import would refuse are left out, listed in RV(left_out) with the import's reason, and warned about.
  - Reports a change only when the file's content changes; the file is written whole (mode 0600), never in part, as a
    new file with a random name in the folder of O(dest), renamed into place.
  - No cell is a formula. XLSX cells are text cells, and in both formats a value that starts with C(=), C(+), C(-), C(@),
    a tab, a line break or an apostrophe is written with an apostrophe in front (OWASP's rule against CSV injection),
    which M(cyberark_community.identity.identity_bulk_import) takes off again.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  dest:
    description:
      - The file to write on the Ansible controller, V(.csv) or V(.xlsx). Its folder is created when missing.
      - A symbolic link at this path is refused before any request is sent.
    type: path
    required: true
  suffixes:
    description: Only users whose login suffix is one of these (case-insensitive).
    type: list
    elements: str
  roles:
    description: Only members of any of these roles (case-sensitive names).
    type: list
    elements: str
  search:
    description: Only users whose login name, display name or email address contains this text.
    type: str
  attributes:
    description:
      - Additional attributes to export as extra columns, by name (Settings > Customization > Additional Attributes).
      - Costs one request per exported user (the API reads additional attributes one user at a time); sent
        O(concurrency) at a time.
    type: list
    elements: str
    default: []
  concurrency:
    description:
      - How many requests are in flight at once, from 1 to 16. Attribute reads are sent this many at a time; pages of the
        user query up to 4 at a time (at most this many) after the first.
    type: int
    default: 8
  page_size:
    description: Rows asked for in each page of the user query.
    type: int
    default: 1000
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
notes:
  - Requests for N users without attributes - N divided by O(page_size) pages, one for the roles, one per role of the
    tenant (its members), and a few for managers outside the selection or on a later page; 10,000 users take a handful
    of requests.
  - "The C(Everybody) role is never listed: every user holds it."
  - A V(.csv) export is written page by page, into a new file beside O(dest) that replaces it only when its bytes differ,
    so memory does not grow with the tenant (only every role's members and the managers' names are kept). A V(.xlsx)
    workbook is built whole in memory; choose V(.csv) for tens of thousands of users.
  - Writing V(.xlsx) needs the Python library openpyxl on the controller.
seealso:
  - module: cyberark_community.identity.identity_bulk_import
  - module: cyberark_community.identity.identity_user_info
"""

EXAMPLES = r"""
- name: Export the hr.acme.com users for review
  cyberark_community.identity.identity_user_export:
    dest: exports/hr_users.xlsx
    suffixes: [hr.acme.com]

- name: Export every Help Desk member, to import elsewhere
  cyberark_community.identity.identity_user_export:
    dest: exports/help_desk.csv
    roles: [Help Desk]
  register: exported

- name: Show how many users were exported
  ansible.builtin.debug:
    msg: "{{ exported.users }} users in {{ exported.dest }}"

# not run against the simulator: its tenant defines no additional attribute, and the export refuses one the tenant does not define
- name: The same with an additional attribute of the tenant's, as an extra column
  cyberark_community.identity.identity_user_export:
    dest: exports/help_desk_cost_centers.csv
    roles: [Help Desk]
    attributes: [CostCenter]
"""

RETURN = r"""
dest:
  description: The file written (or that would be, in check mode).
  returned: always
  type: str
  sample: exports/hr_users.xlsx
format:
  description: V(csv) or V(xlsx), from the file's extension.
  returned: always
  type: str
  sample: xlsx
users:
  description: How many users the file holds.
  returned: always
  type: int
  sample: 120
headers:
  description: The file's headers, in order - the import format's, then the additional attributes asked for.
  returned: always
  type: list
  elements: str
  sample: ["Login Name", "Email Address", "Display Name", "Description", "Office Number", "Mobile number", "Home number",
           "Roles", "Expiration Date", "Password", "Require Password Change", "Password Never Expires", "Reports to", "CostCenter"]
out_of_reach:
  description: Users CyberArk provisions (a C($) in the login name), never exported.
  returned: always
  type: list
  elements: str
  sample: ["alero-integration-user$@acme.com"]
left_out:
  description:
    - Users left out because the import would refuse them, each with V(login_name) and V(message); each is also warned
      about. Users in RV(out_of_reach) are not listed here.
    - Named C(skipped) before 2.0.0, which every ansible-core reads as "this task was skipped".
  returned: always
  type: list
  elements: dict
  sample: [{"login_name": "ann@acme.com", "message": "Email Address: 'not an address' is not a valid email address"}]
"""

import os
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _files
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_file
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _roles, _users, _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule

MAX_CONCURRENCY = 16
MAX_PAGE_SIZE = 10_000


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem with the options, each naming its option; checked before any request."""
    errors = []
    if os.path.splitext(params["dest"])[1].lower() not in _export.FORMATS:
        errors.append(f"dest must end in .csv or .xlsx (got {os.path.basename(params['dest'])!r})")
    else:
        problem = _files.writable_error([params["dest"]])
        if problem:
            errors.append(f"dest: {problem}")
        if _export.FORMATS[os.path.splitext(params["dest"])[1].lower()] == "xlsx" and _import_file.missing_library("openpyxl", writing=True):
            errors.append(f"dest: {_import_file.missing_library('openpyxl', writing=True)}")
    if not 1 <= params["concurrency"] <= MAX_CONCURRENCY:
        errors.append(f"concurrency must be between 1 and {MAX_CONCURRENCY} (got {params['concurrency']})")
    if not 1 <= params["page_size"] <= MAX_PAGE_SIZE:
        errors.append(f"page_size must be between 1 and {MAX_PAGE_SIZE:,} (got {params['page_size']})")
    for option in ("suffixes", "roles", "attributes"):
        for value in params.get(option) or []:
            problem = _validate.control_error(value)
            if problem or not value.strip():
                errors.append(f"{option}: {value[:40]!r} {problem or 'is empty'}")
    clash = [a for a in params["attributes"] if a in _import_file.KNOWN_HEADERS]
    if clash:
        errors.append(f"attributes: {', '.join(clash)} is a header of the import format already")
    if params.get("search") is not None and _validate.control_error(params["search"]):
        errors.append(f"search {_validate.control_error(params['search'])}")
    return errors


def check_names(client: IdentityClient, params: dict[str, t.Any], tenant_roles: dict[str, t.Any]) -> dict[str, str]:
    """Roles and attributes asked for must exist: an empty export for a typo would look like a tenant without users.
    Returns the attributes' column types."""
    if params.get("roles"):
        missing = sorted(set(params["roles"]) - set(tenant_roles))
        if missing:
            raise ConfigurationError(f"roles: no role named {', '.join(missing)} exists (role names are case-sensitive)")
    if params["attributes"]:
        defined = _users.attribute_schema(client)
        missing = [a for a in params["attributes"] if a not in defined]
        if missing:
            raise ConfigurationError(f"attributes: the tenant defines no additional attribute named {', '.join(missing)}")
        return defined
    return {}


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    client.set_concurrency(params["concurrency"])  # the pages of the user query too: a few at once
    tenant_roles = _roles.all_roles(client)  # once: to check the names asked for and to read every role's members
    selection = _export.Selection(suffixes=params.get("suffixes") or [], roles=params.get("roles") or [], search=params.get("search"),
                                  page_size=params["page_size"], attributes=params["attributes"],
                                  attribute_types=check_names(client, params, tenant_roles), concurrency=params["concurrency"])
    file_format = _export.FORMATS[os.path.splitext(params["dest"])[1].lower()]
    headers = list(_import_file.HEADERS) + list(params["attributes"])
    # A login name only CyberArk gives (the Remote Access integration user) is no person an HR file lists: out of the
    # export's reach, as it is out of a sync's. Any other user the import would refuse is left out with a warning.
    found = _export.Found()
    pages = _export.record_pages(client, selection, tenant_roles, found)
    try:
        if file_format == "csv":
            before = _export.existing_users(params["dest"])
            changed = _export.write_csv(params["dest"], headers, pages, module.check_mode)
        else:
            records = [record for page in pages for record in page]
            held = _export.read_existing(params["dest"])
            before = len(held.rows) if held else None
            changed = not _export.same_records(held, records, headers)
            if changed and not module.check_mode:
                _export.write(params["dest"], _export.content(records, headers, file_format))
    except _files.UnsafePathError as exc:  # checked before the first request; a link planted meanwhile
        raise ConfigurationError(f"dest: {exc.strerror}") from None
    except OSError as exc:
        raise ConfigurationError(f"dest: {params['dest']} could not be written: {exc.strerror or exc.__class__.__name__}") from None
    for user in found.left_out:
        module.warn(f"{user['login_name']} is not exported: the import would refuse it ({user['message']})")
    return {"changed": changed, "dest": params["dest"], "format": file_format, "users": found.users, "headers": headers,
            "left_out": found.left_out, "out_of_reach": sorted(found.out_of_reach, key=str.lower),
            "diff": {"before": {"dest": params["dest"], "users": before} if before is not None else {},
                     "after": {"dest": params["dest"], "users": found.users}}}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            dest=dict(type="path", required=True),
            suffixes=dict(type="list", elements="str"),
            roles=dict(type="list", elements="str"),
            search=dict(type="str"),
            attributes=dict(type="list", elements="str", default=[]),
            concurrency=dict(type="int", default=8),
            page_size=dict(type="int", default=1000),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
