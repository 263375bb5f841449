# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/simulator.md and the Remote Access guide's simulator section, run as written against a simulator started as they say.

Every ``console`` block is run by bash, in order, from the repository's root, as a user pastes it into one terminal (what
a block exports is still set in the next one). The simulator is started as the docs say (``python -m idsim --info-file
~/idsim-info.json``), with HOME and TMPDIR in this test's own directory. The only substitutions are the ones
docs/simulator.md names, the values of its start-up sample: the port, the simulator's directory and the home directory
(SAMPLE_PORT, SAMPLE_DIR, SAMPLE_HOME). A block the doc marks
``<!-- not run against the simulator: <reason> -->`` (Markdown) or ``.. not run against the simulator: <reason>`` (RST),
on the line before it, is skipped, with that reason.
"""

from __future__ import annotations

import os
import re
import typing as t

import pytest
from doc_blocks import (  # pylint: disable=import-error
    BlocksInOrder,
    REMOTE_ACCESS_RST,
    REPO,
    SIMULATOR_MD,
    Block,
    Outcome,
    Simulator,
    markdown_blocks,
    run_bash,
    shell_environment,
    simulator_guide_blocks,
)
from idsim.exports import shell_exports  # pylint: disable=import-error
from idsim.readings import READINGS  # pylint: disable=import-error
from idsim.state import World  # pylint: disable=import-error

BLOCK_SECONDS = 300


def doc_blocks() -> list[Block]:
    return simulator_guide_blocks()


class DocRun(BlocksInOrder):
    """One doc's blocks run in order, each in a bash that starts with what the blocks before it exported."""

    def __init__(self, doc: str, root: str) -> None:
        self.blocks = [b for b in doc_blocks() if b.doc == doc and not b.not_run]
        self.root = root
        self.sim = Simulator(root)
        self.state_file = os.path.join(root, "exported.sh")
        self.outcomes: dict[str, Outcome] = {}

    def _run(self, block: Block) -> Outcome:
        script = "\n".join([
            "set -e",
            f"if [ -f '{self.state_file}' ]; then . '{self.state_file}'; fi",
            self.sim.substitute(block.code),
            f"export -p > '{self.state_file}'",
        ])
        return run_bash(script, REPO, shell_environment(self.sim.home, self.sim.tmp), BLOCK_SECONDS)

    def stop(self) -> None:
        self.sim.stop()


@pytest.fixture(scope="module")
def doc_runs(tmp_path_factory) -> t.Iterator[t.Callable[[str], DocRun]]:
    """A run per doc, each against its own simulator, started when a test first needs it."""
    runs: dict[str, DocRun] = {}

    def get(doc: str) -> DocRun:
        if doc not in runs:
            runs[doc] = DocRun(doc, str(tmp_path_factory.mktemp("doc")))
        return runs[doc]
    try:
        yield get
    finally:
        for run in runs.values():
            run.stop()


def check_output(block: Block, output: str) -> None:
    """What a block's commands must show beyond their exit status."""
    if "playbooks/tenant_info.yml" in block.code:
        assert re.search(r'"Tenant ID: +ABC1234"', output), f"{block.name}: no tenant ID:\n{output[-3000:]}"
    if "/ra/portal_integrate" in block.code:
        assert '"integrated": true' in output, f"{block.name}: the portal step did not integrate:\n{output[-3000:]}"


@pytest.mark.parametrize("block", doc_blocks(), ids=lambda b: b.name)
def test_console_block_runs_as_written(block, doc_runs):
    if block.not_run:
        pytest.skip(f"marked in {block.doc}: {block.not_run}")
    outcome = doc_runs(block.doc).run_until(block)
    assert outcome.rc == 0, f"{block.name} exited {outcome.rc}:\n{block.code}\n---\n{outcome.output[-4000:]}"
    check_output(block, outcome.output)


@pytest.mark.parametrize("doc", [SIMULATOR_MD, REMOTE_ACCESS_RST])
def test_remote_access_walkthrough_ends_integrated(doc, doc_runs):
    """Each doc walks the Remote Access integration through against the simulator: prepared, portal step, verified."""
    run = doc_runs(doc)
    integrations = [b for b in run.blocks if "playbooks/integrate_remote_access.yml" in b.code]
    assert integrations and any("/ra/portal_integrate" in b.code for b in run.blocks), f"{doc}: no Remote Access walkthrough"
    last = run.run_until(integrations[-1])
    assert last.rc == 0 and "Integrated; last Identity synchronization" in last.output, last.output[-4000:]
    sites = run.sim.sim_get("ra/state")["sites"]
    assert [s["displayName"] for s in sites] == ["Privilege Cloud"]


