# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/verify_tenant.yml: every read the collection relies on, nothing written unless asked, no secret printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from identity_it import connection_env  # pylint: disable=import-error

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICE = {"client_id": "ansible-svc@acme.com", "client_secret": "Svc-S3cret-Value!"}


def run_verify(sim, tmp_path, *extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    env.update(connection_env(sim, **SERVICE), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))
    trace = ["-e", json.dumps({"verify_trace": str(tmp_path / "trace.jsonl")})]  # not in the folder the tests run from
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
               os.path.join(REPO, "playbooks", "verify_tenant.yml"), *trace, *extra]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)


def test_verify_tenant_reads_everything_and_writes_nothing(sim, tmp_path):
    run = run_verify(sim, tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    for step in ("login and tenant info: ok", "user with details and roles: ok", "role lookup and members: ok",
                 "attribute schema: ok", "import plan: ok"):
        assert step in output
    counts = sim.get("requests")
    assert counts["writes"] == 0
    for path in ("/sysinfo/about", "/tenantcnames/uiget", "/core/getcdsaliasesfortenant", "/redrock/query", "/cdirectoryservice/getuser",
                 "/usermgmt/getusersrolesandadministrativerights", "/roles/getrolemembers", "/extdata/getschema"):
        assert counts["by_path"].get(path), path
    assert SERVICE["client_secret"] not in output
    # it writes nothing, so it reports no change, and its probes raise no warning
    assert "changed=0" in output and "[WARNING]" not in run.stdout, output[-3000:]


def test_verify_tenant_write_cycle_leaves_nothing_behind(sim, tmp_path):
    run = run_verify(sim, tmp_path, "-e", json.dumps({"verify_write_cycle": True}))
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    counts = sim.get("requests")["by_path"]
    assert counts.get("/cdirectoryservice/createuser") == 1 and counts.get("/cdirectoryservice/deleteuser") == 1
    assert not [u for u in sim.tenant_state("ABC1234")["users"] if u["Name"].startswith("ansible-verify-")]
    for step in ("create a throwaway user: ok", "read it back: ok", "delete it: ok"):
        assert step in output, output[-3000:]


def test_a_folder_given_as_the_trace_is_refused_and_left_as_it_is(sim, tmp_path):
    folder = tmp_path / "traces"
    folder.mkdir()
    (folder / "keep.txt").write_text("kept", encoding="utf-8")
    run = run_verify(sim, tmp_path, "-e", json.dumps({"verify_trace": str(folder)}))
    assert run.returncode != 0 and "is neither a regular file nor a device" in run.stdout + run.stderr
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "kept"
    assert sim.get("requests")["by_path"] == {}  # refused before the first call


def test_the_trace_can_go_to_dev_null(sim, tmp_path):
    run = run_verify(sim, tmp_path, "-e", json.dumps({"verify_trace": os.devnull}))
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)
