# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""README.md, docs/ and the role READMEs, and each module's and lookup's EXAMPLES, run as written against the simulator.

What runs, and how:

- Every ``console`` block, by bash: a doc's blocks in order, in one terminal (what a block exports is still set in the
  next one), from the doc's working folder. docs/simulator.md's and the Remote Access guide's "With the simulator"
  section's are run by test_simulator_docs.py, from the clone itself, as those guides say.
- Every ``yaml`` block, in its doc's order with the console blocks:

  - a playbook (a list of plays) is saved in the working folder and run with ``ansible-playbook <file>``;
  - a list of tasks, like each module's EXAMPLES, runs in a play on localhost (``connection: local``, no facts, the
    venv's python) with no ``module_defaults``: the connection is what the terminal exports;
  - a mapping is a file a command reads. When its first line is a comment naming the file (``# onboarding.yml``), it is
    written to the working folder under that name before the doc's commands run, and a command of the doc must read it.
    A ``requirements.yml`` must name this collection with a version range its version meets; a mapping of variables of
    the playbooks or roles must name only variables they read; any other mapping (a result shown as a sample) is parsed.

- A doc marks a block on the line before it, with the reason: ``<!-- not run against the simulator: <reason> -->``
  (Markdown) or ``.. not run against the simulator: <reason>`` (RST) skips it; ``fails on purpose: <text>`` instead
  says it must fail, with that text in its output. In EXAMPLES, a task whose first line is
  ``# not run against the simulator: <reason>`` is left out.

The terminal (each doc's, and the EXAMPLES'): the export lines the simulator printed, as a user pastes them; the venv's
bin first in PATH (ansible-core and the Python packages of requirements.txt); HOME and TMPDIR of the test's own. Each
doc runs against a simulator of its own, as a new user's tenant (a guide that continues another, CONTINUES, after that
one's blocks); all EXAMPLES against one more.

The working folder: a folder of its own per doc, where the clone's top-level files and folders are linked (so that
``playbooks/...`` is found as in a clone, and what the commands write stays out of it), with the files the docs name as
the user's own (WORKING_FILES): ``files/new_hires.csv``, ``new_hires.csv`` and ``files/hr_export.csv`` are the import
template the guides say to start from (docs/templates/user_import_template.csv), ``files/contractors.xlsx`` the same as
XLSX, and ``files/remote-access-service-account.json`` the service account file the simulator wrote.

