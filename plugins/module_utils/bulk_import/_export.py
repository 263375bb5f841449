# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export Cloud Directory users in exactly the import format, so that importing an untouched export changes nothing.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Reads in pages: the users (``CDUser``, every page), every role with its members (one request per role), managers
outside the selection by ID (chunks of 100), additional attributes one user at a time when asked (the API has no bulk
read for them). Write-only values (password, its flags, the account expiry) cannot be read, so their columns stay
empty, which an import reads as "leave alone".

A CSV export is streamed: each page of users becomes records and lines of the file as it comes (:func:`record_pages`,
:func:`write_csv`), so memory does not grow with the tenant beyond the role members and the managers' names. An XLSX
workbook is built whole in memory (openpyxl).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import os
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _files
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _cells, _import_file, _import_rows
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import (
    _attributes, _roles, _suffixes, _user_details, _user_fields, _users, _validate,
)

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

COLUMNS = _user_fields.EXPORT_COLUMNS  # import header -> CDUser column
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


@dataclasses.dataclass(frozen=True)
class Selection:
    """Which users an export reads, and which columns: the module's options."""

    suffixes: list[str]
    roles: list[str]
    search: str | None
    page_size: int
    attributes: list[str]
    attribute_types: dict[str, str]
    concurrency: int


@dataclasses.dataclass
class Found:
    """What the pages found besides the records they hand out, gathered as they go."""

    users: int = 0
    left_out: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)
    out_of_reach: list[str] = dataclasses.field(default_factory=list)


def user_pages(client: IdentityClient, selection: Selection) -> t.Iterator[list[dict[str, t.Any]]]:
    """The ``CDUser`` rows, a page at a time (a search is read whole: it matches a few)."""
    if selection.search:
        yield _users.search_rows(client, selection.search, selection.page_size)
        return
    yield from _users.row_pages(client, selection.page_size)


def record_pages(client: IdentityClient, selection: Selection, tenant_roles: dict[str, dict[str, t.Any]],
                 found: Found) -> t.Iterator[list[dict[str, str]]]:
    """The records to export, a page at a time, in the import's format. Users CyberArk provisions (a login name only it
    gives) are out of reach; a user the import would refuse is left out with the import's reason (``found``, which also
    counts the records). Kept across pages: every role's members and the names of the managers met."""
    kinds = suffix_kinds(client)
    roles = {name: role for name, role in tenant_roles.items() if name != _roles.EVERYBODY}
    holders = {name: _roles.holders(client, str(role["id"])) for name, role in roles.items()}
    wanted_suffixes = {s.lower() for s in selection.suffixes}
    managers: dict[str, str] = {}
    headers = list(_import_file.HEADERS) + list(selection.attributes)
    number = 0
    # A tenant that folds only A-Z may hold two users whose names differ only in the case of other letters; the import
    # refuses such a pair. Within a page both are refused; across pages the first is written already, so the later is
    # left out. Only such names are kept, not every name.
    folded: dict[str, str] = {}
    for page in user_pages(client, selection):
        names_here = {str(r["ID"]): str(r["Name"]) for r in page}
        rows = [r for r in page if not wanted_suffixes or str(r.get("Name") or "").rpartition("@")[2].lower() in wanted_suffixes]
        if selection.roles:
            rows = [r for r in rows if any(str(r["ID"]) in holders.get(name, set()) for name in selection.roles)]
        held = {str(r["ID"]): [name for name in sorted(holders) if str(r["ID"]) in holders[name]] for r in rows}
        unknown = {m for m in (_users.manager_of(r) for r in rows) if m and m not in managers}
        managers.update({uid: names_here[uid] for uid in unknown if uid in names_here})
        if unknown - set(managers):
            managers.update({uid: str(row["Name"]) for uid, row in _users.rows_by_id(client, unknown - set(managers)).items()})
        values = read_attributes(client, [str(r["ID"]) for r in rows] if selection.attributes else [], selection.concurrency)
        records = records_of(rows, held, managers, selection.attributes, values, selection.attribute_types)
        found.out_of_reach += [r["Login Name"] for r in records if _validate.provisioned_by_cyberark(r["Login Name"])]
        records = [r for r in records if not _validate.provisioned_by_cyberark(r["Login Name"])]
        kept, left_out = importable(records, headers, kinds, set(roles), selection.attributes, first_row=number + 2)
        number += len(records)
        for record in [r for r in kept if not r["Login Name"].isascii()]:
            first = folded.setdefault(record["Login Name"].lower(), record["Login Name"])
            if first != record["Login Name"]:
                kept.remove(record)
                left_out.append({"login_name": record["Login Name"], "message": (
                    f"the login name differs from {first}, exported already, only in the case of its letters: the import "
                    "would refuse the two together")})
        found.users += len(kept)
        found.left_out += left_out
        yield kept


def read_attributes(client: IdentityClient, user_ids: list[str], concurrency: int) -> dict[str, dict[str, t.Any]]:
    """Additional attributes of each user: one read each, ``concurrency`` in flight."""
    return _user_details.concurrently(client, user_ids, lambda uid: _users.read_attributes(client, uid), concurrency)


