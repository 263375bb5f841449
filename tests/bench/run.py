#!/usr/bin/env python
"""`make bench`: the shared client against the simulator (20 ms added to every request).

Measures wall time, requests sent and the client's peak memory for: a login plus tenant facts; paging
through 10,000 users with Redrock; and reads under a rate limit (Retry-After honoured). The simulator
runs in its own process so that memory figures are the client's. Figures are printed and written to
docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, ".tmp", "collections"))

from ansible_collections.cyberark_community.identity.plugins.module_utils import _tenant  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.cyberark_community.identity.plugins.module_utils._client import (  # noqa: E402  pylint: disable=wrong-import-position
    ConnectionOptions,
    IdentityClient,
)

USERS = 10_000
LATENCY_MS = 20
SECRET = "Svc-S3cret-Value!"


def seed(path: str) -> None:
    users = [{"Name": "ansible-svc@acme.com", "Password": SECRET, "ServiceUser": True, "OauthClient": True}]
    users += [{"Name": f"user{i:05d}@acme.com", "Mail": f"user{i:05d}@acme.com", "DisplayName": f"User {i}"} for i in range(USERS)]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"tenants": [{"users": users}], "faults": {"latency_ms": LATENCY_MS}}, handle)


def start(workdir: str) -> tuple[subprocess.Popen, dict]:
    seed_file = os.path.join(workdir, "seed.json")
    info_file = os.path.join(workdir, "info.json")
    seed(seed_file)
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "idsim", "--seed-file", seed_file, "--info-file", info_file, "--cert-dir", os.path.join(workdir, "tls")],
        env=dict(os.environ, PYTHONPATH=os.path.join(REPO, "tests", "simulator")), stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not os.path.exists(info_file) or not os.path.getsize(info_file):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the simulator did not start")
        time.sleep(0.1)
    with open(info_file, encoding="utf-8") as handle:
        return process, json.load(handle)


def sim_call(info: dict, name: str, body: dict | None = None) -> dict:
    import requests  # pylint: disable=import-outside-toplevel
    url = f"{info['sim_url']}/{name}"
    if body is None:
        return requests.get(url, verify=info["ca_path"], timeout=30).json()
    return requests.post(url, json=body, verify=info["ca_path"], timeout=30).json()


def measure(info: dict, label: str, action) -> dict:
    sim_call(info, "reset", {})
    started = time.perf_counter()
    detail = action()
    elapsed = time.perf_counter() - started
    counts = sim_call(info, "requests")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row = {"case": label, "seconds": round(elapsed, 2), "requests": counts["total"], "throttled": counts["throttled"],
           "peak_rss_mb": round(peak_mb, 1), "detail": detail}
    print(json.dumps(row))
    return row


def client(info: dict) -> IdentityClient:
    options = ConnectionOptions(tenant_url=info["tenants"][0]["system_url"], client_id="ansible-svc@acme.com", client_secret=SECRET, ca_path=info["ca_path"])
    return IdentityClient.from_options(options)


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory(prefix="identity-bench-") as workdir:
        process, info = start(workdir)
        try:
            def facts() -> str:
                with client(info) as c:
                    gathered = _tenant.gather(c, authenticate=True, probe_login="ansible-svc@acme.com")
                return f"tenant {gathered['tenant_id']}, {len(gathered['cnames'])} URLs"
            rows.append(measure(info, "login + tenant facts", facts))

            def page_all() -> str:
                with client(info) as c:
                    count = sum(1 for _row in c.query("Select ID, Username from User", page_size=1000))
                return f"{count} rows in pages of 1000"
            rows.append(measure(info, f"Redrock paging, {USERS} users", page_all))

            sim_call(info, "config", {"rate_limit_rps": 10, "rate_limit_burst": 5, "retry_after": 1})

            def throttled() -> str:
                with client(info) as c:
                    for _i in range(40):
                        c.call("/SysInfo/About")
                    return f"40 reads, {c.transport.stats['throttled']} answered 429 and retried"
            rows.append(measure(info, "40 reads at 10 req/s limit", throttled))
        finally:
            process.terminate()
            process.wait(timeout=10)
    write_report(rows)
    return 0


def write_report(rows: list[dict]) -> None:
    path = os.path.join(REPO, "docs", "performance.md")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (tests/bench/run.py) against the tenant simulator with "
        f"{LATENCY_MS} ms added to every request, the simulator in its own process. Not asserted by tests.",
        "",
        f"Last run: {datetime.date.today().isoformat()} on {machine}.",
        "",
        "| Case | Wall time (s) | Requests | Answered 429 | Client peak RSS (MB) | Detail |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(f"| {row['case']} | {row['seconds']} | {row['requests']} | {row['throttled']} | {row['peak_rss_mb']} | {row['detail']} |")
    lines.append("")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    print(f"written to {path}")


if __name__ == "__main__":
    sys.exit(main())
