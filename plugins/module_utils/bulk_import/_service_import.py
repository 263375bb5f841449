# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The service's own import job (method=service): new users as an import CSV, then waited for until visible.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import time
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _user_fields, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_file import HEADERS
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_outcome import Outcomes
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_plan import Options, Plan, UserRow, read_existing

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient


def csv_bytes(rows: list[UserRow]) -> bytes:
    """The rows as an import CSV (default headers, roles quoted) for the service's own import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    columns = [_user_fields.BY_OPTION[option] for option in _user_fields.HEADER_OPTIONS]
    for row in rows:
        writer.writerow([_user_fields.file_form(field, getattr(row, field.option)) for field in columns])
    return buffer.getvalue().encode("utf-8")


@dataclasses.dataclass
class ServiceImport:
    """How to hand the new users to the service's own import job (method=service)."""

    admin_email: str
    wait_timeout: float
    path: str | None = None  # the user's CSV file, sent as it is when every row is new and valid


def hand_over(client: IdentityClient, plan: Plan, outcomes: Outcomes, service: ServiceImport, options: Options) -> str | None:
    """Hand the plan's new users to the service's import job and wait until they are visible; the rows it created
    are marked handed over, so that the API neither applies, grants roles to (the job does) nor settles them. Returns
    the job's ID when there was a job."""
    creates = outcomes.pending(plan, "create")
    job_id = None
    if creates:
        wanted = {e.row for e in creates}
        if service.path and wanted == set(plan.rows) and not plan.of("invalid"):
            with open(service.path, "rb") as handle:
                content, filename = handle.read(), os.path.basename(service.path)
        else:
            content, filename = csv_bytes([plan.rows[row] for row in sorted(wanted)]), "ansible_import.csv"
        job_id = _users.submit_import(client, filename, content, service.admin_email, options.send_email_invite)
        visible = wait_for_users(client, [e.login_name for e in creates], service.wait_timeout)
        for entry in creates:
            found = visible.get(entry.login_name.lower())
            outcome = outcomes.rows[entry.row]
            outcome.outcome = "ok" if found else "failed"
            outcome.user_id = str(found["ID"]) if found else None
            outcome.message = "created by the service's import" if found else (
                f"not visible after {service.wait_timeout} s (import job {job_id}); see the Bulk Import Report sent to {service.admin_email}")
        outcomes.handed_over |= wanted
    return job_id


def wait_for_users(client: IdentityClient, names: list[str], timeout: float, interval: float = 2.0) -> dict[str, dict[str, t.Any]]:
    """Poll (bounded by ``timeout``) until every name is visible; returns those that are."""
    deadline = time.monotonic() + timeout
    while True:
        found = read_existing(client, names)
        if len(found) >= len({n.lower() for n in names}) or time.monotonic() >= deadline:
            return found
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
