#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_bulk_import
short_description: Import up to 10,000 CyberArk Cloud Directory users from a CSV, XLSX or XLS file
version_added: 0.1.0
description:
  - Reads an import file (or an inline list of the same records), checks every row against CyberArk's import-file
    rules, plans each row against the tenant (create, update, unchanged or invalid) and applies the plan.
  - "By default one invalid row fails the task before anything is written, with every problem listed by row, column
    and value (passwords masked). O(on_invalid=skip) imports the valid rows and reports the others."
  - Existing users are brought to the file's values, so a re-run of the same file changes nothing and sends no write.
  - After applying, the rows are read back from the tenant; a row is reported V(ok) only when the tenant shows it as
    the file says, rows that did not land are applied again (at most 3 more rounds), and the rest are reported
    V(failed) with the fields or roles missing.
  - Two methods. V(api) (default) creates users concurrently through the API, adapting to the tenant's throttling, and
    reports every row. V(service) hands new users to the service's own two-step import (the import wizard's job),
    waits until they are visible and then reports every row the same way.
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  path:
    description:
      - The import file, V(.csv), V(.xlsx) or V(.xls), on the Ansible controller.
      - "Headers must match exactly, including case and spaces: C(Login Name), C(Email Address) (both required),
        C(Display Name), C(Description), C(Office Number), C(Mobile number), C(Home number), C(Roles),
        C(Expiration Date), C(Password), C(Require Password Change), C(Password Never Expires), C(Reports to)."
      - "This collection adds one header of its own, not one of the service's import wizard: C(Previous Login Name).
        When it names an existing user and the C(Login Name) does not exist yet, that user is renamed (and brought to the
        row's values) instead of a new user being created. The service's own import (O(method=service)) never sees it."
      - Other headers are imported as additional attributes when the tenant defines attributes of those exact names
        (Settings > Customization > Additional Attributes); the rest are ignored with a warning that names them.
      - "Limits, so that any file is read or refused within seconds on a shared controller: at most 10,000,000 bytes,
        50,000 rows (the header and blank rows included), 100 columns and 250,000 cells (each row counted up to its last
        value). An V(.xlsx) file also holds at most 30,000,000 bytes uncompressed, 16,000,000 bytes of shared strings and
        800,000 XML elements, and no document type declaration (DTD). The task fails naming the limit a file passes."
      - A spreadsheet cell that cannot be read as the type it is stored as (a password stored as a number or a date)
        fails the task with its row and column, never with its value.
    type: path
  users:
    description:
      - The records as a list of dictionaries, keyed by the headers of an import file (C(Login Name), C(Email Address),
        ...) or their snake_case names (C(login_name), C(email_address), ...). C(roles) may be a list. Additional
        attributes go under the header names the tenant defines, or in a dictionary under C(attributes).
      - Every value of a key that spells C(password) (C(password), C(Password), C(PASSWORD), ...), also under
        C(attributes), is handled as a secret, as if the option were C(no_log),
        and is masked in the invocation, the results, the logs and the reports, also when another option is refused
        (a misspelt option, a wrong type, O(path) beside O(users)).
      - Exactly one of O(path) and O(users) is required.
    type: list
    elements: dict
  encoding:
    description: Text encoding of a CSV file. A UTF-8 byte-order mark is accepted.
    type: str
    default: utf-8
  method:
    description: V(api) creates users through the API; V(service) uses the service's own two-step import for new users.
    type: str
    choices: [api, service]
    default: api
  on_invalid:
    description: V(fail) fails the task before any write when a row is invalid; V(skip) imports the valid rows and reports the rest.
    type: str
    choices: [fail, skip]
    default: fail
  update_existing:
    description: Whether users that exist already are brought to the file's values. Empty cells leave a field alone.
    type: bool
    default: true
  update_password:
    description:
      - V(on_create) sends passwords and the other write-only columns (C(Require Password Change), C(Password Never Expires),
        C(Expiration Date)) only for new users. V(always) sends them for existing users too, which is a change on every run.
    type: str
    choices: [on_create, always]
    default: on_create
  send_email_invite:
    description: Whether the tenant emails each new user an invitation. Off unless set, so an import never emails users by surprise.
    type: bool
    default: false
  concurrency:
    description:
      - The most requests the V(api) method keeps in flight, from 1 to 64 (one pooled connection each).
      - The module starts with 4, adds one after each run of answers that stay fast, and halves the number whenever the
        tenant answers HTTP 429 (waiting as C(Retry-After) asks), so the tenant's throttling sets the pace.
      - "The default, 16, is about what one controller core keeps busy: each request costs the module about a millisecond
        of CPU, so at a typical 20 ms answer time 16 in flight saturate it. Raise it for a tenant that answers slowly
        (100 ms or more); lower it, or set O(max_requests_per_second), to leave room for other applications."
      - RV(import.requests) reports the requests in flight (mean and maximum) and the HTTP 429 answers met.
    type: int
    default: 16
  roles_mode:
    description:
      - V(append) grants the roles a row lists and leaves the user's other roles alone.
      - V(exact) also takes from each existing user the roles its row does not list, so the file is the whole truth
        about role membership. C(Everybody) is never touched, nor the connecting user's roles.
      - V(exact) reads every role's members once per run (one request per role of the tenant).
    type: str
    choices: [append, exact]
    default: append
  absent_users:
    description:
      - What happens to users in O(scope) that the file does not list (leavers).
      - V(keep) leaves them alone. V(disable) disables them (C(SetUserState)), V(delete) deletes them (C(UserMgmt/RemoveUsers),
        in batches of 500).
      - Never applied to a user outside O(scope), to the connecting user, or to a member of the System Administrator role
        unless O(scope.include_admins=true). Users named by any row of the file, valid or not, and by any
        C(Previous Login Name), are never removed.
      - Never applied to a user whose login name the import format cannot hold, such as
        C(alero-integration-user$@<suffix>), the Remote Access integration user that CyberArk provisions. No file could
        list it, and removing it would cut the integration. The result lists such users in RV(import.scope.out_of_reach).
      - Not applied when the file or O(users) holds no record at all, which more often means a broken feed than that
        everyone left; the task warns that there is nothing to import and removes no one.
      - Other values than V(keep) need O(scope) and credentials that name the connecting user (O(client_id) or O(login_username)).
    type: str
    choices: [keep, disable, delete]
    default: keep
  scope:
    description:
      - Which tenant users the file owns. A user is in the scope when it matches every criterion given; within one
        criterion, any of its values.
      - At least one of O(scope.suffixes), O(scope.roles) and O(scope.attribute) is required with O(absent_users).
    type: dict
    suboptions:
      suffixes:
        description: Login suffixes (compared case-insensitively), for example V(hr.acme.com).
        type: list
        elements: str
        default: []
      roles:
        description: Roles (case-sensitive names); members of any of them are in the scope.
        type: list
        elements: str
        default: []
      attribute:
        description:
          - An additional attribute's name and value; users holding that value are in the scope.
          - Costs one read per user the other criteria leave (the API reads additional attributes one user at a time).
        type: dict
        suboptions:
          name:
            description:
              - The additional attribute's name, as the tenant defines it (case-sensitive).
              - A name the tenant does not define fails the task before any write.
            type: str
            required: true
          value:
            description: The value that puts a user in the scope (compared as text).
            type: str
            required: true
      include_admins:
        description: Whether members of the System Administrator role may be removed.
        type: bool
        default: false
  max_removals:
    description:
      - The most users one run may disable or delete, as a number (V(25)) or a percentage of the users in the scope
        (V(10%), rounded down, and at least one user when the percentage is above 0 and the scope holds anyone, so that
        the default lets a small scope lose one). A plan that would remove more fails the task before any write, in check mode too, with
        every removal listed in RV(import.removals) (the first 100 in the result; the report, O(report_path), lists all).
    type: str
    default: 10%
  report_path:
    description:
      - Where to write the import report, a CSV with one line per row (row, login name, action, outcome, message);
        a summary is written beside it with the extension of O(report_format). No password is written.
      - Both files are written whole with mode 0600, each as a new file renamed into place; a symbolic link at either
        path is refused. The paths are checked before the first write to the tenant.
      - Values from the import file are written as text, never as a formula or markup - a CSV cell that starts with
        C(=), C(+), C(-), C(@), a tab, a line break or an apostrophe gets an apostrophe in front; the summary escapes
        Markdown and HTML.
      - In check mode the plan is written beside it as C(<name>.plan<extension>), so a plan never replaces the report
        of a real run.
    type: path
  report_format:
    description: Format of the summary written beside O(report_path).
    type: str
    choices: [markdown, html]
    default: markdown
  result_rows:
    description:
      - Which rows RV(import.rows) carries. V(all) every row. V(changes) only the rows created or updated (or planned
        to be), failed or invalid; the others are counted in RV(import.omitted) (V(rows)). V(auto) is V(all) up to
        1,000 rows and V(changes) above.
      - A result of 10,000 rows is more than a megabyte, which ansible-core scrubs for secrets and AWX stores as one job
        event; the report (O(report_path)) always lists every row, and RV(import.summary) counts them.
      - RV(import.removals) always lists every removal.
    type: str
    choices: [auto, all, changes]
    default: auto
    version_added: 2.0.0
  admin_email:
    description: With O(method=service), the address the service sends its Bulk Import Report to. Required for that method.
    type: str
  wait_timeout:
    description: With O(method=service), how many seconds to wait for the imported users to become visible.
    type: int
    default: 600
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
notes:
  - Create the roles the file names, and the login suffixes, before the import (see
    M(cyberark_community.identity.identity_role) and M(cyberark_community.identity.identity_login_suffix)).
  - Additional attributes are written with C(ExtData/SetColumns); comparing them for existing users costs one read per user
    that has attribute values in the file.
  - Check mode returns the full plan and the first 15 records, as the import wizard's review step shows them.
  - The bulk import guide (docs/docsite/rst/bulk_import.rst) compares the two methods.
  - O(method=service) rests on weaker evidence than V(api) - the multipart part name (C(Icon)), the CSV the service takes and
    the double-encoded answer of C(SubmitUploadedFile) come from one community commit, not from CyberArk's SDKs or API
    reference (docs/api_sources.md). Prefer V(api) unless the service's own import report is wanted.
  - "Joiners, movers and leavers: the lifecycle guide (docs/docsite/rst/lifecycle.rst) shows a scheduled sync (O(absent_users), O(scope), O(roles_mode),
    C(Previous Login Name)) with a check-mode job before the applying one."
