#!/usr/bin/env python
"""`make bench`, many tenants (issue 28): playbooks/onboard_tenants.yml over TENANTS simulated tenants, one inventory host
each, USERS users each from an import file, at several fork counts; then a 429 storm on one tenant at the best fork count.

Each case starts a simulator of its own (every tenant fresh, each with LATENCY_MS added to its answers, each its own
service with its own rate limit), in its own process. Per tenant, the simulator's ``by_tenant`` counters give what each
tenant saw (requests, 429s, its first request and last answer) and the callback in callback_plugins/host_times.py each
inventory host's busy seconds (the sum of its tasks' run times).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import typing as t
import uuid

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)

from run import LATENCY_MS, REPO, SECRET, sim_call, start  # noqa: E402  pylint: disable=wrong-import-position

TENANTS = 20
USERS = 500
FORKS = (1, 2, 4, 8)
ROLES = ["Onboarded", "Contractors"]
STORM_TENANT = 0  # the first tenant of the inventory: with forks below TENANTS it is among the first to start
STORM = {"rate_limit_rps": 20, "rate_limit_burst": 5, "retry_after": 1}


def tenant_id(n: int) -> str:
    return f"MT{n + 1:05d}"


def tenant_seed(path: str) -> None:
    """TENANTS tenants, each with its own address, login suffix and service user (its password in clear: no scrypt at start)."""
    tenants = [{"tenant_id": tenant_id(n), "tenant_uuid": str(uuid.UUID(int=n + 1)), "subdomain": f"mt{n + 1}",
                "company_name": f"Tenant {n + 1}", "hosts": {"system": f"127.0.1.{n + 1}", "custom": [], "preferred": None},
                "login_suffixes": [{"name": f"mt{n + 1}.example", "cds": True}],
                "users": [{"Name": f"svc@mt{n + 1}.example", "Password": SECRET, "ServiceUser": True, "OauthClient": True,
                           "InSysAdminRole": True}]} for n in range(TENANTS)]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"tenants": tenants, "faults": {"latency_ms": LATENCY_MS}}, handle)


def write_inventory(info: dict, workdir: str) -> str:
    """One host per tenant with its URL, its service user and its own import file; the CA bundle for the group."""
    hosts = {}
    for n, tenant in enumerate(info["tenants"]):
        path = os.path.join(workdir, f"users-{n + 1}.csv")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(["Login Name", "Email Address", "Display Name", "Roles"])
            for i in range(USERS):
                writer.writerow([f"user{i:04d}@mt{n + 1}.example", f"user{i:04d}@mt{n + 1}.example", f"User {i}", ROLES[i % len(ROLES)]])
        hosts[f"tenant{n + 1:02d}"] = {"identity_tenant_url": tenant["system_url"], "identity_client_id": f"svc@mt{n + 1}.example",
                                       "identity_client_secret": SECRET, "onboarding_import_file": path,
                                       "onboarding_roles": [{"name": role} for role in ROLES]}
    path = os.path.join(workdir, "tenants.yml")
    with open(path, "w", encoding="utf-8") as handle:  # JSON is YAML
        json.dump({"identity_tenants": {"hosts": hosts, "vars": {"identity_ca_path": info["ca_path"]}}}, handle)
    return path


def onboard(info: dict, workdir: str, forks: int) -> dict:
    """playbooks/onboard_tenants.yml at ``forks``: wall and CPU seconds (ansible-playbook and its children), each host's times."""
    inventory = write_inventory(info, workdir)
    times = os.path.join(workdir, "host-times.json")
    hosts = sorted({h for tenant in info["tenants"] for h in (u.split("//")[1].split(":")[0] for u in tenant["urls"])})
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    env.update(ANSIBLE_LOCAL_TEMP=os.path.join(workdir, "ansible-tmp"), ANSIBLE_CALLBACK_PLUGINS=os.path.join(BENCH, "callback_plugins"),
               ANSIBLE_CALLBACKS_ENABLED="host_times", BENCH_HOST_TIMES=times, ANSIBLE_NOCOLOR="1",
               CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=",".join(hosts))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, "--forks", str(forks),
               os.path.join(REPO, "playbooks", "onboard_tenants.yml")]
    sim_call(info, "reset", {})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=1800)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"onboard_tenants.yml at forks {forks} failed:\n{done.stdout[-3000:]}")
    with open(times, encoding="utf-8") as handle:
        host_times = json.load(handle)
    counts = sim_call(info, "requests")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "counts": counts, "hosts": host_times, "load": os.getloadavg()}


