#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One ansible-core version of the matrix: its venv, then sanity, the unit tests, the smoke set, ansible-lint, molecule.

    python3 tests/matrix/run.py 2.21                  # every part
    python3 tests/matrix/run.py 2.16 2.17 --parts units,smoke
    python3 tests/matrix/run.py --summary 2.16 2.21   # the last runs' results

The venv is ``.tmp/matrix/<version>``, with the newest ansible-core of that minor that meta/runtime.yml's
``requires_ansible`` admits; it is reused while its requirements and interpreter are the same. A version whose Python
is not on this machine is skipped, saying so (exit 0), unless ``--require-python``. The exit code is non-zero when a
part failed; every part runs even after one failed, and a summary with each part's time ends the output.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(REPO, ".tmp", "matrix")
REQUIREMENTS = [os.path.join(REPO, "requirements.txt"), os.path.join(REPO, "tests", "matrix", "requirements.txt")]
PARTS = ("sanity", "units", "smoke", "lint", "molecule")
# The controller Pythons each ansible-core minor runs on here, in order of preference (2.20 dropped 3.11).
PYTHONS = {"2.16": ["3.11"], "2.17": ["3.11"], "2.18": ["3.11"], "2.19": ["3.11"], "2.20": ["3.12", "3.13"], "2.21": ["3.12", "3.13"]}
# ansible-lint and molecule beside the core: pip picks the newest releases that accept the pinned ansible-core.
TOOLS = ["ansible-lint", "molecule"]
PIP = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
TIMEOUT = 1500  # seconds, any one command


def say(message: str) -> None:
    print(f"[matrix] {message}", flush=True)


def usable(python: str) -> str | None:
    """The interpreter's X.Y when it runs and can make a venv with pip (a pyenv shim of an inactive version cannot)."""
    try:
        done = subprocess.run([python, "-c", "import ensurepip, ssl, sys, venv; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def find_python(version: str) -> str | None:
    """``pythonX.Y`` on PATH (``python3`` first for the default one), else a pyenv install of X.Y."""
    candidates = [shutil.which(name) for name in ("python3", f"python{version}")]
    pyenv = shutil.which("pyenv")
    root = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False).stdout.strip() if pyenv else ""
    root = root or os.path.expanduser("~/.pyenv")
    candidates += sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}")), reverse=True)
    for candidate in candidates:
        if candidate and usable(candidate) == version:
            return os.path.realpath(candidate)
    return None


def core_requirement(minor: str) -> str:
    """``ansible-core`` within ``requires_ansible`` and within ``minor`` (pip picks that minor's newest patch)."""
    with open(os.path.join(REPO, "meta", "runtime.yml"), encoding="utf-8") as handle:  # read without PyYAML: python3 may lack it
        requires = re.search(r'^requires_ansible:\s*["\']?([^"\'\n]+)', handle.read(), re.M).group(1).strip()
    return f"ansible-core{requires},=={minor}.*"


def run(command: list[str], venv: str, cwd: str = REPO, env: dict | None = None) -> int:
    """A command with the venv's bin first on PATH (ansible-test finds ``pythonX.Y`` there); its output streams through."""
    environment = dict(os.environ, **(env or {}))
    environment["PATH"] = os.path.join(venv, "bin") + os.pathsep + environment.get("PATH", "")
    environment.pop("VIRTUAL_ENV", None)
    try:
        return subprocess.run(command, cwd=cwd, env=environment, timeout=TIMEOUT, check=False).returncode
    except subprocess.TimeoutExpired:
        say(f"timed out after {TIMEOUT}s: {' '.join(command)}")
        return 124


