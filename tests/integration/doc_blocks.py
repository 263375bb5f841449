# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the tests that run the docs as written share: the code blocks of a Markdown or RST doc with their markers, a
simulator started as docs/simulator.md says, and a bash that runs a block.

A doc marks a block on the line before it (the last non-blank line before an RST directive):
``<!-- not run against the simulator: <reason> -->`` / ``.. not run against the simulator: <reason>`` (skipped, with
that reason), or ``<!-- fails on purpose: <text> -->`` / ``.. fails on purpose: <text>`` (it must fail, saying that text).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import signal
import ssl
import subprocess
import sys
import textwrap
import time
import typing as t
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR_MD = "docs/simulator.md"
REMOTE_ACCESS_RST = "docs/docsite/rst/remote_access.rst"
RST_SIMULATOR_SECTION = "With the simulator"  # the Remote Access guide's section that runs against the simulator
# The values of docs/simulator.md's start-up sample, and what each stands for in a run (the doc says so too).
SAMPLE_PORT = "41234"
SAMPLE_DIR = "/tmp/idsim-x"
SAMPLE_HOME = "/home/you"
NOT_RUN = "not run against the simulator"
FAILS = "fails on purpose"
MARKER_MD = re.compile(r"<!--\s*(" + NOT_RUN + "|" + FAILS + r"):\s*(.+?)\s*-->", re.S)
MARKER_RST = re.compile(r"^\.\. (" + NOT_RUN + "|" + FAILS + r"):\s*(.+)$")
START_SECONDS = 60


@dataclasses.dataclass
class Block:
    doc: str
    line: int
    code: str
    not_run: str | None
    language: str = "console"
    fails_with: str | None = None  # the text a block marked "fails on purpose" must fail with

    @property
    def name(self) -> str:
        return f"{self.doc}:{self.line}"


def read(doc: str) -> str:
    with open(os.path.join(REPO, doc), encoding="utf-8") as handle:
        return handle.read()


def _marked(found: re.Match | None) -> dict:
    if not found:
        return {"not_run": None}
    kind, text = found.group(1), " ".join(found.group(2).split())
    return {"not_run": text if kind == NOT_RUN else None, "fails_with": text if kind == FAILS else None}


def markdown_blocks(doc: str, language: str = "console") -> list[Block]:
    text = read(doc)
    blocks = []
    for found in re.finditer(r"^```" + language + r"[ \t]*\n(.*?)^```[ \t]*$", text, re.S | re.M):
        before = text[:found.start()].rstrip().splitlines()
        marker = MARKER_MD.search(before[-1]) if before else None
        blocks.append(Block(doc, text.count("\n", 0, found.start()) + 1, found.group(1), language=language, **_marked(marker)))
    return blocks


def rst_section(text: str, title: str) -> tuple[int, list[str]]:
    """The lines of the section titled ``title`` (up to the next title of any level), and the number of its first line."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines[:-1]) if line.strip() == title and re.fullmatch(r"([-=~^])\1+", lines[i + 1])), None)
    if start is None:
        return 0, []
    end = next((i for i in range(start + 2, len(lines) - 1) if lines[i].strip() and re.fullmatch(r"([-=~^])\1+", lines[i + 1])), len(lines))
    return start, lines[start:end]


def rst_blocks(doc: str, language: str = "console", title: str | None = None) -> list[Block]:
    """The ``.. code:: <language>`` blocks of a doc (of one section when ``title`` is given), indented or not."""
    text = read(doc)
    first, lines = rst_section(text, title) if title else (0, text.splitlines())
    blocks = []
    for index, line in enumerate(lines):
        if not re.fullmatch(r"\.\. code(-block)?:: " + language, line.strip()):
            continue
        indent = len(line) - len(line.lstrip())
        body = []
        for following in lines[index + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        before = [previous for previous in lines[:index] if previous.strip()]
        marker = MARKER_RST.match(before[-1].strip()) if before else None
        code = textwrap.dedent("\n".join(body)).strip("\n") + "\n"
        blocks.append(Block(doc, first + index + 1, code, language=language, **_marked(marker)))
    return blocks


def simulator_guide_blocks() -> list[Block]:
    """The console blocks tests/integration/test_simulator_docs.py runs: docs/simulator.md's and the Remote Access guide's
    simulator section's."""
    return markdown_blocks(SIMULATOR_MD) + rst_blocks(REMOTE_ACCESS_RST, "console", RST_SIMULATOR_SECTION)


