# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Import files for the tests: CSV as Excel writes it, XLSX (openpyxl) and XLS (xlwt)."""

from __future__ import annotations

import csv
import datetime
import io
import typing as t

HEADERS = ["Login Name", "Email Address", "Display Name", "Description", "Office Number", "Mobile number", "Home number",
           "Roles", "Expiration Date", "Password", "Require Password Change", "Password Never Expires", "Reports to"]


def user(i: int, suffix: str = "acme.com", roles: str = "Help Desk, Auditors", **over: t.Any) -> dict[str, t.Any]:
    record = {"Login Name": f"bulk{i:05d}@{suffix}", "Email Address": f"bulk{i:05d}@{suffix}", "Display Name": f"Doe, User {i}",
              "Description": f"Imported user {i}", "Mobile number": f"415555{i % 10000:04d}", "Roles": roles,
              "Password": f"Bulk-Passw0rd-{i}", "Require Password Change": "yes"}
    record.update(over)
    return record


def write_csv(path: str, records: list[dict[str, t.Any]], headers: list[str] | None = None, bom: bool = True,
              encoding: str = "utf-8", trailing_blank_rows: int = 2) -> None:
    headers = headers or [h for h in HEADERS if any(h in r for r in records)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for record in records:
        writer.writerow([record.get(h, "") for h in headers])
    for _blank in range(trailing_blank_rows):
        writer.writerow([""] * len(headers))
    with open(path, "wb") as handle:
        handle.write(("\ufeff" if bom else "").encode(encoding) if bom else b"")
        handle.write(buffer.getvalue().encode(encoding))


def _typed(header: str, value: t.Any) -> t.Any:
    """Dates as dates; phone numbers as text, in a column formatted as Text as the bulk import guide says (a number cell
    loses a + and leading zeros, and the import refuses it: tests/unit/.../test_number_cells.py)."""
    if header == "Expiration Date" and value:
        return datetime.datetime.fromisoformat(str(value))
    return value


def write_xlsx(path: str, records: list[dict[str, t.Any]]) -> None:
    import openpyxl  # pylint: disable=import-outside-toplevel
    headers = [h for h in HEADERS if any(h in r for r in records)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for record in records:
        sheet.append([_typed(h, record.get(h)) for h in headers])
    book.save(path)


def write_xls(path: str, records: list[dict[str, t.Any]]) -> None:
    import xlwt  # pylint: disable=import-outside-toplevel
    headers = [h for h in HEADERS if any(h in r for r in records)]
    book = xlwt.Workbook()
    sheet = book.add_sheet("Users")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, header in enumerate(headers):
        sheet.write(0, column, header)
    for row, record in enumerate(records, start=1):
        for column, header in enumerate(headers):
            value = _typed(header, record.get(header))
            if isinstance(value, datetime.datetime):
                sheet.write(row, column, value, date_style)
            elif value is not None:
                sheet.write(row, column, value)
    book.save(path)