def case(workdir: str, name: str, forks: int, storm: dict | None = None) -> dict:
    """A fresh simulator of TENANTS tenants, the onboarding at ``forks``, the simulator stopped."""
    directory = os.path.join(workdir, name)
    os.makedirs(directory)
    process, info = start(directory, tenant_seed)
    try:
        if storm:
            sim_call(info, "config", {"tenants": {tenant_id(STORM_TENANT): storm}})
        return onboard(info, directory, forks)
    finally:
        process.terminate()
        process.wait(timeout=10)


def spread(values: t.Sequence[float]) -> str:
    return f"median {statistics.median(values):.1f} s, max {max(values):.1f} s"


def fork_row(forks: int, run: dict, single: float) -> dict:
    counts, hosts = run["counts"], run["hosts"]
    spans = [v["last"] - v["first"] for v in counts["by_tenant"].values()]
    busy = [v["busy"] for v in hosts.values()]
    onboarded = sum(1 for v in counts["by_tenant"].values() if v["total"] > USERS)
    row = {"case": f"{TENANTS} tenants x {USERS} users (onboard_tenants.yml), forks {forks}", "seconds": round(run["seconds"], 1),
           "requests": counts["total"], "throttled": counts["throttled"], "peak_rss_mb": "",
           "cpu_ms": round(run["cpu"] * 1000 / max(1, counts["total"]), 2), "module_cpu_ms": "",
           "detail": (f"speed-up {single / run['seconds']:.2f} against forks 1; {onboarded} tenants with more than {USERS} requests; "
                      f"CPU {run['cpu']:.0f} s of the run's processes ({run['cpu'] / run['seconds']:.2f} of {os.cpu_count()} cores); "
                      f"each host's busy time {spread(busy)}; each tenant's span at the tenant (first request to last answer) "
                      f"{spread(spans)}; the simulator answered in {counts['answer_ms_mean']} ms on average ({LATENCY_MS} ms added); "
                      f"load average at the end {run['load'][0]:.2f}")}
    print(json.dumps(row))
    return row


def storm_row(forks: int, calm: dict, storm: dict) -> dict:
    """The storm-free run against the storm run at the same fork count, the storm tenant apart from the 19 others."""
    stormy = tenant_id(STORM_TENANT)
    host = f"tenant{STORM_TENANT + 1:02d}"
    others = [tid for tid in storm["counts"]["by_tenant"] if tid != stormy]
    busy = {label: [run["hosts"][h]["busy"] for h in run["hosts"] if h != host] for label, run in (("calm", calm), ("storm", storm))}
    spans = {label: [run["counts"]["by_tenant"][tid]["last"] - run["counts"]["by_tenant"][tid]["first"] for tid in others]
             for label, run in (("calm", calm), ("storm", storm))}
    own = storm["counts"]["by_tenant"][stormy]
    row = {"case": f"same at forks {forks}, a 429 storm on one tenant ({STORM['rate_limit_rps']} req/s, burst {STORM['rate_limit_burst']})",
           "seconds": round(storm["seconds"], 1), "requests": storm["counts"]["total"], "throttled": storm["counts"]["throttled"],
           "peak_rss_mb": "", "cpu_ms": round(storm["cpu"] * 1000 / max(1, storm["counts"]["total"]), 2), "module_cpu_ms": "",
           "detail": (f"the storm tenant: {own['throttled']} of {own['total']} requests answered 429, busy "
                      f"{storm['hosts'][host]['busy']:.1f} s (without the storm {calm['hosts'][host]['busy']:.1f} s); the "
                      f"{len(others)} others: {sum(storm['counts']['by_tenant'][tid]['throttled'] for tid in others)} answered 429, "
                      f"busy time {spread(busy['storm'])} (without the storm {spread(busy['calm'])}), span at the tenant "
                      f"{spread(spans['storm'])} (without the storm {spread(spans['calm'])}); the whole run {storm['seconds']:.1f} s "
                      f"against {calm['seconds']:.1f} s; load average at the end {storm['load'][0]:.2f}")}
    print(json.dumps(row))
    return row


def many_tenant_rows(workdir: str) -> list[dict]:
    """Rows for docs/performance.md: the onboarding at each fork count, then the storm at the fastest one."""
    runs = {forks: case(workdir, f"forks{forks}", forks) for forks in FORKS}
    rows = [fork_row(forks, run, runs[FORKS[0]]["seconds"]) for forks, run in runs.items()]
    best = min(runs, key=lambda forks: runs[forks]["seconds"])
    rows.append(storm_row(best, runs[best], case(workdir, "storm", best, STORM)))
    return rows


if __name__ == "__main__":
    import tempfile  # pylint: disable=import-outside-toplevel
    with tempfile.TemporaryDirectory(prefix="identity-bench-tenants-") as directory:
        print(json.dumps({"load_average_before": os.getloadavg()}))
        many_tenant_rows(directory)
        print(json.dumps({"load_average_after": os.getloadavg()}))