Substitutions, the only ones: the docs' example tenant ``abc1234.id.cyberark.cloud`` is the simulator's tenant URL;
the secret left as ``...`` in ``CYBERARK_IDENTITY_CLIENT_SECRET=...`` is the built-in service user's; the values of
docs/simulator.md's start-up sample (port, directory, home) are this run's. The variables the examples leave to the
user are EXAMPLE_VARS, given with ``-e @file``; the roles and users the EXAMPLES take as existing are EXAMPLES_TENANT,
ensured before each module's EXAMPLES. A file a doc says to encrypt with ansible-vault is written as shown, in clear
(ansible-playbook reads both alike).
"""

from __future__ import annotations

import ast
import glob
import itertools
import os
import re
import shlex
import shutil
import subprocess
import typing as t

import pytest
import yaml
from ansible.galaxy.dependency_resolution.versioning import meets_requirements
from doc_blocks import (  # pylint: disable=import-error
    BlocksInOrder,
    NOT_RUN,
    REPO,
    Block,
    Outcome,
    Simulator,
    markdown_blocks,
    read,
    rst_blocks,
    run_bash,
    shell_environment,
    simulator_guide_blocks,
)

BLOCK_SECONDS = 300
VENV_BIN = os.path.join(REPO, ".venv", "bin")
EXAMPLE_TENANT = "abc1234.id.cyberark.cloud"
SECRET_PLACEHOLDER = "CYBERARK_IDENTITY_CLIENT_SECRET=..."
TEMPLATE = "docs/templates/user_import_template.csv"
# The files the docs name as the user's own, in each working folder: what each is made from.
WORKING_FILES = {
    "files/new_hires.csv": "the import template",
    "new_hires.csv": "the import template",
    "files/hr_export.csv": "the import template",
    "files/contractors.xlsx": "the import template as XLSX",
    "files/remote-access-service-account.json": "the simulator's service account file",
}
# What the examples leave to the user. The secrets are the built-in service user's (the examples that set a service
# user's password set it on that user) and test passwords; user_id is a user of EXAMPLES_TENANT.
EXAMPLE_VARS = {
    "vault_identity_client_secret": "{{ lookup('ansible.builtin.env', 'CYBERARK_IDENTITY_CLIENT_SECRET') }}",
    "vault_service_secret": "{{ lookup('ansible.builtin.env', 'CYBERARK_IDENTITY_CLIENT_SECRET') }}",
    "vault_initial_password": "Example-Passw0rd-1",
    "vault_integration_password": "Integr8tion-Passw0rd",
    "identity_tenant_url": "{{ lookup('ansible.builtin.env', 'CYBERARK_IDENTITY_TENANT_URL') }}",
    "identity_client_id": "{{ lookup('ansible.builtin.env', 'CYBERARK_IDENTITY_CLIENT_ID') }}",
    "identity_client_secret": "{{ lookup('ansible.builtin.env', 'CYBERARK_IDENTITY_CLIENT_SECRET') }}",
    "user_id": "{{ lookup('cyberark_community.identity.user', 'jane.doe@acme.com').id }}",
}
# The roles and users the EXAMPLES take as existing (they name them without creating them).
EXAMPLES_TENANT = {"roles": ["Help Desk", "Auditors", "Automation"], "users": ["jane.doe@acme.com", "john.roe@acme.com"]}
PLUGINS = sorted(glob.glob("plugins/modules/*.py", root_dir=REPO) + glob.glob("plugins/lookup/*.py", root_dir=REPO))
# The prefixes of the playbooks' and roles' variables: a mapping with such a key is a file of variables.
VARIABLE_PREFIXES = ("identity_onboarding_", "remote_access_onboarding_", "tenant_discovery_", "onboarding_", "sync_", "integration_",
                     "import_", "identity_", "verify_")
# A guide that starts where another left the tenant runs after that one's blocks, in the same terminal and tenant: the
# lifecycle guide keeps an onboarded tenant in step with an HR file (the user guide's onboarding creates its roles).
CONTINUES = {"docs/docsite/rst/lifecycle.rst": ["docs/docsite/rst/user_guide.rst"]}
# Examples that fail because of a defect of the collection, until it is fixed: {name: reason}.
KNOWN_BUGS: dict[str, str] = {}


def documents() -> list[str]:
    docs = ["README.md"] + sorted(glob.glob("docs/*.md", root_dir=REPO)) + sorted(glob.glob("docs/docsite/rst/*.rst", root_dir=REPO))
    return docs + sorted(glob.glob("roles/*/README.md", root_dir=REPO))


def blocks_of(doc: str) -> list[Block]:
    """A doc's console and yaml blocks, in the doc's order, without those test_simulator_docs.py runs."""
    if doc.endswith(".md"):
        found = markdown_blocks(doc, "console") + markdown_blocks(doc, "yaml")
    else:
        found = rst_blocks(doc, "console") + rst_blocks(doc, "yaml")
    theirs = {b.name for b in simulator_guide_blocks()}
    return sorted((b for b in found if b.name not in theirs), key=lambda b: b.line)


def all_blocks() -> list[Block]:
    return [b for doc in documents() for b in blocks_of(doc)]


def kind_of(block: Block) -> str:
    """console, playbook, tasks, file (a mapping written to the working folder), requirements, variables, sample, or
    unparsable (also a yaml block that is neither plays, tasks nor a mapping)."""
    if block.language == "console":
        return "console"
    try:
        data = yaml.safe_load(block.code)
    except yaml.YAMLError:
        return "unparsable"
    if isinstance(data, list):
        return "playbook" if data and all(isinstance(p, dict) and "hosts" in p for p in data) else "tasks"
    if not isinstance(data, dict):
        return "unparsable"  # neither plays, tasks nor a mapping
    if file_name(block):
        return "file"
    if "collections" in data:
        return "requirements"
    return "variables" if any(str(key).startswith(VARIABLE_PREFIXES) for key in data) else "sample"


def file_name(block: Block) -> str | None:
    found = re.match(r"#\s*([\w./-]+\.ya?ml)\b", block.code)
    return found.group(1) if found else None


def known_variables() -> set[str]:
    """Every name the playbooks and the roles' argument specs and defaults hold."""
    names: set[str] = set()
    for path in glob.glob("playbooks/*.yml", root_dir=REPO) + glob.glob("roles/*/meta/argument_specs.yml", root_dir=REPO) + \
            glob.glob("roles/*/defaults/main.yml", root_dir=REPO):
        with open(os.path.join(REPO, path), encoding="utf-8") as handle:
            names |= set(re.findall(r"[a-z_][a-z0-9_]*", handle.read()))
    return names


