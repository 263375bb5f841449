# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ansible-core lines the collection claims are the ones the version matrix tests: meta/runtime.yml's
``requires_ansible``, the execution environment's ansible-core, the Makefile's and tests/matrix/run.py's versions and
the README's requirements agree, and the CVE floors stay."""

from __future__ import annotations

import ast
import os
import re

import yaml
from packaging.specifiers import SpecifierSet

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(*path: str) -> str:
    with open(os.path.join(REPO, *path), encoding="utf-8") as handle:
        return handle.read()


def requires_ansible() -> str:
    return yaml.safe_load(read("meta", "runtime.yml"))["requires_ansible"]


def admitted_lines(spec: str) -> list[str]:
    """The 2.x lines of which the specifier admits at least one release (patches up to 2.x.99 looked at)."""
    specifiers = SpecifierSet(spec)
    return [f"2.{minor}" for minor in range(10, 40) if any(specifiers.contains(f"2.{minor}.{patch}") for patch in range(100))]


def matrix_versions() -> list[str]:
    return re.search(r"^MATRIX_VERSIONS := (.+)$", read("Makefile"), re.M).group(1).split()


def run_py_versions() -> list[str]:
    """The keys of tests/matrix/run.py's PYTHONS, read from its source (it is a script, not a module of the tests)."""
    tree = ast.parse(read("tests", "matrix", "run.py"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "PYTHONS")
    return sorted(ast.literal_eval(node.value), key=lambda v: tuple(map(int, v.split("."))))


def test_the_matrix_tests_exactly_the_lines_requires_ansible_admits():
    assert admitted_lines(requires_ansible()) == matrix_versions() == run_py_versions()


def test_the_cve_floors_stay():
    specifiers = SpecifierSet(requires_ansible())
    assert not specifiers.contains("2.16.12") and specifiers.contains("2.16.13")
    assert not any(specifiers.contains(f"2.17.{patch}") for patch in range(6)) and specifiers.contains("2.17.6")


def test_the_execution_environment_installs_the_same_ansible_core():
    environment = yaml.safe_load(read("execution-environment.yml"))
    assert environment["dependencies"]["ansible_core"]["package_pip"] == "ansible-core" + requires_ansible()


def test_the_readme_names_every_tested_line():
    requirement = re.search(r"^- ansible-core (.+?):", read("README.md"), re.M).group(1)
    versions = matrix_versions()
    assert requirement == ", ".join(versions[:-1]) + " or " + versions[-1]
