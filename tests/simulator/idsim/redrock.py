# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``POST /Redrock/query``: the tenant's tables in an in-memory SQLite database, queried read-only."""

from __future__ import annotations

import sqlite3
import threading

from . import redrock_dialect, wire

_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}
_SCHEMA = """
CREATE TABLE User (ID TEXT, Username TEXT COLLATE NOCASE, DisplayName TEXT, Email TEXT COLLATE NOCASE, MobileNumber TEXT, LastLogin TEXT,
  LastInvite TEXT, StatusEnum TEXT, Status TEXT, SourceDs TEXT, SourceDsLocalized TEXT, SourceDsType TEXT,
  DirectoryServiceUuid TEXT);
CREATE TABLE CDUser (ID TEXT, Name TEXT, DisplayName TEXT, Mail TEXT, Description TEXT, OfficeNumber TEXT,
  MobileNumber TEXT, HomeNumber TEXT, ReportsTo TEXT, PictureUri TEXT, Enabled INTEGER, Locked INTEGER,
  LockedByAdmin INTEGER, InEverybodyRole INTEGER);
CREATE TABLE Role (ID TEXT, Name TEXT, Description TEXT, RoleType TEXT);
"""
CDS_UUID = "09B9A9B0-6CE8-465F-AB03-65766D33B05E"


def _lower(fold):
    return lambda value: fold(value) if isinstance(value, str) else value


def _nocase(fold):
    def compare(first: str, second: str) -> int:
        first, second = fold(first), fold(second)
        return (first > second) - (first < second)
    return compare


def _authorizer(action: int, *_args: object) -> int:
    return sqlite3.SQLITE_OK if action in _ALLOWED else sqlite3.SQLITE_DENY


class RedrockIndex:
    """A SQLite copy of one tenant, rebuilt lazily when the tenant's version moves."""

    def __init__(self, tenant: object) -> None:
        self.tenant = tenant
        self.version = -1
        self.lock = threading.Lock()
        self.db: sqlite3.Connection | None = None
        # Rows of the scripts run at this version: a paged read runs its script once, not once a page.
        self.results: dict[str, tuple[list[str], list[tuple]]] = {}

    def _rebuild(self) -> None:
        tenant = self.tenant
        db = sqlite3.connect(":memory:", check_same_thread=False)
        # User.Username compares case-insensitively (CyberArk's SDKs look users up by the lower-cased name), folded as
        # the tenant folds names (readings.py: name_folding; SQLite's own NOCASE folds only A-Z). CDUser.Name has no
        # such source: exact.
        db.create_function("lower", 1, _lower(tenant.fold), deterministic=True)
        db.create_collation("NOCASE", _nocase(tenant.fold))
        db.executescript(_SCHEMA)
        with tenant.lock:
            users = [dict(u) for u in tenant.users.values()]
            roles = [dict(r) for r in tenant.roles.values()]
            version = tenant.version
        db.executemany("INSERT INTO User VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            (u["Uuid"], u["Name"], u["DisplayName"], u["Mail"], u["MobileNumber"], wire.date(u.get("LastLogin")), None,
             "Active" if u["Enabled"] else "Suspended", "Active" if u["Enabled"] else "Suspended",
             "CDS", "CyberArk Cloud Directory", "CDS", CDS_UUID)
            for u in users
        ])
        db.executemany("INSERT INTO CDUser VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            (u["Uuid"], u["Name"], u["DisplayName"], u["Mail"], u["Description"], u["OfficeNumber"], u["MobileNumber"],
             u["HomeNumber"], u["ReportsTo"] or "Unassigned", None, int(bool(u["Enabled"])), int(u["State"] == "Locked" or bool(u["CloudLocked"])),
             int(bool(u["CloudLocked"])), int(bool(u["InEverybodyRole"])))
            for u in users
        ])
        db.executemany("INSERT INTO Role VALUES (?,?,?,?)", [(r["ID"], r["Name"], r["Description"], "PrincipalList") for r in roles])
        db.set_authorizer(_authorizer)
        if self.db is not None:
            self.db.close()
        self.db = db
        self.version = version
        self.results = {}

    def query(self, script: str, page: int, size: int | None, limit: int | None = None, limit_reading: str = "ignored") -> dict:
        """Run ``script``; return the table ``Result`` for one page with the full count. ``limit_reading`` says how
        ``args.Limit`` is applied (readings.py: ``ignored``, ``total_before_paging``, ``page_cap``).

        Raises ``redrock_dialect.DialectError`` for a construct no public source shows the service accepting.
        """
        redrock_dialect.check(script)
        with self.lock:
            if self.version != self.tenant.version or self.db is None:
                self._rebuild()
            cached = self.results.get(script)
            if cached is None:
                cursor = self.db.execute(script)
                cached = ([c[0] for c in cursor.description or []], cursor.fetchall())
                if len(self.results) >= 16:
                    self.results.clear()
                self.results[script] = cached
        names, found = cached
        total = len(found)
        if limit and limit_reading == "total_before_paging":
            found = found[:limit]
        elif limit and limit_reading == "page_cap":
            size = min(size or limit, limit)
        if size:
            start = (max(page, 1) - 1) * size
            found = found[start:start + size]
        all_rows = [dict(zip(names, r)) for r in found]
        key = "ID" if "ID" in names else None
        return wire.table(all_rows, entity_type="User", key=key, full_count=total)