def examples_of(plugin: str) -> tuple[int, str]:
    """A plugin's EXAMPLES string and the line it starts on."""
    with open(os.path.join(REPO, plugin), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "EXAMPLES")
    return node.lineno, node.value.value


def example_tasks(text: str) -> list[tuple[dict, str | None]]:
    """Each top-level task of an EXAMPLES string, with the reason it is not run (its first line's marker), if any."""
    chunks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("- "):
            # The comment lines right above a task are its own.
            leading = len(chunks[-1]) - len(list(itertools.takewhile(lambda x: x.startswith("#"), reversed(chunks[-1]))))
            chunks[-1], new = chunks[-1][:leading], chunks[-1][leading:]
            chunks.append(new)
        chunks[-1].append(line)
    tasks = []
    for chunk in ("\n".join(lines) for lines in chunks):
        if not chunk.strip():
            continue
        parsed = yaml.safe_load(chunk)
        assert isinstance(parsed, list) and len(parsed) == 1, f"not one task: {chunk}"
        marker = re.match(r"\s*#\s*" + NOT_RUN + r":\s*(.+)", chunk)
        tasks.append((parsed[0], marker.group(1).strip() if marker else None))
    return tasks


def play_of(tasks: list[dict], name: str) -> dict:
    return {"name": name, "hosts": "localhost", "connection": "local", "gather_facts": False,
            "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": tasks}


def examples_tenant_play() -> dict:
    return play_of([
        {"name": "The roles the examples name", "cyberark_community.identity.identity_role": {"name": "{{ item }}"},
         "loop": EXAMPLES_TENANT["roles"]},
        {"name": "The users the examples name", "cyberark_community.identity.identity_user": {"name": "{{ item }}", "email": "{{ item }}"},
         "loop": EXAMPLES_TENANT["users"]},
    ], "What the EXAMPLES take as existing")