def test_every_doc_has_commands_that_run():
    for doc in (SIMULATOR_MD, REMOTE_ACCESS_RST):
        assert [b for b in doc_blocks() if b.doc == doc and not b.not_run], f"{doc}: no console block runs against the simulator"


def test_the_start_up_sample_is_what_it_prints(doc_runs):
    """docs/simulator.md shows the start-up output as printed today (port, directory and home of its sample)."""
    sim = doc_runs(SIMULATOR_MD).sim
    samples = [b for b in markdown_blocks(SIMULATOR_MD, "text") if b.code.startswith('{"scheme"')]
    assert len(samples) == 1, "docs/simulator.md: one ```text block of the start-up output"
    assert sim.substitute(samples[0].code) == sim.stdout


def test_every_documented_export_is_one_it_prints(doc_runs):
    """The doc's export lines are the simulator's, so that pasting what it printed does what the doc does."""
    sim = doc_runs(SIMULATOR_MD).sim
    printed = set(sim.stdout.splitlines())
    assert sim.info["sim_token"] not in sim.stdout
    exports = [line for b in doc_blocks() for line in b.code.splitlines() if line.startswith("export CYBERARK_")]
    assert exports and [line for line in exports if sim.substitute(line) not in printed] == []
    needed = {"CYBERARK_IDENTITY_TENANT_URL", "CYBERARK_IDENTITY_CA_PATH", "CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS",
              "CYBERARK_IDENTITY_CLIENT_ID", "CYBERARK_IDENTITY_CLIENT_SECRET", "CYBERARK_REMOTE_ACCESS_SERVICE_ACCOUNT_FILE",
              "CYBERARK_REMOTE_ACCESS_TENANT_ID", "CYBERARK_REMOTE_ACCESS_AUTH_URL", "CYBERARK_REMOTE_ACCESS_API_URL",
              "CYBERARK_REMOTE_ACCESS_CA_PATH"}
    assert needed <= {re.sub(r"^export (\w+)=.*", r"\1", line) for line in printed}


def exports_of(seed: dict, scheme: str = "https") -> list[str]:
    world = World(seed)
    info = {"scheme": scheme, "port": 41234, "ca_path": "/tmp/idsim-x/ca.pem", "info_file": "/home/you/idsim-info.json",
            "tenants": [{"tenant_id": t.info["tenant_id"], "system_url": f"{scheme}://{t.hosts['system']}:41234",
                         "urls": [f"{scheme}://{h}:41234" for h in t.all_hosts()]} for t in world.tenants],
            "remote_access": [{"tenant_id": ra.tenant_id, "identity_tenant_id": ra.identity_tenant_id, "service_account_file": "/tmp/idsim-x/ra.json",
                               "auth_url": f"{scheme}://{ra.hosts['auth']}:41234", "api_url": f"{scheme}://{ra.hosts['api']}:41234"}
                              for ra in world.ra_tenants]}
    return shell_exports(info, world)


def test_a_seed_without_the_built_in_service_user_gets_no_credentials_printed():
    lines = exports_of({"tenants": [{"users": [{"Name": "svc@acme.com", "Password": "Other-S3cret!", "ServiceUser": True, "OauthClient": True}]},
                                    {"tenant_id": "XYZ9876", "hosts": {"system": "127.0.0.5", "custom": []}}]})
    assert not [line for line in lines if "CLIENT_ID=" in line or "CLIENT_SECRET=" in line or "Other-S3cret!" in line]
    assert "export CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=127.0.0.2,127.0.0.3,127.0.0.5,127.0.0.20,127.0.0.21" in lines
    assert "# Tenant XYZ9876: CYBERARK_IDENTITY_TENANT_URL=https://127.0.0.5:41234" in lines


def test_over_http_nothing_is_offered_to_export():
    """No module accepts an http:// tenant URL: printing one to export would send users into an error."""
    assert not [line for line in exports_of({}, scheme="http") if line.startswith("export ")]


def test_the_readings_table_lists_every_reading_with_its_values_default_first():
    with open(os.path.join(REPO, "docs", "simulator.md"), encoding="utf-8") as handle:
        rows = re.findall(r"^\| `(\w+)` \| ((?:`[\w]+`(?:, )?)+) \|", handle.read(), flags=re.MULTILINE)
    documented = {name: re.findall(r"`(\w+)`", values) for name, values in rows}
    expected = {name: [reading["default"]] + [c for c in reading["choices"] if c != reading["default"]]
                for name, reading in READINGS.items()}
    assert documented == expected
