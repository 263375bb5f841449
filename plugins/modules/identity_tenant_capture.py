#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_tenant_capture
short_description: Capture a CyberArk Identity tenant's onboarding state as identity_onboarding variables, and report drift
version_added: 2.1.0
description:
  - Reads the tenant and returns (and writes to O(dest)) the variables of the C(cyberark_community.identity.identity_onboarding)
    role - login suffixes, roles with their description, administrative rights, member groups and member roles, users with
    their fields, roles, manager and additional attributes - such that running the role with them against the same
    tenant reports no change and sends no write.
  - With O(users_dest), the users go to an import file in the format of M(cyberark_community.identity.identity_bulk_import),
    written by the same code as M(cyberark_community.identity.identity_user_export), and the variables name it in
    C(identity_onboarding_import_file) with C(identity_onboarding_import_roles_mode=exact). Service users stay in
    C(identity_onboarding_users) - the import format cannot say what they are.
  - Roles and lists are captured whole, with the C(purge_*) flags set, so that a re-apply (or a drift check) also sees
    what was added in the tenant to a captured role or user.
  - Secrets are never captured - no endpoint returns a password or a client secret. RV(must_supply) names each value a
    user must supply on re-apply to another tenant, and RV(not_captured) names what cannot be captured or copied, with
    the reason (tenant URLs, IDs, passwords, users CyberArk provisions such as C(alero-integration-user$@<suffix>),
    the suffix CyberArk generates for a Shared Services tenant (C(cyberark.cloud.<digits>)), suffixes of connected
    directories, the Remote Access portal settings).
  - When O(dest) holds kept variables already, RV(drift) compares them (and the users file at O(users_dest)) with the
    tenant - what was added, removed or changed, per kind. Run in check mode to detect drift without writing anything.
  - Reads by page only; see the notes for the requests.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  dest:
    description:
      - The variables file to write on the Ansible controller (YAML, V(.yml) or V(.yaml)); its folder is created when
        missing. Written whole (mode 0600), as a new file renamed into place, never through a symbolic link.
      - When it exists, its variables are the kept state RV(drift) compares with the tenant.
      - Without it, nothing is written and the variables are only returned in RV(captured).
    type: path
  users_dest:
    description:
      - The users file to write, V(.csv) or V(.xlsx), in the import format. Without it, every user is captured in
        C(identity_onboarding_users), one task each on re-apply (slow for thousands of users).
      - When it exists, its users are part of the kept state RV(drift) compares with the tenant.
    type: path
  import_file:
    description:
      - How the variables name the users file in C(identity_onboarding_import_file); defaults to O(users_dest) as given.
      - The role reads a relative path from the playbook's folder.
    type: str
  kinds:
    description: What to capture.
    type: list
    elements: str
    choices: [login_suffixes, roles, users, remote_access]
    default: [login_suffixes, roles, users, remote_access]
  attributes:
    description:
      - Additional attributes to capture, by name. Unset, every attribute the tenant defines; V([]) none.
      - Each costs one request per user (the API reads additional attributes one user at a time).
    type: list
    elements: str
  concurrency:
    description: How many requests are in flight at once, from 1 to 16 (attribute and service user reads; pages of the user query).
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
attributes:
  check_mode:
    support: full
    description: In check mode the module reads the tenant and reports drift and whether the files would change, and writes no file.
  diff_mode:
    support: full
    description: Shows the variables file before and after (it holds no secret), and the number of users in the users file.
  idempotent:
    support: full
    description: A second run against an unchanged tenant reports no change and writes no file. The module never writes to the tenant.
