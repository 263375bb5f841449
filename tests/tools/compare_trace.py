#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compare a tenant's shape trace with the tenant simulator's, under every reading the simulator offers.

    .venv/bin/python tests/tools/compare_trace.py identity-trace.jsonl [--write-cycle] [--only NAME ...]

The trace comes from playbooks/verify_tenant.yml run against a real tenant (CYBERARK_IDENTITY_TRACE, see
docs/simulator.md). This runs the same playbook against a simulator of its own once per set of readings
(tests/simulator/idsim/readings.py: the defaults, then each reading's each other choice with the rest at their
defaults), traces each run, and prints call by call where the tenant's shapes differ from the simulator's, then which
readings match the tenant best. ``!`` marks a difference of shape (a key one side never has, another type); ``~`` one
the data may explain (a value null on one side, an optional key, another number of calls). Exit status: 0 when a set of
readings shows no ``!`` difference, 1 when none does, 2 when the simulator or a playbook could not run.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.request
from urllib.parse import urlsplit

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR = os.path.join(REPO, "tests", "simulator")
PLAYBOOK = os.path.join(REPO, "playbooks", "verify_tenant.yml")
# The simulator's built-in service user (tests/simulator/idsim/state.py), as make demo uses it.
CLIENT_ID = "ansible-svc@acme.com"
CLIENT_SECRET = "Svc-S3cret-Value!"
DEFAULTS = "defaults"


