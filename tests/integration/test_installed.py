# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection as a user gets it: built, installed by ansible-galaxy, its simulator started from the installed copy
as the README says, a playbook of the installed copy run against it; stopping the simulator leaves no file behind."""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import tarfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def test_installed_collection_runs_its_simulator_and_playbooks(tmp_path):
    built = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path / "build"), REPO],
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    tarball = glob.glob(str(tmp_path / "build" / "cyberark_community-identity-*.tar.gz"))[0]
    # As on a user's machine: no other copy of the collection on the collections path (the repository's link is).
    alone = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "collections"))
    installed = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-p", str(tmp_path / "collections"), tarball],
                               capture_output=True, text=True, timeout=300, check=False, env=alone)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    root = tmp_path / "collections" / "ansible_collections" / "cyberark_community" / "identity"
    assert (root / "requirements.txt").is_file() and (root / "docs" / "docsite" / "extra-docs.yml").is_file()
    with tarfile.open(tarball) as archive:  # no caches or test output in what users download
        assert not [n for n in archive.getnames() if n.startswith((".hypothesis", "tests/output", ".tmp", ".venv")) or "__pycache__" in n]

    scratch = tmp_path / "simulator-tmp"
    scratch.mkdir()
    info_file = tmp_path / "sim.json"
    simulator = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "idsim", "--info-file", str(info_file)], stdout=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONPATH=str(root / "tests" / "simulator"), TMPDIR=str(scratch)), cwd=str(tmp_path),
    )
    try:
        deadline = time.monotonic() + 60
        while not info_file.exists() or not info_file.stat().st_size:
            assert simulator.poll() is None and time.monotonic() < deadline, "the simulator did not start"
            time.sleep(0.1)
        info = json.loads(info_file.read_text(encoding="utf-8"))
        assert os.listdir(scratch), "the CA and its key are written to the temporary directory"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CYBERARK_", "ANSIBLE_COLLECTIONS"))}
        env.update(ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "collections"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
                   CYBERARK_IDENTITY_TENANT_URL=info["tenants"][0]["system_url"], CYBERARK_IDENTITY_CA_PATH=info["ca_path"],
                   CYBERARK_IDENTITY_CLIENT_ID="ansible-svc@acme.com", CYBERARK_IDENTITY_CLIENT_SECRET="Svc-S3cret-Value!",
                   CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=",".join(u.split("//")[1].split(":")[0] for u in info["tenants"][0]["urls"]),
                   ANSIBLE_NOCOLOR="1")
        run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", str(root / "playbooks" / "tenant_info.yml"),
                              "-e", f"ansible_python_interpreter={sys.executable}"],
                             capture_output=True, text=True, env=env, timeout=300, check=False, cwd=str(tmp_path))
        assert run.returncode == 0, run.stdout[-3000:]
        assert "Tenant ID:         ABC1234" in run.stdout
        listed = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "list", "cyberark_community.identity"],
                                capture_output=True, text=True, env=env, timeout=120, check=False).stdout
        assert str(tmp_path / "collections" / "ansible_collections") in listed  # where the README says to look
        # Against the simulator the kind of tenant cannot be told from its loopback host names: the line says why.
        assert "Tenant kind:       unknown (" in run.stdout and "host names" in run.stdout
    finally:
        simulator.send_signal(signal.SIGINT)
        simulator.wait(timeout=30)
    assert not os.listdir(scratch), os.listdir(scratch)