seealso:
  - module: cyberark_community.identity.identity_user
  - module: cyberark_community.identity.identity_user_export
  - ref: ansible_collections.cyberark_community.identity.docsite.bulk_import
    description: The bulk import guide - the import file's rules, the two methods, reports.
  - ref: ansible_collections.cyberark_community.identity.docsite.lifecycle
    description: Joiners, movers and leavers - a scheduled sync with a plan before the apply.
"""

EXAMPLES = r"""
- name: Import a file, failing on any invalid row
  cyberark_community.identity.identity_bulk_import:
    path: files/new_hires.csv
    report_path: reports/new_hires_import.csv
  register: imported

- name: Show the counts
  ansible.builtin.debug:
    var: imported.import.summary

- name: Import the valid rows of a spreadsheet and report the others
  cyberark_community.identity.identity_bulk_import:
    path: files/contractors.xlsx
    on_invalid: skip
    report_path: reports/contractors.csv
    report_format: html

- name: Import from variables
  cyberark_community.identity.identity_bulk_import:
    users:
      - login_name: jane.doe@acme.com
        email_address: jane.doe@acme.com
        display_name: Doe, Jane
        roles: [Help Desk]

- name: Keep the hr.acme.com users in step with the HR export - disable leavers, make roles exact
  cyberark_community.identity.identity_bulk_import:
    path: files/hr_export.csv
    roles_mode: exact
    absent_users: disable
    scope:
      suffixes: [hr.acme.com]
    max_removals: 5%
    report_path: reports/hr_sync.csv