def collections_root() -> str:
    """Where ``ansible_collections.cyberark_community.identity`` is this folder: an installed collection's root, or in
    a clone the link make link (and the tests) put in .tmp/collections, made here when missing."""
    parts = REPO.split(os.sep)
    if parts[-3:-1] == ["ansible_collections", "cyberark_community"]:
        return os.sep.join(parts[:-3])
    root = os.path.join(REPO, ".tmp", "collections")
    link = os.path.join(root, "ansible_collections", "cyberark_community", "identity")
    if not os.path.islink(link) and not os.path.isdir(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(REPO, link)
    return root


COLLECTIONS = collections_root()
sys.path[:0] = [SIMULATOR, COLLECTIONS]
# pylint: disable=wrong-import-position,import-error
from idsim.readings import READINGS  # noqa: E402
# The trace's own merge of shapes, so that both traces are summarised as the collection writes them.
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._trace import merge  # noqa: E402
# pylint: enable=wrong-import-position,import-error

Key = t.Tuple[str, str, str]  # client, method, path
Difference = t.Tuple[bool, str]  # (a difference of shape, its text)


# -- the readings to simulate ---------------------------------------------------------------------------------------
def reading_sets(only: t.Sequence[str] = ()) -> list[tuple[str, dict[str, str]]]:
    """The defaults, then each reading's each other choice with the others at their defaults (``only``: those readings)."""
    defaults = {name: reading["default"] for name, reading in READINGS.items()}
    sets = [(DEFAULTS, defaults)]
    for name, reading in READINGS.items():
        if only and name not in only:
            continue
        for choice in reading["choices"]:
            if choice != reading["default"]:
                sets.append((f"{name}={choice}", dict(defaults, **{name: choice})))
    return sets


# -- the simulator and the playbook ---------------------------------------------------------------------------------
class Simulator:
    """A simulator of its own in a temporary folder, as make demo starts one; ``configure()`` sets its readings."""

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.info: dict[str, t.Any] = {}

    def __enter__(self) -> Simulator:
        info_file = os.path.join(self.workdir, "sim.json")
        env = dict(os.environ, PYTHONPATH=SIMULATOR)
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "idsim", "--info-file", info_file, "--cert-dir", os.path.join(self.workdir, "tls")],
            env=env, stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not os.path.exists(info_file) or not os.path.getsize(info_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("the simulator did not start")
            time.sleep(0.1)
        with open(info_file, encoding="utf-8") as handle:
            self.info = json.load(handle)
        return self

    def __exit__(self, *_exc_info: t.Any) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def configure(self, readings: dict[str, str]) -> None:
        # The token goes in a header, never on a command line (docs/simulator.md).
        request = urllib.request.Request(self.info["sim_url"] + "/config", data=json.dumps({"readings": readings}).encode(),
                                         headers={"X-Idsim-Token": self.info["sim_token"], "Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=self.info["ca_path"]), timeout=10):
            pass

    def environment(self) -> dict[str, str]:
        """The connection a playbook needs, as the simulator's printed export lines give it."""
        tenant = self.info["tenants"][0]
        hosts = {urlsplit(u).hostname for tenant_info in self.info["tenants"] for u in tenant_info["urls"]}
        hosts |= {urlsplit(ra[key]).hostname for ra in self.info.get("remote_access", []) for key in ("auth_url", "api_url")}
        env = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
        env.update(CYBERARK_IDENTITY_TENANT_URL=tenant["system_url"], CYBERARK_IDENTITY_CA_PATH=self.info["ca_path"],
                   CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=",".join(sorted(h for h in hosts if h)),
                   CYBERARK_IDENTITY_CLIENT_ID=CLIENT_ID, CYBERARK_IDENTITY_CLIENT_SECRET=CLIENT_SECRET,
                   ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=os.path.join(self.workdir, "ansible-tmp"))
        # The playbook runs this very collection (the working tree, in a clone).
        env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")
        return env


def simulated_trace(sim: Simulator, readings: dict[str, str], trace: str, extra_vars: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """verify_tenant.yml against the simulator under ``readings``; its trace."""
    sim.configure(readings)
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    variables = dict(extra_vars, verify_trace=trace)
    completed = subprocess.run([playbook, "-i", "localhost,", PLAYBOOK, "-e", json.dumps(variables)], env=sim.environment(),
                               capture_output=True, text=True, timeout=600, check=False)
    if not os.path.exists(trace):
        raise RuntimeError(f"verify_tenant.yml wrote no trace (exit status {completed.returncode}):\n"
                           + (completed.stdout + completed.stderr)[-2000:])
    return load_trace(trace)


# -- reading and summarising traces ---------------------------------------------------------------------------------
def load_trace(path: str) -> list[dict[str, t.Any]]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                print(f"{path}:{number}: not a JSON line, skipped", file=sys.stderr)
                continue
            if isinstance(record, dict) and "path" in record:
                records.append(record)
    return records


class Calls:
    """Every call to one endpoint in a trace: how many, and what they showed, merged."""

    def __init__(self) -> None:
        self.count = 0
        self.values: dict[str, set[str]] = collections.defaultdict(set)
        self.shapes: dict[str, t.Any] = {}

    def add(self, record: dict[str, t.Any]) -> None:
        self.count += 1
        for field in ("status", "success", "MessageID", "ErrorCode", "error", "failure", "script", "auth"):
            if field in record:
                self.values[field].add(json.dumps(record[field]))
        self.values["query"].add(json.dumps(record.get("query", [])))
        for field in ("request", "answer"):
            if field in record:
                self.shapes[field] = merge(self.shapes[field], record[field]) if field in self.shapes else record[field]


def summarise(records: t.Iterable[dict[str, t.Any]]) -> dict[Key, Calls]:
    calls: dict[Key, Calls] = {}
    for record in records:
        key = (str(record.get("client", "identity")), str(record.get("method")), str(record.get("path")))
        calls.setdefault(key, Calls()).add(record)
    return calls


# -- differences ----------------------------------------------------------------------------------------------------
def _options(shape: t.Any) -> list[t.Any]:
    if isinstance(shape, list) and shape[:1] == ["one of"]:
        return shape[1:]
    return [shape]


def _kinds(options: list[t.Any]) -> set[str]:
    return {"dict" if isinstance(o, dict) else "list" if isinstance(o, list) else str(o) for o in options} - {"absent"}


def shape_differences(tenant: t.Any, simulated: t.Any, where: str) -> list[Difference]:
    """Where two shapes differ, list lengths aside (they are the data's)."""
    tenant_options, simulated_options = _options(tenant), _options(simulated)
    tenant_kinds, simulated_kinds = _kinds(tenant_options), _kinds(simulated_options)
    differences: list[Difference] = []
    if tenant_kinds - {"null"} and simulated_kinds - {"null"}:
        if tenant_kinds - {"null"} != simulated_kinds - {"null"}:
            differences.append((True, f"{where}: tenant {' or '.join(sorted(tenant_kinds))}, "
                                      f"simulator {' or '.join(sorted(simulated_kinds))}"))
    elif tenant_kinds != simulated_kinds:
        differences.append((False, f"{where}: tenant {' or '.join(sorted(tenant_kinds)) or 'absent'}, "
                                   f"simulator {' or '.join(sorted(simulated_kinds)) or 'absent'} (a null value may be the data's)"))
    tenant_dict = next((o for o in tenant_options if isinstance(o, dict)), None)
    simulated_dict = next((o for o in simulated_options if isinstance(o, dict)), None)
    if tenant_dict is not None and simulated_dict is not None:
        for key in sorted(set(tenant_dict) | set(simulated_dict)):
            place = f"{where}.{key}"
            if key not in simulated_dict or key not in tenant_dict:
                present, side = (tenant_dict, "tenant") if key in tenant_dict else (simulated_dict, "simulator")
                optional = "absent" in _options(present[key])  # the side that has it lacks it sometimes: the data's
                differences.append((not optional, f"{place}: only the {side} has it ({_brief(present[key])})"))
            else:
                differences.extend(shape_differences(tenant_dict[key], simulated_dict[key], place))
    tenant_list = next((o for o in tenant_options if isinstance(o, list) and len(o) > 2), None)
    simulated_list = next((o for o in simulated_options if isinstance(o, list) and len(o) > 2), None)
    if tenant_list is not None and simulated_list is not None:
        differences.extend(shape_differences(tenant_list[2], simulated_list[2], where + "[]"))
    return differences


def _brief(shape: t.Any) -> str:
    text = json.dumps(shape, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def call_differences(tenant: Calls | None, simulated: Calls | None) -> list[Difference]:
    if simulated is None:
        return [(True, "called against the tenant only")]
    if tenant is None:
        return [(True, "called against the simulator only")]
    differences: list[Difference] = []
    if tenant.count != simulated.count:
        differences.append((False, f"{tenant.count} calls against the tenant, {simulated.count} against the simulator"))
    for field in sorted(set(tenant.values) | set(simulated.values)):
        mine, theirs = tenant.values.get(field, set()), simulated.values.get(field, set())
        if mine != theirs:
            major = field not in ("script", "query")  # which queries ran depends on the tenant's data
            differences.append((major, f"{field}: tenant {', '.join(sorted(mine)) or 'none'}; "
                                       f"simulator {', '.join(sorted(theirs)) or 'none'}"))
    for field in ("request", "answer"):
        if field in tenant.shapes and field in simulated.shapes:
            differences.extend(shape_differences(tenant.shapes[field], simulated.shapes[field], field))
        elif field in tenant.shapes or field in simulated.shapes:
            differences.append((True, f"{field}: only the {'tenant' if field in tenant.shapes else 'simulator'} has one"))
    return differences


def compare(tenant: dict[Key, Calls], simulated: dict[Key, Calls]) -> dict[Key, list[Difference]]:
    """The differences of each endpoint, in the order the tenant's trace met them (the simulator's extra ones last)."""
    keys = list(tenant) + [key for key in simulated if key not in tenant]
    found = {key: call_differences(tenant.get(key), simulated.get(key)) for key in keys}
    return {key: differences for key, differences in found.items() if differences}


# -- the report -----------------------------------------------------------------------------------------------------
def _line(difference: Difference) -> str:
    return ("! " if difference[0] else "~ ") + difference[1]


def _score(found: dict[Key, list[Difference]]) -> tuple[int, int]:
    flat = [d for differences in found.values() for d in differences]
    return sum(1 for d in flat if d[0]), sum(1 for d in flat if not d[0])


def _call_name(key: Key) -> str:
    client, method, path = key
    return f"{method} {path}" + (" (Remote Access)" if client == "remote_access" else "")


def report(trace: str, tenant: dict[Key, Calls], results: list[tuple[str, dict[Key, list[Difference]]]]) -> int:
    calls = sum(c.count for c in tenant.values())
    print(f"Trace {trace}: {calls} calls to {len(tenant)} endpoints.")
    print(f"Simulated with playbooks/verify_tenant.yml under {len(results)} sets of readings: the defaults, then each "
          "reading's each other choice.")
    print("! a difference of shape; ~ one the tenant's data may explain.\n")
    baseline = dict(results)[DEFAULTS]
    print(f"== {DEFAULTS}: {_summary(baseline)}")
    for key, differences in baseline.items():
        print(f"  {_call_name(key)}")
        for difference in differences:
            print(f"    {_line(difference)}")
    unchanged = []
    for label, found in results:
        if label == DEFAULTS:
            continue
        changes = []
        for key in list(baseline) + [k for k in found if k not in baseline]:
            before, after = set(baseline.get(key, [])), set(found.get(key, []))
            lines = [f"    + {_line(d)}" for d in found.get(key, []) if d not in before]
            lines += [f"    - {_line(d)}" for d in baseline.get(key, []) if d not in after]
            if lines:
                changes.append(f"  {_call_name(key)}\n" + "\n".join(lines))
        if not changes:
            unchanged.append(label)
            continue
        print(f"\n== {label}: {_summary(found)}; against the defaults:")
        for change in changes:
            print(change)
    if unchanged:
        print(f"\nAs the defaults (the trace does not tell these readings apart): {', '.join(unchanged)}")
    best = min(_score(found) for _label, found in results)
    matches = [label for label, found in results if _score(found) == best]
    print(f"\nBest match ({best[0]} differences of shape, {best[1]} the data may explain): {', '.join(matches)}")
    return 0 if best[0] == 0 else 1


def _summary(found: dict[Key, list[Difference]]) -> str:
    major, minor = _score(found)
    return f"{major} differences of shape, {minor} the data may explain"


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("trace", help="the shape trace of playbooks/verify_tenant.yml against a tenant (JSON lines)")
    parser.add_argument("--write-cycle", action="store_true", help="the trace was made with -e verify_write_cycle=true")
    parser.add_argument("--only", action="append", default=[], metavar="READING",
                        help="vary only this reading (repeatable; default: every reading)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.only if name not in READINGS]
    if unknown:
        parser.error(f"unknown reading {', '.join(unknown)}; known: {', '.join(READINGS)}")
    tenant = summarise(load_trace(args.trace))
    if not tenant:
        print(f"{args.trace} holds no call", file=sys.stderr)
        return 2
    extra_vars = {"verify_write_cycle": True} if args.write_cycle else {}
    sets = reading_sets(args.only)
    results = []
    with tempfile.TemporaryDirectory(prefix="compare-trace-") as workdir:
        try:
            with Simulator(workdir) as sim:
                for number, (label, readings) in enumerate(sets):
                    print(f"[{number + 1}/{len(sets)}] verify_tenant.yml under {label}", file=sys.stderr)
                    simulated = simulated_trace(sim, readings, os.path.join(workdir, f"trace-{number}.jsonl"), extra_vars)
                    results.append((label, compare(tenant, summarise(simulated))))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            print(f"compare_trace: {exc}", file=sys.stderr)
            return 2
    return report(args.trace, tenant, results)


if __name__ == "__main__":
    sys.exit(main())
