# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Envelopes and table-shaped results, as the Identity API shapes them."""

from __future__ import annotations

import uuid


class Reply:
    """What a handler answers: status, JSON body (or None for an empty body), headers."""

    def __init__(self, body: object = None, status: int = 200, headers: dict | None = None) -> None:
        self.body = body
        self.status = status
        self.headers = headers or {}


def ok(result: object = None) -> Reply:
    return Reply({
        "success": True, "Result": result, "Message": None, "MessageID": None, "Exception": None,
        "ErrorID": None, "ErrorCode": None, "IsSoftError": False, "InnerExceptions": None,
    })


def fail(message: str, message_id: str | None = None, error_code: str | None = None, exception: str | None = None) -> Reply:
    """A business error: HTTP 200 with ``success: false``, as the real service answers."""
    return Reply({
        "success": False, "Result": None, "Message": message, "MessageID": message_id,
        "Exception": exception, "ErrorID": uuid.uuid4().hex[:12], "ErrorCode": error_code,
        "IsSoftError": False, "InnerExceptions": None,
    })


def oauth_error(status: int, error: str, description: str) -> Reply:
    return Reply({"error": error, "error_description": description}, status=status)


def table(rows: list[dict], entity_type: str = "Row", key: str | None = "ID", full_count: int | None = None) -> dict:
    """``Result`` of a table-shaped answer (Columns, Results[{Entities, Row}], Count, FullCount)."""
    columns = []
    if rows:
        for name in rows[0]:
            columns.append({
                "Name": name, "IsHidden": False, "DDName": name, "Title": name, "DDTitle": name, "Description": None,
                "Type": 12, "Format": None, "Width": 0, "TableKey": "PrimaryKey" if name == key else "NotKey",
                "ForeignKey": None, "TableName": None,
            })
    results = []
    for row in rows:
        entities = [{"Type": entity_type, "Key": row.get(key), "IsForeignKey": False}] if key else []
        results.append({"Entities": entities, "Row": row})
    return {
        "IsAggregate": False, "Count": len(rows), "Columns": columns,
        "FullCount": len(rows) if full_count is None else full_count, "Results": results, "ReturnID": "",
    }


def date(ms: int | None) -> str | None:
    return None if ms is None else f"/Date({int(ms)})/"


def booleans_as_strings(value: object) -> object:
    """``value`` with every boolean in it as the string true or false (readings.py: answer_booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {k: booleans_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [booleans_as_strings(v) for v in value]
    return value
