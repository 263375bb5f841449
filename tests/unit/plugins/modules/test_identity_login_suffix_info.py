# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_login_suffix_info through main(), over a fake tenant: one read, suffixes found without case, missing ones as
given."""

from __future__ import annotations

from identity_fakes import CONNECTION, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_login_suffix_info

ROWS = [{"ID": "cyberark.cloud.3558", "CdsAlias": True, "ReplaceDomain": None}, {"ID": "Acme.com", "CdsAlias": True, "ReplaceDomain": None},
        {"ID": "corp.acme.com", "CdsAlias": False, "ReplaceDomain": None}]


def run(monkeypatch, capsys, **args):
    session = serve(monkeypatch, {"/Core/GetAliasesForTenant": success(table(ROWS, entity_type="Alias"))})
    return run_module(identity_login_suffix_info.main, dict(CONNECTION, **args), capsys), session


def test_every_suffix_sorted_by_name_in_one_read(monkeypatch, capsys):
    result, session = run(monkeypatch, capsys)
    assert result["changed"] is False and result["missing"] == []
    assert result["suffixes"] == [{"name": "Acme.com", "cds": True}, {"name": "corp.acme.com", "cds": False},
                                  {"name": "cyberark.cloud.3558", "cds": True}]
    assert session.paths() == ["/Core/GetAliasesForTenant"]


def test_named_suffixes_are_found_without_case_once_each_and_missing_ones_listed_as_given(monkeypatch, capsys):
    result, _session = run(monkeypatch, capsys, name=["acme.COM", " Acme.com", "Old.acme.com", "old.acme.com", "Old.acme.com"])
    assert result["suffixes"] == [{"name": "Acme.com", "cds": True}]
    assert result["missing"] == ["Old.acme.com", "old.acme.com"]


def test_an_empty_list_of_names_finds_nothing(monkeypatch, capsys):
    result, _session = run(monkeypatch, capsys, name=[])
    assert result["suffixes"] == [] and result["missing"] == []


def test_the_tenants_refusal_fails_the_task(monkeypatch, capsys):
    serve(monkeypatch, {})  # every path answers HTTP 404
    result = run_module(identity_login_suffix_info.main, dict(CONNECTION), capsys)
    assert result["failed"] is True and "/Core/GetAliasesForTenant" in result["msg"]