class Session:
    """A terminal in a working folder, against a simulator of its own: blocks run in order, each in a bash that starts
    with what the blocks before it exported."""

    def __init__(self, root: str) -> None:
        self.sim = Simulator(root)
        self.work = os.path.join(root, "work")
        self.vars_file = os.path.join(root, "example_vars.yml")
        self.state_file = os.path.join(root, "exported.sh")
        try:
            self._prepare_working_folder()
            with open(self.vars_file, "w", encoding="utf-8") as handle:
                yaml.safe_dump(EXAMPLE_VARS, handle)
            with open(self.state_file, "w", encoding="utf-8") as handle:
                # What the user pasted from the simulator's output, in a shell whose ansible-playbook is the venv's.
                handle.write("\n".join(self.sim.export_lines + [f"export PATH={shlex.quote(VENV_BIN)}:\"$PATH\""]) + "\n")
        except BaseException:
            self.sim.stop()
            raise

    def _prepare_working_folder(self) -> None:
        os.makedirs(os.path.join(self.work, "files"))
        for entry in clone_entries():
            os.symlink(os.path.join(REPO, entry), os.path.join(self.work, entry))
        template = os.path.join(REPO, TEMPLATE)
        for name, source in WORKING_FILES.items():
            path = os.path.join(self.work, name)
            if source == "the import template":
                shutil.copyfile(template, path)
            elif source == "the import template as XLSX":
                write_xlsx(template, path)
            else:
                shutil.copyfile(self.sim.info["remote_access"][0]["service_account_file"], path)

    def write_file(self, name: str, text: str) -> None:
        with open(os.path.join(self.work, name), "w", encoding="utf-8") as handle:
            handle.write(text)

    def substitute(self, text: str) -> str:
        secret = self.sim.exports["CYBERARK_IDENTITY_CLIENT_SECRET"]  # the built-in service user's, as the simulator exports it
        text = re.sub(r"(https://)?" + re.escape(EXAMPLE_TENANT), self.sim.exports["CYBERARK_IDENTITY_TENANT_URL"], text)
        return self.sim.substitute(text.replace(SECRET_PLACEHOLDER, f"CYBERARK_IDENTITY_CLIENT_SECRET={shlex.quote(secret)}"))

    def run_playbook(self, name: str, plays: list[dict]) -> Outcome:
        self.write_file(name, yaml.safe_dump(plays, sort_keys=False))
        return self.run(f"ansible-playbook -e @{shlex.quote(self.vars_file)} {shlex.quote(name)}")

    def run(self, code: str) -> Outcome:
        script = "\n".join(["set -e", f". '{self.state_file}'", code, f"export -p > '{self.state_file}'"])
        return run_bash(script, self.work, shell_environment(self.sim.home, self.sim.tmp), BLOCK_SECONDS)

    def stop(self) -> None:
        self.sim.stop()


def clone_entries() -> list[str]:
    """The top-level files and folders of the clone as git has them, and the venv: nothing a command wrote there."""
    listed = subprocess.run(["git", "-C", REPO, "ls-files"], capture_output=True, text=True, check=True, timeout=60).stdout
    return sorted({path.split("/", 1)[0] for path in listed.splitlines()} | {".venv"})


def write_xlsx(csv_path: str, xlsx_path: str) -> None:
    import csv  # pylint: disable=import-outside-toplevel

    import openpyxl  # pylint: disable=import-outside-toplevel
    book = openpyxl.Workbook()
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            book.active.append(row)
    book.save(xlsx_path)


class DocRun(BlocksInOrder):
    """One doc's runnable blocks, in order, in one session (after those of the doc it continues); its named files
    written first."""

    def __init__(self, doc: str, root: str) -> None:
        self.session = Session(root)
        blocks = [b for earlier in CONTINUES.get(doc, []) + [doc] for b in blocks_of(earlier)]
        for block in blocks:
            if kind_of(block) == "file" and not block.not_run:
                self.session.write_file(file_name(block), block.code)
        self.blocks = [b for b in blocks if not b.not_run and kind_of(b) in ("console", "playbook", "tasks")]
        self.outcomes: dict[str, Outcome] = {}

    def _run(self, block: Block) -> Outcome:
        kind = kind_of(block)
        code = self.session.substitute(block.code)
        if kind == "console":
            return self.session.run(code)
        name = re.sub(r"\W+", "-", block.name) + ".yml"
        plays = yaml.safe_load(code)
        return self.session.run_playbook(name, plays if kind == "playbook" else [play_of(plays, f"{block.name} as written")])

    def stop(self) -> None:
        self.session.stop()


@pytest.fixture(scope="module")
def sessions() -> t.Iterator[dict]:
    """A run per doc and one for the EXAMPLES, each against its own simulator, started when a test first needs it."""
    runs: dict[str, t.Any] = {}
    try:
        yield runs
    finally:
        for run in runs.values():
            run.stop()


def doc_run(sessions: dict, doc: str, tmp_path_factory) -> DocRun:
    if doc not in sessions:
        sessions[doc] = DocRun(doc, str(tmp_path_factory.mktemp("doc")))
    return sessions[doc]


def with_known_bugs(items: list, name: t.Callable[[t.Any], str]) -> list:
    return [pytest.param(i, marks=pytest.mark.xfail(reason=KNOWN_BUGS[name(i)], strict=True)) if name(i) in KNOWN_BUGS else i
            for i in items]


