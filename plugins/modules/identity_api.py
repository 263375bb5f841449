#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_api
short_description: Call any CyberArk Identity REST endpoint
version_added: 1.0.0
description:
  - An escape hatch for calls the collection does not cover yet - one request to the tenant, with the collection's
    login, retries on HTTP 429 and 5xx, redirect rule and secret hygiene.
  - The answer's C(Result) is returned (or the whole JSON body when the answer has no C(success) envelope, as OAuth
    endpoints answer). An answer with C(success) false, or an HTTP status of 400 or more, fails the task with the
    tenant's message, error code and error ID.
  - Prefer the collection's modules where they exist; they plan, compare and report changes, which a raw call cannot.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  path:
    description:
      - The endpoint, relative to the tenant URL, for example V(/CDirectoryService/GetUser). The request always goes to
        the tenant (O(tenant_url), or the URL a login was redirected to); a full URL, a query string (use O(params)),
        C(..) segments and control characters are refused.
    type: str
    required: true
  method:
    description: The HTTP method. Most Identity endpoints take V(POST), reads included.
    type: str
    choices: [GET, POST, PUT, PATCH, DELETE]
    default: POST
  body:
    description:
      - The JSON body, a mapping or a list. Without it, V(POST), V(PUT) and V(PATCH) send none.
      - The body is not hidden from the task's invocation log; put secrets in it only with C(no_log) on the task.
    type: raw
  params:
    description: Query string parameters.
    type: dict
  read_only:
    description:
      - Whether the call only reads. A read is sent in check mode too and reports no change; it is retried when its
        answer is lost.
      - Any other call reports a change, is not sent in check mode (RV(sent) is V(false)), and is never sent twice
        blindly - when its answer is lost, the task fails saying the write may or may not have been applied.
    type: bool
    default: false
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
attributes:
  check_mode:
    support: partial
    description: Can run in check mode and return changed status prediction without modifying the target.
    details: Only calls marked O(read_only=true) are sent in check mode; any other call is reported as a change, unsent.
  diff_mode:
    support: none
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
  idempotent:
    support: none
    description: When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
    details: The module cannot know what a call changes; a call with O(read_only=false) always reports a change.
notes:
  - The tenant's answer is returned as it came (only the connection's own secrets are masked in error messages). When
    an answer may hold secrets, set C(no_log) on the task.
"""

EXAMPLES = r"""
- name: Read a user's details by ID (a read, also sent in check mode)
  cyberark_community.identity.identity_api:
    path: /CDirectoryService/GetUser
    body:
      ID: "{{ user_id }}"
    read_only: true
  register: details

- name: Page through a Redrock query
  cyberark_community.identity.identity_api:
    path: /Redrock/query
    body:
      Script: "Select ID, Name from Role ORDER BY Name"
      args: {PageNumber: 1, PageSize: 100, Limit: 100000, Caching: -1}
    read_only: true
  register: roles_page

- name: Show the role names of the first page
  ansible.builtin.debug:
    msg: "{{ roles_page.result.Results | map(attribute='Row.Name') | list }}"
"""

RETURN = r"""
result:
  description: The C(Result) of the answer, or its whole JSON body when it has no C(success) envelope; V(null) when
    the call was not sent or the answer was empty.
  returned: always
  type: raw
  sample: {"Name": "jane.doe@acme.com", "Uuid": "c2b5e7a0-1f7d-4c1e-9a55-0e8f4b6d2a11"}
status:
  description: The HTTP status of the answer; V(null) when the call was not sent.
  returned: always
  type: int
  sample: 200
sent:
  description: Whether the call was sent (a call that is not a read is not sent in check mode).
  returned: always
  type: bool
  sample: true
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule


def path_error(path: str) -> str | None:
    """Why ``path`` cannot be sent to the tenant, or None: it must stay a path on the tenant's host."""
    if "://" in path or path.startswith("//") or not path.startswith("/"):
        return f"{path[:60]!r} must be a path on the tenant starting with /, for example /CDirectoryService/GetUser"
    if "?" in path or "#" in path:
        return f"{path[:60]!r} holds a query string or fragment; give query parameters with params"
    if ".." in path.split("/") or "\\" in path:
        return f"{path[:60]!r} holds a .. segment or a backslash"
    control = _validate.control_error(path)
    return f"{path[:60]!r} {control}" if control else None


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem with the options, each naming its option; checked before any request."""
    errors = []
    problem = path_error(params["path"])
    if problem:
        errors.append(f"path: {problem}")
    if params.get("body") is not None and not isinstance(params["body"], (dict, list)):
        errors.append(f"body must be a mapping or a list (got {params['body'].__class__.__name__})")
    return errors


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    read_only = params["read_only"]
    if module.check_mode and not read_only:
        return {"changed": True, "sent": False, "status": None, "result": None}
    status, result = client.request(params["path"], params.get("body"), params.get("params"), params["method"], idempotent=read_only)
    return {"changed": not read_only, "sent": True, "status": status, "result": result}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            path=dict(type="str", required=True),
            method=dict(type="str", default="POST", choices=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            body=dict(type="raw"),
            params=dict(type="dict"),
            read_only=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors)


if __name__ == "__main__":
    main()
