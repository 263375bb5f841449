# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_login_suffix: every problem of the options at once, before any request; through main() over a fake tenant,
the writes sent, check mode, the diff and no write on a second identical run."""

from __future__ import annotations

from identity_fakes import CONNECTION, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_login_suffix


def test_every_bad_option_is_named_at_once():
    errors = identity_login_suffix.input_errors({"name": "bad name!", "domain": "also bad!"})
    assert [e.split(":")[0] for e in errors] == ["name", "domain"]


def test_a_login_name_given_as_the_suffix_is_explained():
    errors = identity_login_suffix.input_errors({"name": "jane@acme.com", "domain": None})
    assert len(errors) == 1 and "give the part after @" in errors[0]


def test_good_options_have_no_problem():
    assert identity_login_suffix.input_errors({"name": "Acme.com ", "domain": "acme.com"}) == []


class Suffixes:
    """The tenant's suffix list, changed by the writes the module sends (bodies as the simulator takes them)."""

    def __init__(self, *rows):
        self.rows = [dict(r) for r in rows]  # {"ID", "CdsAlias"}

    def listing(self, *_):
        return success(table([dict(r, ReplaceDomain=None) for r in self.rows], entity_type="Alias"))

    def store(self, _method, _url, kwargs):
        body = kwargs["json"]
        exists = any(r["ID"].lower() == body["alias"].lower() for r in self.rows)
        if not exists:
            self.rows.append({"ID": body["alias"], "CdsAlias": body["cdsAlias"] == "true"})
        return success({"State": 1 if exists else 0})

    def delete(self, _method, _url, kwargs):
        self.rows = [r for r in self.rows if r["ID"] not in kwargs["json"]]
        return success({"State": 1})

    def answers(self):
        return {"/Core/GetAliasesForTenant": self.listing, "/Core/StoreAlias": self.store, "/Core/DeleteAliases": self.delete}


def run_suffix(monkeypatch, capsys, tenant, **args):
    session = serve(monkeypatch, tenant.answers())
    result = run_module(identity_login_suffix.main, dict(CONNECTION, **args), capsys)
    return result, [(c["path"], c.get("json")) for c in session.calls if c["path"] != "/Core/GetAliasesForTenant"]


DEFAULT = {"ID": "cyberark.cloud.3558", "CdsAlias": True}


class TestPresent:
    def test_check_mode_predicts_the_suffix_and_the_list_without_a_write(self, monkeypatch, capsys):
        result, sent = run_suffix(monkeypatch, capsys, Suffixes(DEFAULT), name="Acme.com ", _ansible_check_mode=True, _ansible_diff=True)
        assert result["changed"] is True and sent == []
        assert result["suffix"] == {"name": "acme.com", "cds": True}
        assert result["suffixes"] == ["cyberark.cloud.3558", "acme.com"]
        assert result["diff"] == {"before": {}, "after": {"name": "acme.com", "cds": True}}

    def test_a_cloud_directory_suffix_is_stored_in_the_portals_form(self, monkeypatch, capsys):
        tenant = Suffixes(DEFAULT)
        result, sent = run_suffix(monkeypatch, capsys, tenant, name="acme.com")
        assert sent == [("/Core/StoreAlias", {"alias": "acme.com", "cdsAlias": "true", "domain": "acme.com", "jsutil-radio2": "CDS",
                                              "oldName": ""})]
        assert result["changed"] is True and [r["ID"] for r in tenant.rows] == ["cyberark.cloud.3558", "acme.com"]

    def test_another_directory_and_domain_are_sent_as_given(self, monkeypatch, capsys):
        result, sent = run_suffix(monkeypatch, capsys, Suffixes(DEFAULT), name="corp.acme.com", directory="ad_fds", domain="acme.local")
        assert sent == [("/Core/StoreAlias", {"alias": "corp.acme.com", "cdsAlias": "false", "domain": "acme.local",
                                              "jsutil-radio2": "AD&FDS", "oldName": ""})]
        assert result["suffix"] == {"name": "corp.acme.com", "cds": False}

    def test_an_existing_suffix_in_another_case_is_no_change(self, monkeypatch, capsys):
        result, sent = run_suffix(monkeypatch, capsys, Suffixes(DEFAULT, {"ID": "Acme.com", "CdsAlias": True}), name="ACME.COM",
                                  directory="ad_fds")
        assert result["changed"] is False and sent == []
        assert result["suffix"] == {"name": "Acme.com", "cds": True}  # an existing suffix is not changed
        assert result["suffixes"] == ["cyberark.cloud.3558", "Acme.com"]

    def test_a_second_identical_run_sends_no_write(self, monkeypatch, capsys):
        tenant = Suffixes(DEFAULT)
        run_suffix(monkeypatch, capsys, tenant, name="acme.com")
        result, sent = run_suffix(monkeypatch, capsys, tenant, name="acme.com")
        assert result["changed"] is False and sent == []

    def test_bad_options_fail_before_any_request(self, monkeypatch, capsys):
        session = serve(monkeypatch, Suffixes(DEFAULT).answers())
        result = run_module(identity_login_suffix.main, dict(CONNECTION, name="jane@acme.com"), capsys)
        assert result["failed"] is True and result["msg"].startswith("name: ") and session.calls == []


class TestAbsent:
    def test_the_suffix_is_deleted_as_the_tenant_spells_it(self, monkeypatch, capsys):
        tenant = Suffixes(DEFAULT, {"ID": "Old.acme.com", "CdsAlias": True})
        result, sent = run_suffix(monkeypatch, capsys, tenant, name="old.ACME.com", state="absent", _ansible_diff=True)
        assert sent == [("/Core/DeleteAliases", ["Old.acme.com"])]
        assert result["changed"] is True and result["suffix"] == {} and result["suffixes"] == ["cyberark.cloud.3558"]
        assert result["diff"] == {"before": {"name": "Old.acme.com", "cds": True}, "after": {}}

    def test_check_mode_deletes_nothing_and_predicts_the_list(self, monkeypatch, capsys):
        result, sent = run_suffix(monkeypatch, capsys, Suffixes(DEFAULT, {"ID": "old.acme.com", "CdsAlias": True}), name="old.acme.com",
                                  state="absent", _ansible_check_mode=True)
        assert result["changed"] is True and sent == [] and result["suffixes"] == ["cyberark.cloud.3558"]

    def test_a_suffix_that_is_not_there_is_no_change(self, monkeypatch, capsys):
        result, sent = run_suffix(monkeypatch, capsys, Suffixes(DEFAULT), name="old.acme.com", state="absent")
        assert result["changed"] is False and sent == [] and result["suffixes"] == ["cyberark.cloud.3558"]

    def test_a_suffix_still_listed_after_the_delete_fails_the_task(self, monkeypatch, capsys):
        tenant = Suffixes(DEFAULT, {"ID": "old.acme.com", "CdsAlias": True})
        answers = dict(tenant.answers(), **{"/Core/DeleteAliases": success({"State": 0})})  # answered, but nothing removed
        serve(monkeypatch, answers)
        result = run_module(identity_login_suffix.main, dict(CONNECTION, name="old.acme.com", state="absent"), capsys)
        assert result["failed"] is True and "still lists old.acme.com" in result["msg"]