notes:
  - "Requests - the suffixes (one), the roles (the Role table, paged), every role's rights (two for all roles) and the
    tenant's list of rights (one, when a role holds any), one C(Roles/GetRoleMembers) per role (it gives every user's
    roles too), the users (CDUser, pages of O(page_size)), the attribute schema (one), one C(CDirectoryService/GetUser)
    per user outside the Everybody role (to tell an OAuth client), and one read per user when additional attributes
    are captured. 10,000 users and 200 roles without attributes take about 220 requests."
  - "Not captured - tenant URLs, IDs, passwords and client secrets, write-only user settings (Require Password Change,
    Password Never Expires, account expiry, account state), the Everybody role, users CyberArk provisions, the suffix
    CyberArk generates for a Shared Services tenant, suffixes of connected directories, directory groups themselves
    (a role's member groups are captured by name), and the Remote Access portal settings (no public API reads them).
    RV(not_captured) lists them by name."
  - No endpoint reports whether a user is a service user; a user outside the Everybody role (which service users never
    join) is captured as one, and RV(not_captured) says so for each that is not an OAuth client.
  - Writing V(.xlsx) needs the Python library openpyxl on the controller.
seealso:
  - module: cyberark_community.identity.identity_user_export
  - module: cyberark_community.identity.identity_role_info
  - module: cyberark_community.identity.identity_bulk_import
"""

EXAMPLES = r"""
- name: Capture the tenant into files kept in git
  cyberark_community.identity.identity_tenant_capture:
    dest: tenant/acme.yml
    users_dest: tenant/acme_users.csv
  register: captured

- name: Say what must be supplied on re-apply, and what cannot be copied
  ansible.builtin.debug:
    msg:
      must_supply: "{{ captured.must_supply | map(attribute='variable') | list }}"
      not_captured: "{{ captured.not_captured | map(attribute='name') | list }}"

- name: Only report drift against the kept files (writes nothing)
  cyberark_community.identity.identity_tenant_capture:
    dest: tenant/acme.yml
    users_dest: tenant/acme_users.csv
  check_mode: true
  register: checked

- name: Roles only, returned and not written
  cyberark_community.identity.identity_tenant_capture:
    kinds: [roles]
  register: roles_only
"""

RETURN = r"""
captured:
  description:
    - The variables of the identity_onboarding role, as written to O(dest) - C(identity_onboarding_login_suffixes),
      C(identity_onboarding_roles), C(identity_onboarding_users), and with O(users_dest) C(identity_onboarding_import_file)
      and C(identity_onboarding_import_roles_mode); C(remote_access_onboarding_integration_suffix) when the tenant holds
      the Remote Access integration user.
  returned: always
  type: dict
  sample: {"identity_onboarding_login_suffixes": ["acme.com"],
           "identity_onboarding_roles": [{"name": "Help Desk", "description": "First line", "administrative_rights": ["User Management"],
                                          "purge_administrative_rights": true, "member_groups": [], "purge_member_groups": true,
                                          "member_roles": [], "purge_member_roles": true}],
           "identity_onboarding_users": [{"name": "backup-svc@acme.com", "service_user": true, "oauth_client": false,
                                          "roles": [], "purge_roles": true}]}
users_file:
  description: The users file written (or that would be), with C(path), C(format), C(users) (how many) and C(headers); empty without O(users_dest).
  returned: always
  type: dict
  sample: {"path": "tenant/acme_users.csv", "format": "csv", "users": 120, "headers": ["Login Name", "Email Address"]}
not_captured:
  description: What was not captured or cannot be copied to another tenant, each with C(kind), C(name) and C(reason).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "users", "name": "alero-integration-user$@acme.com", "reason": "provisioned by CyberArk"}]
must_supply:
  description: Values a user must supply to re-apply the variables to another tenant, each with C(variable) and C(reason).
  returned: always
  type: list
  elements: dict
  sample: [{"variable": "identity_onboarding_users[backup-svc@acme.com].password", "reason": "its password"}]
drift:
  description:
    - Per kind (C(login_suffixes), C(roles), C(users)), the names C(added) (in the tenant, not in the kept files),
      C(removed) (kept, not in the tenant) and C(changed) (in both, different). Users by lower-case login name.
    - Empty when O(dest) held no kept variables.
  returned: always
  type: dict
  sample: {"roles": {"added": ["Auditors"], "removed": [], "changed": ["Help Desk"]}}
drifted:
  description: Whether RV(drift) names anything.
  returned: always
  type: bool
  sample: false
"""

import os
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _files
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_file
from ansible_collections.cyberark_community.identity.plugins.module_utils.capture import _capture, _drift
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core depends on PyYAML
    yaml = None

MAX_CONCURRENCY = 16
MAX_PAGE_SIZE = 10_000
VARS_FORMATS = (".yml", ".yaml")


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem with the options, each naming its option; checked before any request."""
    errors = []
    if params.get("dest"):
        if os.path.splitext(params["dest"])[1].lower() not in VARS_FORMATS:
            errors.append(f"dest must end in .yml or .yaml (got {os.path.basename(params['dest'])!r})")
        else:
            problem = _files.writable_error([params["dest"]])
            if problem:
                errors.append(f"dest: {problem}")
    if params.get("users_dest"):
        extension = os.path.splitext(params["users_dest"])[1].lower()
        if extension not in _export.FORMATS:
            errors.append(f"users_dest must end in .csv or .xlsx (got {os.path.basename(params['users_dest'])!r})")
        else:
            problem = _files.writable_error([params["users_dest"]])
            if problem:
                errors.append(f"users_dest: {problem}")
            elif _export.FORMATS[extension] == "xlsx" and _import_file.missing_library("openpyxl", writing=True):
                errors.append(f"users_dest: {_import_file.missing_library('openpyxl', writing=True)}")
        if "users" not in params["kinds"]:
            errors.append("users_dest needs users in kinds")
    if params.get("import_file") is not None and not params.get("users_dest"):
        errors.append("import_file needs users_dest")
    if not params["kinds"]:
        errors.append("kinds must name at least one kind")
    if not 1 <= params["concurrency"] <= MAX_CONCURRENCY:
        errors.append(f"concurrency must be between 1 and {MAX_CONCURRENCY} (got {params['concurrency']})")
    if not 1 <= params["page_size"] <= MAX_PAGE_SIZE:
        errors.append(f"page_size must be between 1 and {MAX_PAGE_SIZE:,} (got {params['page_size']})")
    for value in params.get("attributes") or []:
        problem = _validate.control_error(value)
        if problem or not value.strip():
            errors.append(f"attributes: {value[:40]!r} {problem or 'is empty'}")
    clash = [a for a in params.get("attributes") or [] if a in _import_file.KNOWN_HEADERS]
    if clash:
        errors.append(f"attributes: {', '.join(clash)} is a header of the import format already")
    return errors