@pytest.mark.parametrize("block", with_known_bugs([b for b in all_blocks() if b.language == "console" or kind_of(b) in ("playbook", "tasks")],
                                                  lambda b: b.name), ids=lambda b: b.name)
def test_block_runs_as_written(block, sessions, tmp_path_factory):
    if block.not_run:
        pytest.skip(f"marked in {block.doc}: {block.not_run}")
    outcome = doc_run(sessions, block.doc, tmp_path_factory).run_until(block)
    if block.fails_with:
        assert outcome.rc != 0 and block.fails_with in outcome.output, \
            f"{block.name} should fail with {block.fails_with!r}; it exited {outcome.rc}:\n{outcome.output[-4000:]}"
    else:
        assert outcome.rc == 0, f"{block.name} exited {outcome.rc}:\n{block.code}\n---\n{outcome.output[-4000:]}"


@pytest.mark.parametrize("block", [b for b in all_blocks() if b.language == "yaml" and kind_of(b) not in ("playbook", "tasks")],
                         ids=lambda b: b.name)
def test_yaml_file_is_what_reads_it_expects(block):
    kind = kind_of(block)
    data = yaml.safe_load(block.code)  # an unparsable block fails here
    assert kind != "unparsable", f"{block.name}: a yaml block is a list of plays or tasks, or a mapping"
    if kind == "file":
        readers = [b for b in blocks_of(block.doc) if kind_of(b) == "console" and not b.not_run and file_name(block) in b.code]
        assert readers, f"{block.name}: no command of {block.doc} reads {file_name(block)}"
    if kind in ("file", "variables"):
        unknown = sorted(set(data) - known_variables())
        assert not unknown, f"{block.name}: no playbook or role reads {unknown}"
    if kind == "requirements":
        with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as handle:
            galaxy = yaml.safe_load(handle)
        for wanted in data["collections"]:
            assert wanted["name"] == f"{galaxy['namespace']}.{galaxy['name']}", block.name
            assert meets_requirements(galaxy["version"], wanted["version"]), f"{block.name}: {galaxy['version']} is not {wanted['version']}"


@pytest.mark.parametrize("plugin", with_known_bugs(PLUGINS, lambda p: p), ids=lambda p: os.path.relpath(p, "plugins")[:-3])
def test_examples_run_as_written(plugin, sessions, tmp_path_factory):
    line, text = examples_of(plugin)
    if "EXAMPLES" not in sessions:
        sessions["EXAMPLES"] = Session(str(tmp_path_factory.mktemp("examples")))
    session = sessions["EXAMPLES"]
    tasks = example_tasks(session.substitute(text))
    runnable = [task for task, not_run in tasks if not not_run]
    assert runnable, f"{plugin}: no example runs against the simulator"
    name = os.path.basename(plugin)[:-3]
    outcome = session.run_playbook(f"{name}-examples.yml", [examples_tenant_play(), play_of(runnable, f"{name} EXAMPLES (line {line})")])
    assert outcome.rc == 0, f"{plugin}'s EXAMPLES (line {line}) exited {outcome.rc}:\n{outcome.output[-6000:]}"
    assert re.search(r"localhost +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0", outcome.output), outcome.output[-3000:]


def test_every_example_block_is_one_this_test_reads():
    """A command or example in another kind of block (bash, shell, yml, no language, an RST literal block) would escape
    this test."""
    escaped = []
    for doc in documents():
        text = read(doc)
        if doc.endswith(".md"):
            languages = re.findall(r"^\s*```(\w*)", text, re.M)[::2]  # opening fences only
        else:
            languages = re.findall(r"^\s*\.\. code(?:-block)?::[ \t]*(\S*)", text, re.M)
            escaped += [f"{doc}: a literal block after {line.strip()!r}" for line in text.splitlines()
                        if line.rstrip().endswith("::") and not line.lstrip().startswith("..")]
        escaped += [f"{doc}: a {language or 'no-language'} block" for language in languages
                    if language in ("bash", "sh", "shell", "yml", "shell-session", "ansible", "yaml+jinja", "")]
    assert escaped == [], escaped
