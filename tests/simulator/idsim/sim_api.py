# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``/_sim/``: inspection and control for tests. No real service has these paths.

Every call carries the simulator's token in ``X-Idsim-Token`` (from the info file, mode 0600): its loopback addresses are open to
every user of the machine, and ``/_sim/`` can read the state, change faults and write files.
"""

from __future__ import annotations

import hmac
import json
import time
import typing as t

from . import readings
from .server import tenant_faults
from .wire import Reply


TOKEN_HEADER = "X-Idsim-Token"


def handle(sim: t.Any, method: str, path: str, headers: t.Any, body: bytes) -> Reply:
    given = str(headers.get(TOKEN_HEADER) or "").encode("utf-8", "surrogateescape")
    if not hmac.compare_digest(given, sim.token.encode("ascii")):
        return Reply({"error": f"/_sim/ needs the simulator's token in the {TOKEN_HEADER} header (sim_token in its info file)"}, status=401)
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError:
        return Reply({"error": "body is not JSON"}, status=400)
    name = path[len("/_sim/"):] if path.startswith("/_sim/") else ""
    if method == "GET" and name in ("", "info"):
        return Reply(sim.describe())
    if method == "GET" and name == "state":
        return Reply(sim.world.dump(secrets=False))
    if method == "GET" and name == "requests":
        return Reply(sim.counters())
    if method == "GET" and name == "unknown_endpoints":
        with sim.lock:
            return Reply(dict(sim.unknown_endpoints))
    if method == "GET" and name == "unknown_fields":
        with sim.lock:
            return Reply({p: sorted(v) for p, v in sim.unknown.items()})
    if method == "GET" and name == "log":
        with sim.lock:
            return Reply(list(sim.log))
    if method == "GET" and name == "config":
        return Reply(sim.faults)
    if method == "POST" and name == "reset":
        sim.reset()
        return Reply({"reset": True})
    if method == "POST" and name == "config":
        try:
            wanted = readings.checked(data.get("readings") or {}) if "readings" in data else None
            own = tenant_faults(data["tenants"], (tenant.info["tenant_id"] for tenant in sim.world.tenants)) if "tenants" in data else None
        except ValueError as exc:
            return Reply({"error": str(exc)}, status=400)
        with sim.lock:
            sim.faults.update(data)
            if wanted is not None:
                sim.faults["readings"] = wanted
            if own is not None:
                sim.faults["tenants"] = own
            sim.buckets.clear()
        sim.apply_readings()
        return Reply(sim.faults)
    if method == "POST" and name == "revoke_tokens":
        sim.issuer.revoked_before = time.time() + 0.001
        return Reply({"revoked": True})
    if method == "POST" and name == "token_lifetime":
        for tenant in sim.world.tenants:
            tenant.info["token_lifetime"] = int(data.get("seconds", 3600))
        return Reply({"token_lifetime": int(data.get("seconds", 3600))})
    if method == "POST" and name == "save":
        target = data.get("path") or sim.persist
        if not target:
            return Reply({"error": "no path"}, status=400)
        sim.world.save(target)
        return Reply({"saved": target})
    if name.startswith("ra/"):
        ra = sim.world.ra_tenants[0]
        if method == "GET" and name == "ra/state":
            return Reply(ra.dump())
        if method == "POST" and name == "ra/portal_integrate":
            from .remote_access import portal_integrate  # pylint: disable=import-outside-toplevel
            return portal_integrate(sim, ra, data)
    return Reply({"error": f"unknown simulator call {method} {path}"}, status=404)
