# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The bulk import as a backend the module drives: read what the rows need from the tenant and check them, plan,
then apply (through the API or the service's job), remove and settle, timing each phase.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Nothing here knows Ansible: identity_bulk_import decides what to do with invalid rows, caps and check mode, and builds
its result from the plan and the phases.
"""

from __future__ import annotations

import dataclasses
import time
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import (
    _import_apply, _import_file, _import_plan, _import_rows, _import_settle, _service_import,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_outcome import Outcomes
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_plan import Options, Plan
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _roles, _suffixes, _users

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient


def apply_api(client: IdentityClient, plan: Plan, outcomes: Outcomes, options: Options, mark: t.Callable[[str], None] | None = None) -> None:
    """Apply the plan, then settle: read the tenant back and retry what did not land (see ``_import_settle``).

    ``mark(phase)`` is called as the ``apply`` and ``settle`` phases end.
    """
    mark = mark or (lambda name: None)
    client.authenticate()  # once, before the workers start
    client.set_concurrency(options.concurrency)
    pending = outcomes.pending(plan, "create") + outcomes.pending(plan, "update")
    _import_apply.apply_round(client, plan, pending, outcomes, options)
    _import_apply.apply_removals(client, plan, outcomes, options)
    mark("apply")
    _import_settle.settle(client, plan, outcomes, options)
    mark("settle")
    for entry in plan.of("unchanged"):
        if outcomes.rows[entry.row].outcome == "planned":
            outcomes.rows[entry.row].outcome = "ok"


def apply_service(client: IdentityClient, plan: Plan, outcomes: Outcomes, service: _service_import.ServiceImport, options: Options,
                  mark: t.Callable[[str], None] | None = None) -> str | None:
    """New users through the service's import job (then waited for); updates and role grants of existing users
    through the API like :func:`apply_api`, which calls ``mark`` as the ``apply`` and ``settle`` phases end. Returns
    the job's ID when there was a job."""
    job_id = _service_import.hand_over(client, plan, outcomes, service, options)
    apply_api(client, plan, outcomes, options, mark=mark)
    return job_id


class Phases:
    """How long each phase took and how many requests it sent, for import.phases (long imports report their progress)."""

    def __init__(self, client: IdentityClient) -> None:
        self.client = client
        self.started = time.monotonic()
        self.requests = client.stats()["requests"]
        self.done: dict[str, dict[str, float]] = {}

    def mark(self, name: str) -> None:
        now, requests = time.monotonic(), self.client.stats()["requests"]
        self.done[name] = {"seconds": round(now - self.started, 3), "requests": requests - self.requests}
        self.started, self.requests = now, requests


@dataclasses.dataclass
class Checked:
    """The records read, the rows valid against the tenant, and every problem by row and column."""

    records: _import_file.Records
    rows: list[_import_rows.UserRow]
    problems: list[dict[str, t.Any]]
    roles: dict[str, dict[str, t.Any]]  # the roles the rows name that exist
    attribute_types: dict[str, str]  # every additional attribute the tenant defines (a change sends them all)


class Importer:
    """One import against one tenant: :meth:`schema`, :meth:`check`, :meth:`plan`, :meth:`apply`, in that order."""

    def __init__(self, client: IdentityClient) -> None:
        self.client = client
        self.phases = Phases(client)
        self.defined: dict[str, str] = {}

    def schema(self, records: _import_file.Records) -> None:
        """Which of the file's other headers are additional attributes the tenant defines (one read, whatever their
        number); the others become ``records.ignored_headers``."""
        if records.other_headers:
            self.defined = _users.attribute_schema(self.client)
            records.ignored_headers = [h for h in records.other_headers if h not in self.defined]

    def check(self, records: _import_file.Records) -> Checked:
        """Every row checked against the file's rules and the tenant's suffixes, roles and attributes; the rows'
        passwords are protected from then on (a tenant that echoes one in an error must not put it in the result)."""
        suffixes = {s["name"].lower(): s["cds"] for s in _suffixes.list_suffixes(self.client)}
        role_names = {r for _n, values in records.rows for r in _import_rows.split_roles(values.get("Roles", ""))}
        roles = _roles.find_roles(self.client, role_names)
        self.phases.mark("read")
        attributes = {h: self.defined[h] for h in records.other_headers if h in self.defined}
        rows, problems = _import_rows.validate(records, suffixes, roles, attributes)
        for row in rows:
            self.client.protect(row.password)
        return Checked(records, rows, problems, roles, dict(self.defined))

    def plan(self, checked: Checked, options: Options) -> Plan:
        """What each row needs, from reads only; with a sync, the users in the scope the file does not name."""
        in_file = {str(values.get(h) or "").lower() for _n, values in checked.records.rows
                   for h in ("Login Name", _import_file.PREVIOUS_NAME)} - {""}
        self.client.set_concurrency(options.concurrency)  # the reads of the plan too: a few pages at once
        valid = {r.row for r in checked.rows}
        invalid: dict[str, list[int]] = {}  # login name -> its invalid rows, to name them to a row that reports to it
        for number, values in checked.records.rows:
            name = str(values.get("Login Name") or "").strip().lower()
            if name and number not in valid:
                invalid.setdefault(name, []).append(number)
        plan = _import_plan.make_plan(self.client, checked.rows, options, roles=checked.roles, in_file=in_file,
                                      invalid_rows=invalid)
        self.phases.mark("plan")
        return plan

    def apply(self, plan: Plan, options: Options, service: _service_import.ServiceImport | None = None) -> tuple[Outcomes, str | None]:
        """Send the plan's writes and settle them against the tenant: every entry's outcome, and the service's job ID
        when there was one."""
        outcomes = Outcomes(plan)
        if service is not None:
            return outcomes, apply_service(self.client, plan, outcomes, service, options, mark=self.phases.mark)
        apply_api(self.client, plan, outcomes, options, mark=self.phases.mark)
        return outcomes, None

    def requests(self) -> dict[str, t.Any]:
        stats = self.client.stats()
        return {"total": stats["requests"], "throttled": stats["throttled"],
                "in_flight_mean": stats["in_flight_mean"], "in_flight_max": stats["in_flight_max"]}