"""

RETURN = r"""
import:
  description: The plan (check mode) or the outcome of the import. Never holds a password.
  returned: always
  type: dict
  contains:
    source:
      description: The file name, or V(users).
      type: str
      sample: "new_hires.csv"
    method:
      description: The method used.
      type: str
      sample: "api"
    summary:
      description: Counts of rows by action (V(rows), V(create), V(update), V(unchanged), V(invalid)) and V(failed).
      type: dict
      sample: {"rows": 40, "create": 38, "update": 1, "unchanged": 1, "invalid": 0, "failed": 0}
    rows:
      description:
        - One entry per row, with V(row), V(login_name), V(action), V(outcome) (V(planned), V(ok), V(failed), V(skipped)),
          V(message) and V(changes); with O(result_rows=changes) (or V(auto) above 1,000 rows) only the rows created,
          updated, failed or invalid, RV(import.omitted) counting the others.
        - Named C(items) before 2.0.0, which Jinja's dot notation reads as the dictionary method.
      type: list
      sample: [{"row": 2, "login_name": "jane.doe@acme.com", "action": "create", "outcome": "ok", "message": "created", "changes": ["roles"]}]
      elements: dict
    problems:
      description: Every problem found in the input, with V(row), V(column), V(value) (passwords masked) and V(message).
      type: list
      sample: [{"row": 7, "column": "Email Address", "value": "N/A", "message": "is not an email address"}]
      elements: dict
    ignored_headers:
      description: Headers that are not import fields and were ignored.
      type: list
      sample: ["Shoe Size"]
      elements: str
    preview:
      description: The first 15 records as read (passwords masked), as the import wizard shows them.
      type: list
      sample: [{"Login Name": "jane.doe@acme.com", "Email Address": "jane.doe@acme.com", "Password": "********"}]
      elements: dict
    report_files:
      description: The report files written (mode 0600, readable by their owner only).
      type: list
      sample: ["reports/new_hires.csv", "reports/new_hires.md"]
      elements: str
    report_error:
      description: Why the report could not be written after the import, or V(null). The path is checked before any write.
      type: str
      sample: null
    phases:
      description:
        - How long each phase took (V(seconds)) and how many requests it sent (V(requests)) - V(read) (the file, suffixes,
          the attribute schema), V(plan), V(apply) and V(settle) (reading the rows back and applying again what did not land).
      type: dict
      sample: {"read": {"seconds": 0.4, "requests": 2}, "plan": {"seconds": 1.2, "requests": 24}, "apply": {"seconds": 43.0, "requests": 10020}}
    job_id:
      description: With O(method=service), the service's import job (its C(ReturnID)).
      type: str
      sample: null
    requests:
      description:
        - What the task sent - V(total) requests, V(throttled) (answered HTTP 429 and sent again), and the requests in
          flight, V(in_flight_mean) and V(in_flight_max).
      type: dict
      sample: {"total": 10066, "throttled": 0, "in_flight_mean": 14.2, "in_flight_max": 16}
    removals:
      description:
        - With O(absent_users), every user in the scope that the file does not list, with V(login_name), V(action)
          (V(disable) or V(delete)), V(outcome) (V(planned), V(ok) or V(failed), as read back from the tenant) and
          V(message). Empty with O(absent_users=keep).
      type: list
      elements: dict
      sample: [{"login_name": "leaver@hr.acme.com", "action": "disable", "outcome": "ok", "message": "disabled"}]
    omitted:
      description:
        - How many entries of V(problems), V(rows) and V(removals) the result leaves out. A failed result carries the
          first 100 of each, so that the job output stays readable (Ansible prints a failed result on one line); with
          O(result_rows=changes) (or V(auto) above 1,000 rows) V(rows) leaves out the unchanged rows. The report file
          (O(report_path)) keeps every row.
      type: dict
      sample: {"problems": 900, "rows": 900, "removals": 0}
    scope:
      description: With O(absent_users), the scope's size and cap; otherwise null.
      type: dict
      contains:
        users:
          description: How many users the scope holds (without the connecting user, the administrators spared and the users out of reach).
          type: int
          sample: 120
        max_removals:
          description: The most users this run may remove.
          type: int
          sample: 12
        out_of_reach:
          description:
            - Login names the scope's criteria match that no sync removes, because the import format cannot hold them
              (users CyberArk provisions, such as the Remote Access integration user).
          type: list
          elements: str
          sample: ["alero-integration-user$@acme.com"]
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import (
    _import_file, _import_outcome, _import_plan, _import_report, _import_rows, _importer, _service_import,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _validate
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, TaskFailed
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule


MAX_CONCURRENCY = 64  # the transport's connection pool size


def is_password_key(key: t.Any) -> bool:
    """``password``, ``Password``, ``PASSWORD``, ``pass word``: any spelling a careless record may use."""
    return isinstance(key, str) and "".join(ch for ch in key if ch.isalnum()).lower() == "password"


def inline_passwords(params: dict[str, t.Any]) -> list[str]:
    """The passwords of inline records, under any spelling of the key and under ``attributes`` too: secrets the module
    hides like a ``no_log`` option's value. Read before the options are checked too, so ``users`` may be anything there."""
    users = params.get("users")
    found = []
    for user in users if isinstance(users, list) else []:
        if not isinstance(user, dict):
            continue
        attributes = user.get("attributes") if isinstance(user.get("attributes"), dict) else {}
        found += [str(value) for mapping in (user, attributes) for key, value in mapping.items() if is_password_key(key) and value]
    return found


def input_errors(params: dict[str, t.Any], check_mode: bool = False) -> list[str]:
    """Every problem with the options, each naming its option; checked before any request."""
    errors = []
    if not 1 <= params["concurrency"] <= MAX_CONCURRENCY:
        errors.append(f"concurrency must be between 1 and {MAX_CONCURRENCY} (got {params['concurrency']})")
    if params["method"] == "service":
        if not params.get("admin_email"):
            errors.append("admin_email is required with method=service: the service emails its import report there")
        elif _validate.email_error(params["admin_email"]):
            errors.append(f"admin_email: {_validate.email_error(params['admin_email'])}")
        if params["wait_timeout"] < 1:
            errors.append(f"wait_timeout must be at least 1 second (got {params['wait_timeout']})")
    if params["absent_users"] != "keep":
        scope = params.get("scope") or {}
        if not (scope.get("suffixes") or scope.get("roles") or scope.get("attribute")):
            errors.append(f"absent_users={params['absent_users']} needs scope with suffixes, roles or attribute: "
                          "the users the file owns, the only ones it may remove")
    problem = max_removals_error(params["max_removals"])
    if problem:
        errors.append(f"max_removals: {problem}")
    if params.get("report_path"):
        path = _import_report.plan_path(params["report_path"]) if check_mode else params["report_path"]
        problem = _import_report.writable_error(path, params["report_format"])
        if problem:
            errors.append(f"report_path: {problem}")
    return errors


def max_removals_error(value: str) -> str | None:
    text = str(value).strip()
    number = text[:-1] if text.endswith("%") else text
    try:
        amount = float(number) if text.endswith("%") else int(number)
    except ValueError:
        return f"{value!r} is neither a number of users (25) nor a percentage (10%)"
    if amount < 0 or (text.endswith("%") and amount > 100):
        return f"{value!r} must be between 0 and {'100%' if text.endswith('%') else 'any number of users'}"
    return None


def connecting_user(params: dict[str, t.Any], client: IdentityClient) -> str | None:
    """The connecting user's login name, which a sync never removes; required when the sync may remove or take roles."""
    name = client.options.login_name()
    if name is None and (params["absent_users"] != "keep" or params["roles_mode"] == "exact"):
        raise ConfigurationError(
            f"{'absent_users' if params['absent_users'] != 'keep' else 'roles_mode=exact'} needs to know the connecting user, "
            "so that it never removes it or its roles: connect with client_id and client_secret (a service user) or "
            "login_username and login_password")
    return name


def scope_of(params: dict[str, t.Any]) -> _import_plan.Scope | None:
    scope = params.get("scope")
    if not scope:
        return None
    return _import_plan.Scope(suffixes=list(scope.get("suffixes") or []), roles=list(scope.get("roles") or []),
                              attribute=scope.get("attribute"), include_admins=bool(scope.get("include_admins")))


def read_records(params: dict[str, t.Any]) -> _import_file.Records:
    if params.get("path"):
        return _import_file.read_path(params["path"], params["encoding"])
    return _import_file.read_inline(params["users"])


def summarize(entries: list[_import_plan.Entry], outcomes: _import_outcome.Outcomes) -> dict[str, int]:
    summary = {"rows": len(entries), "create": 0, "update": 0, "unchanged": 0, "invalid": 0, "failed": 0}
    for entry in entries:
        summary[entry.action] += 1
        summary["failed"] += outcomes.rows[entry.row].outcome == "failed"
    return summary


SHOWN_PROBLEMS = 10
AUTO_ALL_ROWS = 1000  # result_rows=auto: every row up to this many, above it only the changes
FAILURE_LIST_LIMIT = 100  # entries of each list below in a failed task's result
BOUNDED_ON_FAILURE = ("problems", "rows", "removals")
DIFF_USERS = 50


def problem_summary(problems: list[dict[str, t.Any]]) -> str:
    """The first problems in one line, and where the rest are: a 10,000-row failure stays readable in an AWX job."""
    shown = "; ".join(_import_rows.problem_text(p) for p in problems[:SHOWN_PROBLEMS])
    rest = len(problems) - SHOWN_PROBLEMS
    return shown + (f" (and {rest} more: import.problems holds the first {FAILURE_LIST_LIMIT}; a report, report_path, lists every one)"
                    if rest > 0 else "")


def diff_of(plan: _import_plan.Plan) -> dict[str, t.Any]:
    """Before and after of each user the plan creates or changes (no secret), capped at DIFF_USERS users."""
    before: dict[str, t.Any] = {}
    after: dict[str, t.Any] = {}
    changing = [e for e in sorted(plan.entries, key=lambda e: e.row) if e.action in ("create", "update")]
    for entry in changing[:DIFF_USERS]:
        row = plan.rows[entry.row]
        current = plan.existing.get(row.name.lower()) or {}
        wanted = dict(entry.fields)
        if entry.action == "create":
            wanted = {field: getattr(row, option) for option, field in _import_plan.COMPARED.items() if getattr(row, option) is not None}
            before[row.name] = {}
        else:
            before[row.name] = {field: current.get(field) for field in wanted}
        if entry.grant:
            wanted["roles (added)"] = sorted(entry.grant)
        after[row.name] = wanted
    for entry in plan.removals[:max(0, DIFF_USERS - len(changing))]:
        before[entry.login_name] = {"account_state": "enabled"}
        after[entry.login_name] = {"account_state": "disabled"} if entry.action == "disable" else {}
    changing += plan.removals
    if len(changing) > DIFF_USERS:
        after[f"(and {len(changing) - DIFF_USERS} more users)"] = {}
        before[f"(and {len(changing) - DIFF_USERS} more users)"] = {}
    return {"before": before, "after": after}


def requests_sent(importer: _importer.Importer | None) -> dict[str, t.Any]:
    if importer is None:
        return {"total": 0, "throttled": 0, "in_flight_mean": 0.0, "in_flight_max": 0}
    return importer.requests()


def invalid_entries(problems: list[dict[str, t.Any]], records: _import_file.Records) -> list[_import_plan.Entry]:
    by_row: dict[int, list[str]] = {}
    for found in problems:
        by_row.setdefault(found["row"], []).append(_import_rows.problem_text(found, with_row=False))
    names = {number: values.get("Login Name", "") for number, values in records.rows}
    return [_import_plan.Entry(row, names.get(row, ""), "invalid", message="; ".join(messages)) for row, messages in sorted(by_row.items())]


def result_of(params: dict[str, t.Any], records: _import_file.Records, entries: list[_import_plan.Entry], problems: list[dict[str, t.Any]],
              check_mode: bool, job_id: str | None = None, phases: dict[str, t.Any] | None = None,
              plan: _import_plan.Plan | None = None, importer: _importer.Importer | None = None,
              outcomes: _import_outcome.Outcomes | None = None) -> dict[str, t.Any]:
    """The task's result from the entries and what became of them (nothing yet, without ``outcomes``)."""
    if outcomes is None:
        outcomes = _import_outcome.Outcomes(plan)
        outcomes.add(entries)
    entries = sorted(entries, key=lambda e: e.row)
    public = [_import_outcome.public(e, outcomes.rows[e.row]) for e in entries]
    removals = [_import_outcome.removal(e, o) for e, o in zip(plan.removals, outcomes.removals)] if plan else []
    scope = ({"users": plan.scope_size, "max_removals": plan.removal_limit, "out_of_reach": plan.out_of_reach}
             if plan and plan.removal_limit is not None else None)
    summary = summarize(entries, outcomes)
    shown = public
    if params["result_rows"] == "changes" or (params["result_rows"] == "auto" and len(public) > AUTO_ALL_ROWS):
        shown = [p for p in public if p["action"] in ("create", "update") or needs_a_look(p)]
    files: list[str] = []
    report_error = None
    if params.get("report_path"):
        # A plan never replaces the report of a real run: check mode writes <name>.plan<extension> beside it.
        path = _import_report.plan_path(params["report_path"]) if check_mode else params["report_path"]
        try:
            files = _import_report.write(path, params["report_format"], summary, public, records.source, check_mode, removals)
        except OSError as exc:  # checked before the first write; this is the disk failing meanwhile
            report_error = f"the report could not be written to {params['report_path']}: {exc.strerror or exc.__class__.__name__}"
    changed = any(p["action"] in ("create", "update") and p["outcome"] in ("ok", "planned") for p in public)
    changed = changed or any(r["outcome"] in ("ok", "planned") for r in removals)
    return {"changed": changed, "import": {
        "source": records.source, "method": params["method"], "summary": summary, "rows": shown, "problems": problems,
        "ignored_headers": records.ignored_headers, "preview": _import_rows.preview(records) if check_mode else [],
        "report_files": files, "report_error": report_error, "job_id": job_id, **({"phases": phases} if phases is not None else {}),
        "removals": removals, "scope": scope, "requests": requests_sent(importer),
        "omitted": dict(dict.fromkeys(BOUNDED_ON_FAILURE, 0), rows=len(public) - len(shown)),
    }}


def needs_a_look(entry: dict[str, t.Any]) -> bool:
    return entry.get("outcome") == "failed" or entry.get("action") == "invalid"


def bounded(failure: TaskFailed) -> TaskFailed:
    """The failure with at most FAILURE_LIST_LIMIT entries in each long list: the default callback prints a failed
    result on one line (277,064 characters for 1,000 invalid rows). The report file keeps every row."""
    result = failure.result.get("import")
    if isinstance(result, dict):
        omitted = result.setdefault("omitted", dict.fromkeys(BOUNDED_ON_FAILURE, 0))
        for key in BOUNDED_ON_FAILURE:
            entries = result.get(key) or []
            omitted[key] += max(0, len(entries) - FAILURE_LIST_LIMIT)
            if omitted[key]:  # the entries the message points at first (sorted() keeps the order within each)
                result[key] = sorted(entries, key=lambda entry: not needs_a_look(entry))[:FAILURE_LIST_LIMIT]
    return failure


def run_bounded(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    try:
        return run(module, client)
    except TaskFailed as failure:
        raise bounded(failure) from None


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    params = module.params
    connecting = connecting_user(params, client)
    importer = _importer.Importer(client)
    try:
        _import_file.check_encoding(params["encoding"])
        records = read_records(params)
    except _import_file.ImportFileError as exc:
        raise TaskFailed(exc.message, **{"import": {"problems": exc.problems}}) from None
    importer.schema(records)
    if records.ignored_headers:
        module.warn("ignored headers that are neither import fields nor additional attributes defined on the tenant "
                    "(Settings > Customization > Additional Attributes): " + ", ".join(records.ignored_headers))
    if not records.rows and not records.problems:
        # Feeds generated by other systems are often empty: a header alone is a valid import of nobody.
        module.warn(f"{records.source} holds no records: nothing to import")
        return result_of(params, records, [], [], module.check_mode, importer=importer)
    checked = importer.check(records)
    options = options_of(params, connecting, checked.attribute_types)
    plan = importer.plan(checked, options)
    if plan.out_of_reach:  # spared, never silently: a leaver among them stays enabled
        module.warn(f"{_import_rows.counted(len(plan.out_of_reach), 'user')} in the scope {'is' if len(plan.out_of_reach) == 1 else 'are'} "
                    "out of the sync's reach, since an import file cannot name them (CyberArk's own, such as the Remote Access "
                    "integration user, or a login name the import format refuses): see import.scope.out_of_reach")
    plan.entries += invalid_entries(checked.problems, records)
    problems = sorted(checked.problems + plan.problems, key=lambda p: p["row"])
    refuse_unsafe(params, records, plan, problems, module.check_mode, importer)
    invalid = plan.of("invalid")
    if invalid:
        rows_shown = ", ".join(str(i.row) for i in invalid[:SHOWN_PROBLEMS]) + (", ..." if len(invalid) > SHOWN_PROBLEMS else "")
        module.warn(f"{len(invalid)} of {_import_rows.counted(len(records.rows), 'row')} {'is' if len(invalid) == 1 else 'are'} "
                    f"invalid and skipped ({'row' if len(invalid) == 1 else 'rows'} {rows_shown}); see import.problems")
    diff = diff_of(plan)
    if module.check_mode:
        return dict(result_of(params, records, plan.entries, problems, True, phases=importer.phases.done, plan=plan, importer=importer), diff=diff)
    outcomes, job_id = importer.apply(plan, options, service_of(params))
    result = dict(result_of(params, records, plan.entries, problems, False, job_id, phases=importer.phases.done, plan=plan, importer=importer,
                            outcomes=outcomes), diff=diff)
    failed = result["import"]["summary"]["failed"]
    if failed:
        raise TaskFailed(f"{failed} of {_import_rows.counted(len(records.rows), 'row')} failed; see import.rows", **result)
    failed_removals = [r for r in result["import"]["removals"] if r["outcome"] == "failed"]
    if failed_removals:
        raise TaskFailed(f"{len(failed_removals)} of {len(plan.removals)} removals failed; see import.removals", **result)
    return result


def options_of(params: dict[str, t.Any], connecting: str | None, attribute_types: dict[str, str]) -> _import_plan.Options:
    return _import_plan.Options(update_existing=params["update_existing"], update_password=params["update_password"],
                                send_email_invite=params["send_email_invite"], concurrency=params["concurrency"],
                                roles_mode=params["roles_mode"], absent_users=params["absent_users"], scope=scope_of(params),
                                max_removals=params["max_removals"], connecting_user=connecting, attribute_types=attribute_types)


def service_of(params: dict[str, t.Any]) -> _service_import.ServiceImport | None:
    if params["method"] != "service":
        return None
    csv_path = params["path"] if (params.get("path") or "").lower().endswith(".csv") else None
    return _service_import.ServiceImport(admin_email=params["admin_email"], wait_timeout=params["wait_timeout"], path=csv_path)


def refuse_unsafe(params: dict[str, t.Any], records: _import_file.Records, plan: _import_plan.Plan, problems: list[dict[str, t.Any]],
                  check_mode: bool, importer: _importer.Importer) -> None:
    """Fail before any write, with nothing changed: a malformed file, invalid rows under on_invalid=fail, or more removals
    than max_removals allows."""
    invalid = plan.of("invalid")
    if records.problems:
        # A malformed file (quotes, field counts) may have moved values between rows: nothing is imported, skip or not.
        result = result_of(params, records, plan.entries, problems, check_mode, importer=importer)
        result["changed"] = False
        raise TaskFailed(f"{records.source} is not a well-formed import file, nothing was imported: "
                         f"{problem_summary(records.problems)}", **result)
    if invalid and params["on_invalid"] == "fail":
        result = result_of(params, records, plan.entries, problems, check_mode, importer=importer)
        result["changed"] = False
        raise TaskFailed(f"{len(invalid)} of {_import_rows.counted(len(records.rows), 'row')} "
                         f"{'is' if len(invalid) == 1 else 'are'} invalid, nothing was imported: {problem_summary(problems)}",
                         **result)
    if plan.removal_limit is not None and len(plan.removals) > plan.removal_limit:
        result = result_of(params, records, plan.entries, problems, check_mode, plan=plan, importer=importer)
        result["changed"] = False
        verb = "disabled" if params["absent_users"] == "disable" else "deleted"
        raise TaskFailed(f"{len(plan.removals)} users would be {verb}, more than max_removals={params['max_removals']} allows "
                         f"({plan.removal_limit} of the {plan.scope_size} users in the scope); nothing was changed. Check the file "
                         "and the scope (import.removals lists the first 100, a report every one), or raise max_removals", **result)


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            path=dict(type="path"),
            users=dict(type="list", elements="dict"),
            encoding=dict(type="str", default="utf-8"),
            method=dict(type="str", default="api", choices=["api", "service"]),
            on_invalid=dict(type="str", default="fail", choices=["fail", "skip"]),
            update_existing=dict(type="bool", default=True),
            update_password=dict(type="str", default="on_create", choices=["on_create", "always"], no_log=False),
            send_email_invite=dict(type="bool", default=False),
            concurrency=dict(type="int", default=16),
            report_path=dict(type="path"),
            report_format=dict(type="str", default="markdown", choices=["markdown", "html"]),
            result_rows=dict(type="str", default="auto", choices=["auto", "all", "changes"]),
            admin_email=dict(type="str"),
            wait_timeout=dict(type="int", default=600),
            roles_mode=dict(type="str", default="append", choices=["append", "exact"]),
            absent_users=dict(type="str", default="keep", choices=["keep", "disable", "delete"]),
            scope=dict(type="dict", options=dict(
                suffixes=dict(type="list", elements="str", default=[]),
                roles=dict(type="list", elements="str", default=[]),
                attribute=dict(type="dict", options=dict(name=dict(type="str", required=True), value=dict(type="str", required=True))),
                include_admins=dict(type="bool", default=False),
            )),
            max_removals=dict(type="str", default="10%"),
        ),
        secrets=inline_passwords,
        required_one_of=[("path", "users")],
        mutually_exclusive=[("path", "users")],
        supports_check_mode=True,
    )
    module.execute(run_bounded, checks=lambda params: input_errors(params, module.check_mode))


if __name__ == "__main__":
    main()