class Simulator:
    """``python -m idsim --info-file ~/idsim-info.json``, with HOME and TMPDIR of the test's own; killed at the end."""

    def __init__(self, root: str) -> None:
        self.home = os.path.join(root, "home")
        self.tmp = os.path.join(root, "tmp")
        os.makedirs(self.home)
        os.makedirs(self.tmp)
        self.info_file = os.path.join(self.home, "idsim-info.json")
        self.stdout_file = os.path.join(root, "simulator.out")
        environment = dict(os.environ, PYTHONPATH=os.path.join(REPO, "tests", "simulator"), TMPDIR=self.tmp, HOME=self.home)
        with open(self.stdout_file, "w", encoding="utf-8") as stdout:
            # --idle-exit: it ends by itself should this test die before killing it.
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [sys.executable, "-m", "idsim", "--info-file", self.info_file, "--idle-exit", "900"],
                env=environment, stdout=stdout, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
        self.stdout = self._wait_for_start()
        with open(self.info_file, encoding="utf-8") as handle:
            self.info = json.load(handle)
        self.directory = os.path.dirname(self.info["ca_path"])

    def _wait_for_start(self) -> str:
        """Its standard output once it printed its start-up lines (one write, after the info file)."""
        deadline = time.monotonic() + START_SECONDS
        while True:
            printed = ""
            if os.path.exists(self.info_file) and os.path.getsize(self.info_file):
                with open(self.stdout_file, encoding="utf-8") as handle:
                    printed = handle.read()
            if printed.endswith("\n"):
                return printed
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"the simulator did not start: {printed}")
            time.sleep(0.1)

    @property
    def export_lines(self) -> list[str]:
        """The ``export`` lines it printed: what a user pastes into the shell that runs playbooks."""
        return [line for line in self.stdout.splitlines() if line.startswith("export ")]

    @property
    def exports(self) -> dict[str, str]:
        return dict(shlex.split(line)[1].split("=", 1) for line in self.export_lines)

    def substitute(self, text: str) -> str:
        """A documented sample as this run's: its port, its directory and the home directory."""
        return text.replace(SAMPLE_PORT, str(self.info["port"])).replace(SAMPLE_DIR, self.directory).replace(SAMPLE_HOME, self.home)

    def sim_get(self, name: str) -> t.Any:
        request = urllib.request.Request(f"{self.info['sim_url']}/{name}", headers={"X-Idsim-Token": self.info["sim_token"]})
        with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=self.info["ca_path"]), timeout=10) as answer:
            return json.load(answer)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@dataclasses.dataclass
class Outcome:
    rc: int
    output: str


class BlocksInOrder:
    """A doc's blocks run once each, in order, up to the one a test asks for; subclasses set ``blocks`` and
    ``outcomes`` and say how one block runs (``_run``)."""

    blocks: list[Block]
    outcomes: dict[str, Outcome]

    def _run(self, block: Block) -> Outcome:
        raise NotImplementedError

    def run_until(self, block: Block) -> Outcome:
        for earlier in self.blocks:
            if earlier.name not in self.outcomes:
                # Run even after a failed block, as a user would go on (a failed block exports nothing to the next).
                failed = [name for name, outcome in self.outcomes.items() if outcome.rc]
                outcome = self._run(earlier)
                self.outcomes[earlier.name] = Outcome(outcome.rc, outcome.output + (f"\n(failed before it: {', '.join(failed)})" if failed else ""))
            if earlier.name == block.name:
                return self.outcomes[earlier.name]
        raise AssertionError(f"{block.name} is not a block of {self.blocks}")


def run_bash(script: str, cwd: str, environment: dict[str, str], seconds: int) -> Outcome:
    """``script`` in a bash of its own process group, killed with everything it started after ``seconds``."""
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        ["bash", "--noprofile", "--norc", "-c", script], cwd=cwd, env=environment, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output = process.communicate(timeout=seconds)[0]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output = process.communicate(timeout=30)[0]
        return Outcome(124, f"did not end within {seconds} s:\n{output}")
    return Outcome(process.returncode, output)


def shell_environment(home: str, tmp: str) -> dict[str, str]:
    """This process's environment without any CYBERARK_ variable, with the given HOME and TMPDIR and the collection
    found as the Makefile links it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    environment.update(HOME=home, TMPDIR=tmp, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                       ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, ".tmp", "collections")),
                       ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")
    return environment
