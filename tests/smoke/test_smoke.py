# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The version matrix's smoke set: the collection built and installed by ansible-galaxy, alone on the collections path,
runs tests/smoke/smoke.yml against the simulator with this interpreter's ansible-core; it passes, and the collection's
own code raises no deprecation warning (ansible-core's about the environment are allowed)."""

from __future__ import annotations

import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from idsim.server import Simulator  # pylint: disable=import-error
from idsim.state import World, load_seed  # pylint: disable=import-error
from identity_it import SERVICE_ENV, SimHandle  # pylint: disable=import-error

from ansible.release import __version__ as CORE

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
PLAYBOOK = os.path.join(REPO, "tests", "smoke", "smoke.yml")
SEED = os.path.join(REPO, "tests", "integration", "seed.json")
# ansible-core 2.19 and newer can print where a deprecation was raised (older ones print the message alone)
TRACEBACKS = tuple(int(part) for part in CORE.split(".")[:2]) >= (2, 19)
# A frame of the installed collection in a deprecation's traceback, or a message naming the collection.
OURS = re.compile(r"ansible_collections/cyberark_community/identity/|cyberark_community\.identity")
END = re.compile(r"^(\[|TASK |PLAY |ok:|changed:|fatal:|failed:|skipping:|included:)")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> str:
    """The collections directory holding only the collection, installed from the tarball ``ansible-galaxy`` built."""
    work = tmp_path_factory.mktemp("installed")
    built = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work / "build"), REPO],
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    tarball = glob.glob(str(work / "build" / "cyberark_community-identity-*.tar.gz"))[0]
    collections = str(work / "collections")
    installed_run = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-p", collections, tarball],
                                   capture_output=True, text=True, timeout=300, check=False, env=alone(collections))
    assert installed_run.returncode == 0, installed_run.stdout + installed_run.stderr
    return collections


def alone(collections: str, **extra: str) -> dict:
    """The environment with ``collections`` the only place ansible looks for collections (not the source tree's link)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CYBERARK_", "ANSIBLE_"))}
    env.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_NOCOLOR="1", **extra)
    return env


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    simulator = Simulator(World(load_seed(SEED)), scheme="https", cert_dir=str(tmp_path_factory.mktemp("tls")), seed=7)
    info = simulator.start()
    try:
        yield SimHandle(simulator, info)
    finally:
        simulator.stop()


@pytest.fixture(scope="module")
def smoke(installed, sim, tmp_path_factory) -> tuple:
    """The smoke playbook's run: its completed process and the file its last task writes."""
    work = tmp_path_factory.mktemp("smoke")
    import_file = work / "import.csv"
    with open(import_file, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Login Name", "Email Address", "Roles"],
                                      ["smoke.two@smoke.example", "smoke.two@smoke.example", "Smoke Team"]])
    done = work / "done.json"
    variables = {"smoke_tenant_id": sim.legacy["tenant_id"], "smoke_system_url": sim.legacy["system_url"],
                 "smoke_import_file": str(import_file), "smoke_export_file": str(work / "export.csv"), "smoke_done_file": str(done)}
    (work / "vars.json").write_text(json.dumps(variables), encoding="utf-8")
    remote = sim.info["remote_access"][0]
    env = alone(installed, ANSIBLE_LOCAL_TEMP=str(work / "ansible-tmp"), ANSIBLE_RETRY_FILES_ENABLED="0",
                CYBERARK_IDENTITY_TENANT_URL=sim.legacy["system_url"], CYBERARK_IDENTITY_CA_PATH=sim.ca_path,
                CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=sim.allowed_hosts,
                CYBERARK_REMOTE_ACCESS_SERVICE_ACCOUNT_FILE=remote["service_account_file"],
                CYBERARK_REMOTE_ACCESS_TENANT_ID=remote["tenant_id"], CYBERARK_REMOTE_ACCESS_API_URL=remote["api_url"],
                CYBERARK_REMOTE_ACCESS_CA_PATH=sim.ca_path, **SERVICE_ENV)
    return play(PLAYBOOK, work, env), done


def play(playbook: str, work, env: dict) -> subprocess.CompletedProcess:
    """``ansible-playbook`` on localhost; on 2.19 and newer each deprecation is printed with the frames that raised it."""
    if TRACEBACKS:
        env = dict(env, ANSIBLE_DISPLAY_TRACEBACK="deprecated")
    command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", playbook]
    if os.path.exists(work / "vars.json"):
        command += ["-e", f"@{work / 'vars.json'}"]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(work), timeout=600, check=False)


def deprecations(output: str) -> list[str]:
    """Each ``[DEPRECATION WARNING]`` of the output with what follows it (2.19 and newer: a blank line, the traceback and
    ``Message:``) up to the next message or task result."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in output.splitlines():
        if line.startswith("[DEPRECATION WARNING]"):
            current = [line]
            blocks.append(current)
        elif current is not None and END.match(line):
            current = None
        elif current is not None:
            current.append(line)
    return ["\n".join(block) for block in blocks]


def test_the_playbook_passes_from_the_installed_collection(smoke):
    completed, done = smoke
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    assert json.loads(done.read_text(encoding="utf-8")) == {"removed": True}, output[-3000:]


def test_the_collection_raises_no_deprecation_warning(smoke):
    completed = smoke[0]
    ours = [block for block in deprecations(completed.stdout + completed.stderr) if OURS.search(block)]
    assert not ours, "\n\n".join(ours)


def test_only_the_installed_copy_is_found(installed):
    listed = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "list", "cyberark_community.identity"],
                            capture_output=True, text=True, env=alone(installed), timeout=120, check=False).stdout
    assert re.findall(r"^# (\S+)", listed, re.M) == [os.path.join(installed, "ansible_collections")], listed


def test_a_deprecation_raised_through_the_collection_is_caught(installed, tmp_path):
    """The check above is not blind on this ansible-core: a copy of the collection whose lookups raise a deprecation
    (on 2.19 and newer without naming the collection, as one of ansible-core's raised through our code would) is caught."""
    probe = tmp_path / "collections"
    shutil.copytree(installed, probe)
    connection = probe / "ansible_collections" / "cyberark_community" / "identity" / "plugins" / "plugin_utils" / "_connection.py"
    raised = ('display.deprecated("smoke probe", version="2.99")' if TRACEBACKS
              else 'display.deprecated("smoke probe", version="9.0.0", collection_name="cyberark_community.identity")')
    source = connection.read_text(encoding="utf-8")
    connection.write_text(source.replace("    spec = connection_argument_spec()\n", f"    {raised}\n    spec = connection_argument_spec()\n", 1),
                          encoding="utf-8")
    assert raised in connection.read_text(encoding="utf-8")
    playbook = tmp_path / "probe.yml"
    playbook.write_text(json.dumps([{
        "hosts": "localhost", "gather_facts": False, "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "tasks": [{"ansible.builtin.debug": {"msg": "{{ lookup('cyberark_community.identity.tenant_urls', tenant_url='127.0.0.1:9') }}"},
                   "ignore_errors": True}]}]), encoding="utf-8")
    completed = play(str(playbook), tmp_path, alone(str(probe), ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp")))
    ours = [block for block in deprecations(completed.stdout + completed.stderr) if OURS.search(block)]
    assert len(ours) == 1 and "smoke probe" in ours[0], completed.stdout + completed.stderr