HEADER = """# The onboarding state of a CyberArk Identity tenant, as variables of cyberark_community.identity.identity_onboarding.
# Written by cyberark_community.identity.identity_tenant_capture: running the role with them against the same tenant
# changes nothing. No secret is held here.
"""


def vars_text(captured: _capture.Capture) -> str:
    """The variables file: a header naming what must be supplied and what was not captured, then the variables."""
    lines = [HEADER]
    if captured.must_supply:
        lines.append("# Supply on re-apply to another tenant:\n")
        lines += [one_line(f"#   {item['variable']}: {item['reason']}") for item in captured.must_supply]
    lines.append("# Not captured (cannot be copied):\n")
    lines += [one_line(f"#   {item['name']} ({item['kind']}): {item['reason']}") for item in captured.not_captured]
    body = yaml.safe_dump(captured.variables, default_flow_style=False, sort_keys=False, allow_unicode=True, width=160)
    return "".join(lines) + "---\n" + body


def one_line(text: str) -> str:
    """A comment line: a name or a message holding a line break cannot end the comment."""
    return " ".join(text.splitlines()) + "\n"


def read_text(path: str) -> str | None:
    if not path or not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def kept_variables(path: str | None, text: str | None) -> dict[str, t.Any] | None:
    """The kept variables at ``dest``; None when there is no such file. A file that is not a mapping of variables fails."""
    if text is None:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"dest: {path} is not YAML ({str(exc).splitlines()[0]}); move it away or choose another path") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError(f"dest: {path} does not hold a mapping of variables; move it away or choose another path")
    return data


def write(option: str, path: str, data: bytes) -> None:
    try:
        _files.write_file(path, data)
    except _files.UnsafePathError as exc:  # checked before the first request; a link planted meanwhile
        raise ConfigurationError(f"{option}: {exc.strerror}") from None
    except OSError as exc:
        raise ConfigurationError(f"{option}: {path} could not be written: {exc.strerror or exc.__class__.__name__}") from None


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    dest, users_dest = params.get("dest"), params.get("users_dest")
    old_text = read_text(dest) if dest else None
    kept = kept_variables(dest, old_text)
    old_records = _export.read_existing(users_dest) if users_dest else None
    captured = _capture.capture(client, params["kinds"], bool(users_dest), params.get("attributes"), params["page_size"],
                                params["concurrency"], params.get("import_file") or users_dest or "")
    for warning in captured.warnings:
        module.warn(warning)
    drift: dict[str, t.Any] = {}
    if kept is not None:
        kept_records = [record for _number, record in old_records.rows] if old_records is not None else []
        drift = _drift.compare(_drift.state_of(kept, kept_records), _drift.state_of(captured.variables, captured.records),
                               [k for k in params["kinds"] if k in _drift.KINDS])
    changed = False
    diffs = []
    if dest:
        new_text = vars_text(captured)
        if new_text != old_text:
            changed = True
            if not module.check_mode:
                write("dest", dest, new_text.encode("utf-8"))
        diffs.append({"before": old_text or "", "after": new_text, "before_header": dest, "after_header": dest})
    users_file: dict[str, t.Any] = {}
    if users_dest:
        file_format = _export.FORMATS[os.path.splitext(users_dest)[1].lower()]
        if not _export.same_records(old_records, captured.records, captured.headers):
            changed = True
            if not module.check_mode:
                write("users_dest", users_dest, _export.content(captured.records, captured.headers, file_format))
        users_file = {"path": users_dest, "format": file_format, "users": len(captured.records), "headers": captured.headers}
        diffs.append({"before": f"{len(old_records.rows)} users\n" if old_records else "", "after": f"{len(captured.records)} users\n",
                      "before_header": users_dest, "after_header": users_dest})
    return {"changed": changed, "captured": captured.variables, "users_file": users_file, "not_captured": captured.not_captured,
            "must_supply": captured.must_supply, "drift": drift, "drifted": _drift.drifted(drift), "diff": diffs or {"before": {}, "after": {}}}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            dest=dict(type="path"),
            users_dest=dict(type="path"),
            import_file=dict(type="str"),
            kinds=dict(type="list", elements="str", choices=list(_capture.KINDS), default=list(_capture.KINDS)),
            attributes=dict(type="list", elements="str"),
            concurrency=dict(type="int", default=8),
            page_size=dict(type="int", default=1000),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