def make_venv(version: str, python: str, venv: str) -> dict:
    """The version's venv, made again only when its requirements or interpreter changed; returns what it holds."""
    digest = hashlib.sha256(python.encode() + core_requirement(version).encode())
    for path in REQUIREMENTS:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    stamp = os.path.join(venv, ".matrix.json")
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as handle:
            held = json.load(handle)
        if held.get("digest") == digest.hexdigest():
            say(f"{version}: reusing {os.path.relpath(venv, REPO)} (ansible-core {held['core']})")
            return held
    shutil.rmtree(venv, ignore_errors=True)
    say(f"{version}: making {os.path.relpath(venv, REPO)} with {python}")
    bin_python = os.path.join(venv, "bin", "python")
    if subprocess.run([python, "-m", "venv", venv], check=False).returncode:
        raise SystemExit(f"{version}: the venv could not be made")
    command = [bin_python, *PIP, core_requirement(version)] + [arg for path in REQUIREMENTS for arg in ("-r", path)]
    if run(command, venv):
        raise SystemExit(f"{version}: the requirements could not be installed")
    core = subprocess.run([bin_python, "-c", "from ansible.release import __version__; print(__version__)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # The tools may not install beside this core (none of their releases accepts it): the venv is still used without them.
    tools = run([bin_python, *PIP, f"ansible-core=={core}", *TOOLS], venv) == 0
    held = {"digest": digest.hexdigest(), "core": core, "python": python, "tools": tools}
    with open(stamp, "w", encoding="utf-8") as handle:
        json.dump(held, handle)
    return held


def collection_copy(root: str) -> None:
    """A copy of the working tree (tracked and new files) at ``root``, as a git repository (ansible-test wants one)."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           capture_output=True, check=True).stdout
    # .venv and .tmp may be symlinks in a git worktree, which .gitignore's "dir/" patterns do not match
    files = b"\0".join(f for f in files.split(b"\0") if f and f.split(b"/")[0] not in (b".venv", b".tmp"))
    archive = subprocess.run(["tar", "--null", "-T", "-", "-cf", "-"], cwd=REPO, input=files, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-xf", "-", "-C", root], input=archive, check=True)
    subprocess.run("git init -q && git add -A", shell=True, cwd=root, check=True)


def tool_version(venv: str, name: str) -> str:
    done = subprocess.run([os.path.join(venv, "bin", "python"), "-c", f"from importlib.metadata import version; print(version({name!r}))"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def sanity(version: str, venv: str, python_version: str) -> int:
    root = os.path.join(venv, "sanity", "ansible_collections", "cyberark_community", "identity")
    collection_copy(root)
    bootstrap = run([os.path.join(venv, "bin", "python"), os.path.join(REPO, "tests", "tools", "ansible_test_pip_bootstrap.py")], venv)
    return bootstrap or run([os.path.join(venv, "bin", "ansible-test"), "sanity", "--venv", "--python", python_version, "--color", "no"],
                            venv, cwd=root)


def units(version: str, venv: str, python_version: str) -> int:  # pylint: disable=unused-argument
    return run([os.path.join(venv, "bin", "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit"], venv)


def smoke(version: str, venv: str, python_version: str) -> int:  # pylint: disable=unused-argument
    return run([os.path.join(venv, "bin", "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/smoke"], venv)


def lint(version: str, venv: str, python_version: str) -> int:  # pylint: disable=unused-argument
    """ansible-lint's production profile as ``make lint`` runs it, on a copy (its cache stays out of the working tree)."""
    parent = os.path.join(venv, "lint")
    root = os.path.join(parent, "ansible_collections", "cyberark_community", "identity")
    collection_copy(root)
    say(f"{version}: ansible-lint {tool_version(venv, 'ansible-lint')}")
    return run([os.path.join(venv, "bin", "ansible-lint"), "--profile", "production"], venv, cwd=root,
               env={"ANSIBLE_HOME": os.path.join(parent, "ansible-home"), "ANSIBLE_COLLECTIONS_PATH": parent, "NO_COLOR": "1"})


def molecule(version: str, venv: str, python_version: str) -> int:  # pylint: disable=unused-argument
    """Each role's scenario (tests/integration/test_molecule.py) with this venv's molecule and ansible-core."""
    say(f"{version}: molecule {tool_version(venv, 'molecule')}")
    return run([os.path.join(venv, "bin", "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/integration/test_molecule.py"], venv)


def record(version: str, outcome: dict) -> None:
    """What the version's run ended with, for the summary of the whole matrix."""
    os.makedirs(WORK, exist_ok=True)
    with open(os.path.join(WORK, f"{version}.json"), "w", encoding="utf-8") as handle:
        json.dump(outcome, handle)


def summary(versions: list[str]) -> int:
    """One line per version from the runs' records: the matrix's result at a glance (skips included)."""
    say("summary")
    failed = False
    for version in versions:
        path = os.path.join(WORK, f"{version}.json")
        if not os.path.exists(path):
            say(f"  {version}: did not run")
            failed = True
            continue
        with open(path, encoding="utf-8") as handle:
            outcome = json.load(handle)
        if outcome.get("skipped"):
            say(f"  {version}: SKIPPED - {outcome['skipped']}")
            continue
        parts = ", ".join(f"{part} {result} ({seconds:.0f}s)" for part, (result, seconds) in outcome["parts"].items())
        say(f"  {version}: ansible-core {outcome['core']} on Python {outcome['python']}, {outcome['seconds']:.0f}s: {parts}")
        failed = failed or any(result.startswith("FAILED") for result, _seconds in outcome["parts"].values())
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", choices=sorted(PYTHONS), metavar="version", help=", ".join(sorted(PYTHONS)))
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated, of: " + ", ".join(PARTS))
    parser.add_argument("--require-python", action="store_true", help="fail, instead of skipping, when no Python fits")
    parser.add_argument("--summary", action="store_true", help="print the last runs' results of the versions, run nothing")
    options = parser.parse_args()
    if options.summary:
        return summary(options.versions)
    parts = [p for p in options.parts.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return max(run_version(version, parts, options.require_python) for version in options.versions)


def run_version(version: str, parts: list[str], require_python: bool) -> int:
    started = time.monotonic()
    if parts and os.path.exists(os.path.join(WORK, f"{version}.json")):  # a venv-only run keeps the last record
        os.remove(os.path.join(WORK, f"{version}.json"))
    python = next((found for found in map(find_python, PYTHONS[version]) if found), None)
    if not python:
        reason = f"no usable Python {' or '.join(PYTHONS[version])} on this machine (PATH or pyenv)"
        say(f"{version}: SKIPPED - {reason}")
        record(version, {"skipped": reason})
        return 1 if require_python else 0
    venv = os.path.join(WORK, version)
    held = make_venv(version, python, venv)
    python_version = usable(python)
    say(f"{version}: ansible-core {held['core']} on Python {python_version} (venv ready in {time.monotonic() - started:.0f}s)")
    results: dict = {}
    for part in parts:
        if part in ("lint", "molecule") and not held["tools"]:
            say(f"{version}: {part} SKIPPED - no release of {', '.join(TOOLS)} installs beside ansible-core {held['core']}")
            results[part] = ("skipped", 0.0)
            continue
        say(f"{version}: {part} ...")
        begun = time.monotonic()
        code = globals()[part](version, venv, python_version)
        results[part] = ("passed" if code == 0 else f"FAILED ({code})", time.monotonic() - begun)
    seconds = time.monotonic() - started
    say(f"{version}: ansible-core {held['core']}, Python {python_version}, {seconds:.0f}s in all")
    for part, (outcome, part_seconds) in results.items():
        say(f"{version}:   {part:<9} {outcome:<12} {part_seconds:6.0f}s")
    if parts:
        record(version, {"core": held["core"], "python": python_version, "seconds": seconds, "parts": results})
    return 1 if any(outcome.startswith("FAILED") for outcome, _seconds in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
