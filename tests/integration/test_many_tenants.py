# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Many tenants in one run (issue 28): playbooks/onboard_tenants.yml over three simulated tenants with forks, wired as the
AWX assets wire it (awx/controller_job_template_tenants.yml: the inventory's variables pick each host's secret from the
tenant secrets credential), with a 429 storm on one tenant that the others never see."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import typing as t

import jinja2
import pytest
import yaml
from idsim.server import Simulator  # pylint: disable=import-error
from idsim.state import World  # pylint: disable=import-error
from identity_it import SimHandle  # pylint: disable=import-error
from test_onboarding import load_awx, load_type  # pylint: disable=import-error

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TENANTS = ("acme", "globex", "initech")  # the hosts of awx/controller_job_template_tenants.yml
USERS = 12
STORM = {"rate_limit_rps": 4, "rate_limit_burst": 2, "retry_after": 1}


def tenant_seed() -> dict:
    return {"tenants": [{"tenant_id": f"MT{n:05d}", "tenant_uuid": f"00000000-0000-4000-8000-{n:012d}", "subdomain": name,
                         "company_name": name.title(), "hosts": {"system": f"127.0.2.{n}", "custom": [], "preferred": None},
                         "login_suffixes": [{"name": f"{name}.example", "cds": True}],
                         "users": [{"Name": f"svc@{name}.example", "Password": f"{name.title()}-S3cret-{n}!", "ServiceUser": True,
                                    "OauthClient": True, "InSysAdminRole": True}]}
                        for n, name in enumerate(TENANTS, start=1)]}


@pytest.fixture
def tenants_sim(tmp_path) -> t.Iterator[SimHandle]:
    sim = Simulator(World(tenant_seed()), scheme="https", cert_dir=str(tmp_path / "tls"), seed=7)
    info = sim.start()
    handle = SimHandle.__new__(SimHandle)  # its /_sim/ helpers; this simulator has no second built-in tenant
    handle.sim, handle.info, handle.token, handle.headers = sim, info, sim.token, {"X-Idsim-Token": sim.token}
    handle.ca_path, handle.base = info["ca_path"], info["sim_url"]
    try:
        yield handle
    finally:
        sim.stop()
    assert not sim.unknown and not sim.unknown_endpoints, (dict(sim.unknown), dict(sim.unknown_endpoints))


def awx_inventory(sim: SimHandle, tmp_path: t.Any) -> tuple[str, dict]:
    """The AWX example's inventory with each host pointed at its simulated tenant, and the extra variables the tenant secrets
    credential injects."""
    example = load_awx("controller_job_template_tenants.yml")
    group = next(g for g in example["controller_groups"] if g["name"] == "identity_tenants")
    assert tuple(group["hosts"]) == TENANTS
    hosts = {}
    for n, (name, tenant) in enumerate(zip(TENANTS, sim.info["tenants"]), start=1):
        path = tmp_path / f"{name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(["Login Name", "Email Address", "Roles"])
            writer.writerows([f"user{i:02d}@{name}.example", f"user{i:02d}@{name}.example", f"{name.title()} Staff"] for i in range(USERS))
        host = next(h for h in example["controller_hosts"] if h["name"] == name)
        hosts[name] = dict(host["variables"], identity_tenant_url=tenant["system_url"], identity_client_id=f"svc@{name}.example",
                           onboarding_import_file=str(path), onboarding_roles=[{"name": f"{name.title()} Staff"}])
        assert n == int(tenant["tenant_id"][2:])
    inventory_vars = dict(next(i for i in example["controller_inventories"] if i["name"] == group["inventory"])["variables"],
                          identity_ca_path=sim.ca_path)
    path = tmp_path / "tenants.yml"
    path.write_text(yaml.safe_dump({"identity_tenants": {"hosts": hosts, "vars": inventory_vars}}), encoding="utf-8")
    secrets = yaml.safe_dump({name: f"{name.title()}-S3cret-{n}!" for n, name in enumerate(TENANTS, start=1)})
    injector = load_type("CyberArk Identity tenant secrets")["injectors"]["extra_vars"]
    return str(path), {k: jinja2.Template(v).render(client_secrets=secrets) for k, v in injector.items()}


def test_tenants_onboarded_at_once_and_a_storm_stays_on_its_tenant(tenants_sim, tmp_path):
    sim = tenants_sim
    stormy = "MT00001"
    sim.post("config", {"tenants": {stormy: STORM}})
    inventory, extra = awx_inventory(sim, tmp_path)
    (tmp_path / "extra.yml").write_text(yaml.safe_dump(extra), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    environment.update(ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_NOCOLOR="1")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, "--forks", "3",
               os.path.join(REPO, "playbooks", "onboard_tenants.yml"), "-e", f"@{tmp_path / 'extra.yml'}"]
    run = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=240, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "S3cret" not in run.stdout + run.stderr
    state = {t["tenant_id"]: t for t in sim.get("state")["tenants"]}
    for n, name in enumerate(TENANTS, start=1):
        tenant = state[f"MT{n:05d}"]
        users = {u["Name"]: u["Uuid"] for u in tenant["users"]}
        assert set(users) == {f"svc@{name}.example"} | {f"user{i:02d}@{name}.example" for i in range(USERS)}, name  # its own, no other's
        role = next(r for r in tenant["roles"] if r["Name"] == f"{name.title()} Staff")
        assert sorted(role["Members"]) == sorted(users[f"user{i:02d}@{name}.example"] for i in range(USERS))
    by_tenant = sim.get("requests")["by_tenant"]
    assert by_tenant[stormy]["throttled"] > 0  # the storm happened, on its tenant
    for other in ("MT00002", "MT00003"):
        assert by_tenant[other]["throttled"] == 0 and by_tenant[other]["total"] >= USERS, (other, by_tenant[other])
        # The others' last answers came before the storm tenant's: its 429s and pauses were its own.
        assert by_tenant[other]["last"] < by_tenant[stormy]["last"], by_tenant
