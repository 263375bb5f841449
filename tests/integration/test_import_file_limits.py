# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile or mistyped import files through real ansible-playbook runs: the task fails with an error that names the
limit, or the cell by row and column, with no traceback, no write, and no cell value in any output."""

from __future__ import annotations

import os
import zipfile

import pytest
from identity_it import SERVICE_ENV, has_traceback, play_vars  # pylint: disable=import-error

openpyxl = pytest.importorskip("openpyxl")

CANARY = "Secret-Canary-Passw0rd-7"
PLACEHOLDER = "PLACEHOLDER"


def retyped_xlsx(path, kind: str, rows: int = 1) -> str:
    """A workbook whose Password cells are stored as ``kind`` (n: number, d: date) but hold the canary text:
    openpyxl writes inline strings, and the cell is rewritten in the sheet's XML as a careless exporter would."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Login Name", "Email Address", "Password"])
    for index in range(rows):
        sheet.append([f"bulk{index}@acme.com", f"bulk{index}@acme.com", PLACEHOLDER])
    plain = str(path) + ".plain"
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for row in range(2, rows + 2):
                    data = data.replace(f'<c r="C{row}" t="inlineStr"><is><t>{PLACEHOLDER}</t></is></c>'.encode(),
                                        f'<c r="C{row}" t="{kind}"><v>{CANARY}</v></c>'.encode())
            target.writestr(info, data)
    os.remove(plain)
    return str(path)


def everything(run, tmp_path) -> str:
    """The output, the saved result and the Ansible log, as one text."""
    texts = [run.output, str(run.result)]
    log = tmp_path / "ansible.log"
    if log.exists():
        texts.append(log.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


@pytest.mark.parametrize("verbosity", [0, 4], ids=["default", "vvvv"])
@pytest.mark.parametrize("kind", ["n", "d"], ids=["number", "date"])
def test_a_password_stored_as_a_number_is_named_by_row_and_column_never_by_its_value(sim, run_playbook, tmp_path, kind, verbosity):
    path = retyped_xlsx(tmp_path / "users.xlsx", kind, rows=2)
    env = dict(SERVICE_ENV, ANSIBLE_LOG_PATH=str(tmp_path / "ansible.log"))
    run = run_playbook("bulk_import.yml", extra_vars=play_vars(sim, import_path=path), env=env, verbosity=verbosity)
    assert run.result.get("failed") is True, run.output[-2000:]
    assert not has_traceback(run.result, run.output), run.output[-2000:]
    assert everything(run, tmp_path).count(CANARY) == 0
    assert "row 2, column Password" in run.result["msg"] and "row 3, column Password" in run.result["msg"]
    assert [(p["row"], p["column"], p["value"]) for p in run.result["import"]["problems"]] == [(2, "Password", None), (3, "Password", None)]
    assert sim.get("requests")["writes"] == 0


def blank_lines_csv(path) -> str:
    path.write_bytes(b"Login Name,Email Address\r\n" + b"\r\n" * 2_500_000)  # 5 MB: about 1 GB of memory before the limits
    return str(path)


def entity_xlsx(path) -> str:
    """An XML attack in the sheet: the entity is expanded only when openpyxl reaches the row."""
    path = retyped_xlsx(path, "n")
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    attack = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    # openpyxl writes no XML declaration: the document type declaration opens the part.
    parts["xl/worksheets/sheet1.xml"] = attack + parts["xl/worksheets/sheet1.xml"].replace(f"<v>{CANARY}</v>".encode(), b"<v>&xxe;</v>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def far_rows_xlsx(path) -> str:
    """100 headers, so the declared dimension is 100 columns wide, and a row far below: openpyxl padded every gap."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Login Name", "Email Address"] + [f"Attribute {i}" for i in range(98)])
    sheet.append(["bulk1@acme.com", "bulk1@acme.com"])
    sheet.cell(row=1_000_000, column=1, value="x")
    workbook.save(path)
    return str(path)


@pytest.mark.parametrize("build, words", [
    (blank_lines_csv, "at most 50,000 rows, blank rows included"),
    (entity_xlsx, "document type declaration"),
    (far_rows_xlsx, "at most 50,000 rows"),
], ids=["blank_lines", "external_entity", "rows_far_apart"])
def test_a_hostile_file_is_refused_with_the_limit_it_passes(sim, run_playbook, tmp_path, build, words):
    extension = ".csv" if build is blank_lines_csv else ".xlsx"
    path = build(tmp_path / f"hostile{extension}")
    run = run_playbook("bulk_import.yml", extra_vars=play_vars(sim, import_path=path), env=SERVICE_ENV)
    assert run.result.get("failed") is True, run.output[-2000:]
    assert words in run.result["msg"], run.result.get("msg")
    assert not has_traceback(run.result, run.output), run.output[-2000:]
    assert sim.get("requests")["writes"] == 0
