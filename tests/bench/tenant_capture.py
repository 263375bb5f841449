#!/usr/bin/env python
"""The tenant capture at scale, a case of `make bench` (run.py calls ``rows()``), runnable alone: a tenant of 10,000 users
and 200 roles (50 members each, rights on every tenth) captured with identity_tenant_capture, then checked for drift
with playbooks/tenant_drift.yml (unchanged, then with one role changed), through ansible-playbook against the simulator
in its own process (20 ms added to every answer). Counts the requests the simulator received; prints one JSON row per
case. Run alone it writes nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import run  # pylint: disable=import-error  # tests/bench/run.py: the harness

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(BENCH))
USERS = 10_000
ROLES = 200
LATENCY_MS = run.LATENCY_MS
SECRET = run.SECRET
SERVICE = "ansible-svc@acme.com"


def seed(path: str) -> None:
    users = [{"Name": SERVICE, "Password": SECRET, "ServiceUser": True, "OauthClient": True, "InSysAdminRole": True}]
    users += [{"Uuid": f"u{i:05d}", "Name": f"user{i:05d}@acme.com", "Mail": f"user{i:05d}@acme.com", "DisplayName": f"User {i}"}
              for i in range(USERS)]
    roles = [{"Name": f"Role {r:03d}", "Description": f"Role number {r}", "Members": [f"u{i:05d}" for i in range(r, USERS, ROLES)],
              "Rights": ["/lib/rights/dsman.json"] if r % 10 == 0 else []} for r in range(ROLES)]
    roles.append({"Name": "System Administrator", "Description": "Full administrative rights"})
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"tenants": [{"users": users, "roles": roles}], "faults": {"latency_ms": LATENCY_MS}}, handle)


def playbook(info: dict, path: str, extra: dict, workdir: str) -> tuple[float, int]:
    env = dict(os.environ, CYBERARK_IDENTITY_TENANT_URL=info["tenants"][0]["system_url"], CYBERARK_IDENTITY_CA_PATH=info["ca_path"],
               CYBERARK_IDENTITY_CLIENT_ID=SERVICE, CYBERARK_IDENTITY_CLIENT_SECRET=SECRET, ANSIBLE_LOCAL_TEMP=os.path.join(workdir, "ansible-tmp"))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local", path,
               "-e", json.dumps(dict(extra, ansible_python_interpreter=sys.executable))]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=workdir, timeout=1800)
    return time.perf_counter() - started, done.returncode


def row(info: dict, label: str, action, detail: str, expect_rc: int = 0) -> dict:
    run.sim_call(info, "reset", {})
    seconds, rc = action()
    if rc != expect_rc:
        raise SystemExit(f"{label}: ansible-playbook exited {rc}, expected {expect_rc}")
    counts = run.sim_call(info, "requests")
    found = {"case": label, "seconds": round(seconds, 1), "requests": counts["total"], "throttled": counts["throttled"], "peak_rss_mb": "",
             "cpu_ms": "", "detail": f"{detail}; {counts['reads']} reads, {counts['writes']} writes, {counts['auth']} logins; "
                                     f"the simulator answered in {counts['answer_ms_mean']} ms on average"}
    print(json.dumps(found))
    return found


def rows(workdir: str) -> list[dict]:
    os.makedirs(workdir, exist_ok=True)
    process, info = run.start(workdir, seed)
    try:
        dest, users = os.path.join(workdir, "tenant.yml"), os.path.join(workdir, "tenant_users.csv")
        extra = {"bench_dest": dest, "bench_users": users}
        found = [row(info, f"capture {USERS} users, {ROLES} roles", lambda: playbook(info, os.path.join(BENCH, "tenant_capture.yml"), extra, workdir),
                     "identity_tenant_capture to a variables file and a CSV users file, pages of 1000")]
        # The re-apply view (the role in check mode) costs a task, a login and about 7 requests per role: 1,655 requests
        # and 336 s for 200 roles when measured once (2026-12-05). The bench measures the view that reads by page.
        drift = {"drift_vars_file": dest, "drift_users_file": users, "drift_reapply": False}
        drift_playbook = os.path.join(REPO, "playbooks", "tenant_drift.yml")
        found.append(row(info, f"drift check, {USERS} users, {ROLES} roles, no drift", lambda: playbook(info, drift_playbook, drift, workdir),
                         "playbooks/tenant_drift.yml with drift_reapply=false: a capture in check mode compared with the kept files"))
        with open(dest, encoding="utf-8") as handle:
            kept = handle.read()
        with open(dest, "w", encoding="utf-8") as handle:  # one role's description kept differently: drift
            handle.write(kept.replace("description: Role number 7\n", "description: Role number seven\n", 1))
        found.append(row(info, f"drift check, {USERS} users, {ROLES} roles, one role drifted",
                         lambda: playbook(info, drift_playbook, drift, workdir), "the same, failing as it should", expect_rc=2))
        return found
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="identity-bench-capture-") as workdir:
        rows(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