def records_of(rows: list[dict[str, t.Any]], held: dict[str, list[str]], managers: dict[str, str],
               attributes: list[str], values: dict[str, dict[str, t.Any]],
               attribute_types: dict[str, str] | None = None) -> list[dict[str, str]]:
    """One import record per user, every header present, in the file's order; attribute values by their column type."""
    records = []
    for row in rows:
        record = dict.fromkeys(_import_file.HEADERS, "")
        record.update({header: str(row.get(column) or "") for header, column in COLUMNS.items()})
        record["Roles"] = ", ".join(held.get(str(row["ID"]), []))
        manager = _users.manager_of(row)
        record["Reports to"] = managers.get(manager, "") if manager else ""
        for name in attributes:
            value = (values.get(str(row["ID"])) or {}).get(name)
            record[name] = _attributes.as_text(value, (attribute_types or {}).get(name))  # as an import reads it back
        records.append(record)
    return records


def importable(records: list[dict[str, str]], headers: list[str], suffixes: dict[str, bool],
               roles: t.Iterable[str], attributes: list[str], first_row: int = 2) -> tuple[list[dict[str, str]], list[dict[str, t.Any]]]:
    """The records the import would take, and the others with the import's reason (the rules of the import itself);
    ``first_row`` is the file row of the first record."""
    as_read = _import_file.Records(rows=[(first_row + number, record) for number, record in enumerate(records)],
                                   other_headers=list(attributes), source="export")
    _valid, problems = _import_rows.validate(as_read, suffixes, roles, attributes)
    refused = {p["row"] for p in problems}
    left_out = [{"login_name": records[row - first_row]["Login Name"], "message": "; ".join(
        _import_rows.problem_text(p, with_row=False) for p in problems if p["row"] == row)} for row in sorted(refused)]
    return [r for number, r in enumerate(records) if first_row + number not in refused], left_out


def _cells_of(headers: list[str], records: t.Iterable[dict[str, str]]) -> list[list[str]]:
    return [[_cells.neutralise(r.get(h, "")) for h in headers] for r in records]


def csv_bytes(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8")


def content(records: list[dict[str, str]], headers: list[str], file_format: str) -> bytes:
    """The file's bytes; every cell inert (``_cells.neutralise``), as the import reads it back (``_cells.restore``)."""
    table = [[_cells.neutralise(h) for h in headers]] + _cells_of(headers, records)
    if file_format == "csv":
        return csv_bytes(table)
    workbook = _import_file.spreadsheet_library("openpyxl", writing=True).Workbook()
    sheet = workbook.active
    sheet.title = "Users"
    for line in table:
        sheet.append([value or None for value in line])
        for cell in sheet[sheet.max_row]:
            # openpyxl makes a str starting with = a formula and #N/A an error: every value is text here.
            if cell.value is not None:
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(path: str, headers: list[str], pages: t.Iterable[list[dict[str, str]]], check_mode: bool) -> bool:
    """Stream the CSV export to ``path`` page by page, each cell as :func:`content` writes it, comparing it with the
    file there as it goes; the file is replaced only when its bytes differ (never in check mode). Whether they differ.
    The new file beside ``path`` is made only once the first page is read (the reads before it may fail)."""
    chunks = (csv_bytes(_cells_of(headers, page)) for page in pages)
    first = next(chunks, b"")
    same = os.path.isfile(path)
    with open(path, "rb") if same else io.BytesIO() as existing, _files.StagedFile(path) if not check_mode else _Discard() as staged:
        for chunk in itertools.chain([csv_bytes([[_cells.neutralise(h) for h in headers]]), first], chunks):
            same = same and existing.read(len(chunk)) == chunk
            staged.write(chunk)
        same = same and existing.read(1) == b""
        if not same:
            staged.commit()
    return not same


class _Discard:
    """Where check mode writes the export: nowhere."""

    def __enter__(self) -> _Discard:
        return self

    def __exit__(self, *_exc: t.Any) -> None:
        return None

    def write(self, _data: bytes) -> None:
        return None

    def commit(self) -> None:
        return None


def existing_users(path: str) -> int | None:
    """How many users the CSV file at ``path`` lists (rows with a value after the header), read line by line; None when
    there is no readable file."""
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return max(0, sum(1 for line in csv.reader(handle) if any(cell.strip() for cell in line)) - 1)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def read_existing(path: str) -> _import_file.Records | None:
    """The records ``dest`` holds already, read as the import reads them; None when there is no readable file."""
    if not os.path.isfile(path):
        return None
    try:
        return _import_file.read_path(path)
    except _import_file.ImportFileError:
        return None


def same_records(held: _import_file.Records | None, records: list[dict[str, str]], headers: list[str]) -> bool:
    """Whether the file holds exactly these records (compared as read, so that XLSX timestamps do not count)."""
    if held is None:
        return False
    extra = [h for h in headers if h not in _import_file.HEADERS]
    return held.other_headers == extra and [v for _n, v in held.rows] == [{h: r.get(h, "") for h in headers} for r in records]


def write(path: str, data: bytes) -> None:
    """Write the export with mode 0600 (it lists people), replacing the file whole, never through a symbolic link."""
    _files.write_file(path, data)


def suffix_kinds(client: IdentityClient) -> dict[str, bool]:
    return {s["name"].lower(): s["cds"] for s in _suffixes.list_suffixes(client)}
