# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/tools/compare_trace.py: a trace the simulator itself produced matches the default readings; a trace whose
shapes differ is told apart, call by call. Bounded: the command varies one reading (the choices of every reading are
checked without running them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools")
sys.path.insert(0, TOOLS)
import compare_trace  # noqa: E402  pylint: disable=wrong-import-position,import-error


@pytest.fixture(scope="module")
def simulator_trace(tmp_path_factory) -> str:
    """verify_tenant.yml's trace against a simulator of its own at the default readings, as a tenant's would be made."""
    workdir = str(tmp_path_factory.mktemp("simulator-trace"))
    trace = os.path.join(workdir, "identity-trace.jsonl")
    defaults = compare_trace.reading_sets()[0][1]
    with compare_trace.Simulator(workdir) as sim:
        compare_trace.simulated_trace(sim, defaults, trace, {})
    return trace


def test_every_reading_is_simulated_under_each_of_its_choices():
    sets = compare_trace.reading_sets()
    assert sets[0] == ("defaults", {name: reading["default"] for name, reading in compare_trace.READINGS.items()})
    expected = {f"{name}={choice}" for name, reading in compare_trace.READINGS.items() for choice in reading["choices"]
                if choice != reading["default"]}
    assert {label for label, _readings in sets[1:]} == expected
    for label, readings in sets[1:]:  # one reading changed, the others at their defaults
        assert [name for name in readings if readings[name] != sets[0][1][name]] == [label.split("=")[0]]


def test_a_trace_of_the_simulator_matches_the_default_readings(simulator_trace):
    first = next(iter(compare_trace.READINGS))
    command = [sys.executable, os.path.join(TOOLS, "compare_trace.py"), simulator_trace, "--only", first]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "== defaults: 0 differences of shape, 0 the data may explain" in run.stdout
    best = next(line for line in run.stdout.splitlines() if line.startswith("Best match"))
    assert best.startswith("Best match (0 differences of shape") and "defaults" in best
    runs = len(compare_trace.READINGS[first]["choices"])
    assert f"under {runs} sets of readings" in run.stdout


def test_shapes_that_differ_are_shown_call_by_call(simulator_trace, capsys):
    records = compare_trace.load_trace(simulator_trace)
    changed = json.loads(json.dumps(records))
    for record in changed:
        if record["path"] == "/CDirectoryService/GetUser":
            result = record["answer"]["Result"]
            result["Version"] = "str"  # another type
            result.pop("Mail")  # a key the tenant never sends
            result["DisplayName"] = "str"  # a value the simulator's user leaves null
    changed.append(dict(records[0], path="/Only/Tenant"))
    found = compare_trace.compare(compare_trace.summarise(changed), compare_trace.summarise(records))
    lines = [compare_trace._line(d) for d in found[("identity", "POST", "/CDirectoryService/GetUser")]]  # pylint: disable=protected-access
    assert "! answer.Result.Version: tenant str, simulator int" in lines
    assert '! answer.Result.Mail: only the simulator has it ("str")' in lines
    assert "~ answer.Result.DisplayName: tenant str, simulator null (a null value may be the data's)" in lines
    assert len(lines) == 3
    assert found[("identity", records[0]["method"], "/Only/Tenant")] == [(True, "called against the tenant only")]

    status = compare_trace.report("changed.jsonl", compare_trace.summarise(changed), [("defaults", found)])
    printed = capsys.readouterr().out
    assert status == 1 and "\n  POST /CDirectoryService/GetUser\n    ~ answer.Result.DisplayName" in printed
    assert "\n    ! answer.Result.Mail" in printed and printed.rstrip().endswith("Best match (3 differences of shape, 1 the data may explain): defaults")
