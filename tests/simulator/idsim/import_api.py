# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service's own two-step bulk import: ``GetUsersFromCsvFile`` (multipart) then ``SubmitUploadedFile`` (a job)."""

from __future__ import annotations

import csv
import email.parser
import email.policy
import io
import json
import threading
import time
import uuid

from . import ext_data
from .directory_api import _bool, policy_error
from .wire import fail, ok

UPLOADS: dict[str, dict] = {}


def _multipart(ctx) -> dict[str, tuple[str | None, bytes]]:
    header = f"Content-Type: {ctx.headers.get('Content-Type', '')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + ctx.body)
    parts = {}
    if message.is_multipart():
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            parts[name] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return parts


def upload(sim, ctx):
    """Step 1: the file part is named ``Icon`` (contract Q10); the answer names the upload with ``ReturnID``."""
    ctx.note_unknown(set(ctx.query) - {"importType"}, prefix="?")
    parts = _multipart(ctx)
    files = [name for name, (filename, _data) in parts.items() if filename is not None]
    if sim.faults["readings"]["import_part"] == "any":  # readings.py: the first file part, whatever its name
        part = files[0] if files else None
    else:
        ctx.note_unknown(set(parts) - {"FileName", "Icon"})
        part = "Icon" if "Icon" in parts else None
    if ctx.query.get("importType") != "ImportBulkUser" or part is None:
        return fail("importType=ImportBulkUser and a file part named Icon are required.")
    try:
        text = parts[part][1].decode("utf-8-sig")
    except UnicodeDecodeError:
        return fail("The file is not UTF-8 text.")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if not rows or "Login Name" not in rows[0] or "Email Address" not in rows[0]:
        return fail("The file needs the Login Name and Email Address headers and at least one record.")
    return_id = f"{uuid.uuid4().hex}_{(parts.get('FileName') or (None, b'import.csv'))[1].decode('utf-8', 'replace')}"
    UPLOADS[return_id] = {"tenant": ctx.tenant, "rows": rows}
    return ok({"ReturnID": return_id})


def _run_job(sim, tenant, rows: list[dict], admin_email: str, send_email: bool) -> None:
    time.sleep(float(tenant.info.get("import_delay", 0.5)))
    added, failures = 0, []
    for number, row in enumerate(rows, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # blank rows, as spreadsheets leave them
        name = (row.get("Login Name") or "").strip()
        with tenant.lock:
            suffix_ok = any(s["name"].lower() == name.rpartition("@")[2].lower() for s in tenant.login_suffixes)
            if not name or not suffix_ok or tenant.find_user(name) or policy_error(tenant, row.get("Password") or None):
                failures.append({"row": number, "name": name})
                continue
            fields = {"Name": name, "Mail": row.get("Email Address"), "DisplayName": row.get("Display Name") or None,
                      "Description": row.get("Description") or None, "OfficeNumber": row.get("Office Number") or None,
                      "MobileNumber": row.get("Mobile number") or None, "HomeNumber": row.get("Home number") or None,
                      "Password": row.get("Password") or uuid.uuid4().hex + "aA1",
                      "AccountExp": row.get("Expiration Date") or None}
            for header, field in (("Require Password Change", "ForcePasswordChangeNext"), ("Password Never Expires", "PasswordNeverExpire")):
                word = (row.get(header) or "").strip().lower()
                if word:
                    fields[field] = word in ("true", "t", "yes", "y")
            known = {c["Name"] for c in tenant.info.get("additional_attributes", [])}
            fields["ExtData"] = {k: ext_data.from_import(tenant, k, v, sim.faults["readings"]["ext_data_values"])
                                 for k, v in row.items() if k in known and v}
            user = tenant.add_user(fields)
            for role_name in [r.strip() for r in (row.get("Roles") or "").split(",") if r.strip()]:
                role = next((r for r in tenant.roles.values() if r["Name"] == role_name), None)
                if role is not None:
                    role["Members"].append(user["Uuid"])
            if send_email:
                tenant.outbox.append({"kind": "email_invite", "to": user["Mail"], "user": user["Name"]})
            added += 1
    tenant.outbox.append({"kind": "bulk_import_report", "to": admin_email, "added": added, "failed": failures})


def submit(sim, ctx):
    """Step 2: schedules the job; ``Result`` is a JSON-encoded second envelope (contract Q10)."""
    body = ctx.json({"ReturnID", "AdminEmail", "SendSmsInvite", "SendEmailInvite"}, known_query={"importType"})
    upload_entry = UPLOADS.pop(str(body.get("ReturnID")), None)
    if upload_entry is None or upload_entry["tenant"] is not ctx.tenant:
        return fail("The uploaded file was not found; upload it again.")
    if not body.get("AdminEmail"):
        return fail("AdminEmail is required.")
    thread = threading.Thread(target=_run_job, args=(sim, ctx.tenant, upload_entry["rows"], body["AdminEmail"],
                                                     _bool(body.get("SendEmailInvite"), default=True)), daemon=True)
    thread.start()
    inner = {"success": True, "Result": None, "Message": "Your bulk user import job has been submitted. A report will be emailed when it completes.",
             "MessageID": None, "Exception": None, "ErrorID": None, "ErrorCode": None, "IsSoftError": False, "InnerExceptions": None}
    # readings.py: submit_result; the one community source shows the inner envelope encoded as a JSON string
    return ok(json.dumps(inner) if sim.faults["readings"]["submit_result"] == "string" else inner)


ROUTES = {
    "/cdirectoryservice/getusersfromcsvfile": ("write", True, upload),
    "/cdirectoryservice/submituploadedfile": ("write", True, submit),
}
