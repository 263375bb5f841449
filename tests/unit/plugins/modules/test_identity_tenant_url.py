# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""identity_tenant_url through main() over a fake tenant URL list: register, prefer, unregister under each reading of
where SetPreferred and Unregister take their argument, check mode, diff, no write on a second run, refusals before
any write."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from identity_fakes import CONNECTION, refused, run_module, serve, success, table  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.modules import identity_tenant_url

SYSTEM = "abc.my.idaptive.app"  # CONNECTION's tenant_url
WRITES = ("/TenantCnames/Register", "/TenantCnames/SetPreferred", "/TenantCnames/Unregister")


class Cnames:
    """The tenant's URLs as TenantCnames/UiGet lists them, changed by the writes the module sends. ``reading``: where
    SetPreferred and Unregister read customCname (the bare prefix in the query, the host in a JSON body)."""

    def __init__(self, *custom: str, preferred: str | None = None, reading: str = "query", system: str = SYSTEM) -> None:
        self.system = system
        self.custom = list(custom)
        self.preferred = preferred
        self.reading = reading

    def listing(self, *_):
        rows = [{"ID": self.system, "CnameType": "System", "IsCustom": None, "ReadOnly": None}]
        rows += [{"ID": h, "CnameType": "Preferred" if h == self.preferred else "Other", "IsCustom": True, "ReadOnly": None}
                 for h in self.custom]
        return success(table(rows, entity_type="TenantCname"))

    def _named(self, url, kwargs):
        query = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        query.update({k: str(v) for k, v in (kwargs.get("params") or {}).items()})
        if self.reading == "query":
            host = f"{query.get('customCname', '')}.my.idaptive.app"
        else:
            host = (kwargs.get("json") or {}).get("customCname", "")
        return host if host in self.custom else None

    def register(self, _method, url, kwargs):
        prefix = dict(kwargs.get("params") or {}).get("cnamePrefix") or parse_qs(urlsplit(url).query).get("cnamePrefix", [""])[0]
        host = f"{prefix}.my.idaptive.app"
        if host not in self.custom:
            self.custom.append(host)
            if len(self.custom) == 1:
                self.preferred = host
        return success({})

    def set_preferred(self, _method, url, kwargs):
        host = self._named(url, kwargs)
        if host is None:
            return refused("Tenant CNAME belongs to a different tenant.", "_I18N_TenantCnames.TenantCnameNotOwned")
        self.preferred = host
        return self.listing()

    def unregister(self, _method, url, kwargs):
        host = self._named(url, kwargs)
        if host is None:
            return refused("Tenant CNAME belongs to a different tenant.", "_I18N_TenantCnames.TenantCnameNotOwned")
        self.custom.remove(host)
        self.preferred = None if self.preferred == host else self.preferred
        return success(None)

    def answers(self):
        return {"/TenantCnames/UiGet": self.listing, "/TenantCnames/Register": self.register,
                "/TenantCnames/SetPreferred": self.set_preferred, "/TenantCnames/Unregister": self.unregister}


def run(monkeypatch, capsys, tenant, **args):
    session = serve(monkeypatch, tenant.answers())
    result = run_module(identity_tenant_url.main, dict(CONNECTION, **args), capsys)
    sent = [(c["path"], dict(c.get("params") or {}), c.get("json")) for c in session.calls if c["path"] in WRITES]
    return result, sent


def test_every_bad_option_is_named_at_once():
    errors = identity_tenant_url.input_errors({"prefix": "acme.my.idaptive.app", "state": "absent", "preferred": True})
    assert [e.split(":")[0] for e in errors] == ["prefix", "preferred"]
    assert identity_tenant_url.input_errors({"prefix": " Acme-SSO ", "state": "present", "preferred": None}) == []


@pytest.mark.parametrize("reading", ["query", "body"])
def test_register_then_prefer_under_each_reading(monkeypatch, capsys, reading):
    tenant = Cnames("old.my.idaptive.app", preferred="old.my.idaptive.app", reading=reading)
    result, sent = run(monkeypatch, capsys, tenant, prefix="Acme-SSO", preferred=True, _ansible_diff=True)
    assert result["changed"] is True and result["actions"] == ["register acme-sso", "make acme-sso preferred"]
    assert tenant.preferred == "acme-sso.my.idaptive.app"
    assert sent[0] == ("/TenantCnames/Register", {"cnamePrefix": "acme-sso"}, None)
    assert sent[-1] == (("/TenantCnames/SetPreferred", {"customCname": "acme-sso"}, None) if reading == "query" else
                        ("/TenantCnames/SetPreferred", {}, {"customCname": "acme-sso.my.idaptive.app"}))
    assert len(sent) == (2 if reading == "query" else 3)  # the body form follows a refused query form
    assert ("JSON body" in str(result.get("warnings", []))) is (reading == "body")
    assert result["custom_url"] == {"prefix": "acme-sso", "host": "acme-sso.my.idaptive.app",
                                    "url": "https://acme-sso.my.idaptive.app", "preferred": True}
    assert result["preferred_url"] == "https://acme-sso.my.idaptive.app"
    assert result["diff"] == {"before": {}, "after": result["custom_url"]}
    again, sent = run(monkeypatch, capsys, tenant, prefix="acme-sso", preferred=True)
    assert again["changed"] is False and sent == []


def test_check_mode_predicts_without_a_write(monkeypatch, capsys):
    tenant = Cnames()
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme", _ansible_check_mode=True)
    assert result["changed"] is True and sent == [] and tenant.custom == []
    assert result["custom_url"]["host"] == "acme.my.idaptive.app" and result["custom_url"]["preferred"] is True


def test_the_only_custom_url_becomes_preferred_without_a_second_write(monkeypatch, capsys):
    tenant = Cnames()
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme", preferred=True)
    assert [s[0] for s in sent] == ["/TenantCnames/Register"] and result["custom_url"]["preferred"] is True


@pytest.mark.parametrize("custom, preferred", [((), None), (("acme.my.idaptive.app",), "acme.my.idaptive.app")])
def test_preferred_false_that_cannot_hold_fails_before_any_write(monkeypatch, capsys, custom, preferred):
    result, sent = run(monkeypatch, capsys, Cnames(*custom, preferred=preferred), prefix="acme", preferred=False)
    assert result["failed"] is True and result["msg"].startswith("preferred: ") and sent == []


@pytest.mark.parametrize("reading", ["query", "body"])
def test_unregister_under_each_reading_and_again(monkeypatch, capsys, reading):
    tenant = Cnames("acme.my.idaptive.app", "other.my.idaptive.app", preferred="other.my.idaptive.app", reading=reading)
    result, _sent = run(monkeypatch, capsys, tenant, prefix="ACME", state="absent")
    assert result["changed"] is True and result["custom_url"] == {} and tenant.custom == ["other.my.idaptive.app"]
    again, sent = run(monkeypatch, capsys, tenant, prefix="acme", state="absent")
    assert again["changed"] is False and sent == []


def test_the_url_the_task_is_connected_through_is_not_removed(monkeypatch, capsys):
    tenant = Cnames("abc.my.idaptive.app", system="abc1234.my.idaptive.app")
    result, sent = run(monkeypatch, capsys, tenant, prefix="abc", state="absent")
    assert result["failed"] is True and "connected through" in result["msg"] and sent == []


def test_a_shared_services_tenant_is_refused_before_any_write(monkeypatch, capsys):
    tenant = Cnames(system="abc1234.id.cyberark.cloud")
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme")
    assert result["failed"] is True and "Shared Services" in result["msg"] and sent == []


def test_both_forms_refused_names_both(monkeypatch, capsys):
    tenant = Cnames("acme.my.idaptive.app", preferred=None)
    tenant.set_preferred = lambda *_: refused("Tenant CNAME acme belongs to a different tenant.", "_I18N_TenantCnames.TenantCnameNotOwned")
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme", preferred=True)
    assert result["failed"] is True and "refused both" in result["msg"] and len(sent) == 2


class NumberedCnames(Cnames):
    """UiGet answering CnameType as numbers (reading cname_type): 1 for the system URL, and numbers no source names."""

    def listing(self, *_):
        rows = [{"ID": self.system, "CnameType": 1, "IsCustom": None, "ReadOnly": None}]
        rows += [{"ID": h, "CnameType": 2 if h == self.preferred else 0, "IsCustom": True, "ReadOnly": None} for h in self.custom]
        return success(table(rows, entity_type="TenantCname"))


def test_numbered_url_types_make_preferred_unreadable_and_it_is_said_before_any_write(monkeypatch, capsys):
    tenant = NumberedCnames("old.my.idaptive.app", preferred="old.my.idaptive.app")
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme", preferred=True)
    assert result["failed"] is True and result["msg"].startswith("preferred: ") and "cannot be read" in result["msg"] and sent == []
    plain, sent = run(monkeypatch, capsys, tenant, prefix="acme")  # without preferred the URL is managed as usual
    assert plain["changed"] is True and plain["custom_url"]["preferred"] is None and plain["preferred_url"] is None


def test_numbered_types_after_a_first_registration_fail_saying_what_was_done(monkeypatch, capsys):
    result, sent = run(monkeypatch, capsys, NumberedCnames(), prefix="acme", preferred=True)
    assert result["failed"] is True and result["changed"] is True and "acme was registered, but" in result["msg"]
    assert [s[0] for s in sent] == ["/TenantCnames/Register"]


def test_preferred_false_with_no_preferred_url_fails_before_any_write(monkeypatch, capsys):
    """Custom URLs exist, none preferred (the preferred one was removed): the tenant may prefer the new one."""
    result, sent = run(monkeypatch, capsys, Cnames("other.my.idaptive.app"), prefix="acme", preferred=False)
    assert result["failed"] is True and not result.get("changed") and "may become the preferred URL" in result["msg"] and sent == []


def test_a_failure_after_the_registration_reports_changed(monkeypatch, capsys):
    tenant = Cnames("other.my.idaptive.app", preferred="other.my.idaptive.app")
    tenant.set_preferred = lambda *_: refused("Not allowed.")
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme", preferred=True)
    assert result["failed"] is True and result["changed"] is True and result["actions"] == ["register acme"]
    assert "done before the failure: register acme" in result["msg"] and tenant.custom[-1] == "acme.my.idaptive.app"


def test_preferred_false_fails_when_the_tenant_makes_the_new_url_preferred(monkeypatch, capsys):
    """A preferred URL exists, and the tenant prefers the new one all the same: said, with the change it made."""
    tenant = Cnames("other.my.idaptive.app", preferred="other.my.idaptive.app")
    tenant.register = lambda _m, _u, kwargs: (tenant.custom.append("acme.my.idaptive.app"),
                                              setattr(tenant, "preferred", "acme.my.idaptive.app"), success({}))[-1]
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme", preferred=False)
    assert result["failed"] is True and result["changed"] is True and result["msg"].startswith("preferred: the tenant made acme")
    assert [s[0] for s in sent] == ["/TenantCnames/Register"]


def test_a_custom_domain_with_the_same_first_label_is_not_the_custom_url(monkeypatch, capsys):
    tenant = Cnames("login.acme-corp.com", system="abc1234.my.idaptive.app")
    absent, sent = run(monkeypatch, capsys, tenant, prefix="login", state="absent")
    assert absent["changed"] is False and sent == [] and tenant.custom == ["login.acme-corp.com"]
    present, sent = run(monkeypatch, capsys, tenant, prefix="login", _ansible_check_mode=True)
    assert present["changed"] is True and present["custom_url"]["host"] == "login.my.idaptive.app"


def test_check_mode_under_numbered_types_claims_no_preferred_url(monkeypatch, capsys):
    result, sent = run(monkeypatch, capsys, NumberedCnames("old.my.idaptive.app"), prefix="acme", _ansible_check_mode=True)
    assert sent == [] and result["custom_url"]["preferred"] is None and result["preferred_url"] is None


def test_url_type_names_compare_without_case(monkeypatch, capsys):
    class LowerCase(Cnames):
        def listing(self, *_):
            rows = [{"ID": self.system, "CnameType": "system", "IsCustom": None, "ReadOnly": None}]
            rows += [{"ID": h, "CnameType": "preferred" if h == self.preferred else "other", "IsCustom": True, "ReadOnly": None}
                     for h in self.custom]
            return success(table(rows, entity_type="TenantCname"))
    result, sent = run(monkeypatch, capsys, LowerCase("acme.my.idaptive.app", preferred="acme.my.idaptive.app"), prefix="acme", preferred=True)
    assert result["changed"] is False and sent == []


def test_check_mode_names_no_host_where_no_url_shows_the_domain(monkeypatch, capsys):
    tenant = Cnames(system="127.0.0.2")  # a test tenant served on an address
    result, sent = run(monkeypatch, capsys, tenant, prefix="acme", _ansible_check_mode=True)
    assert sent == [] and result["custom_url"] == {"prefix": "acme", "host": None, "url": None, "preferred": True}
    assert all("prefix" not in c for c in result["cnames"])


def test_actions_list_only_the_writes_sent(monkeypatch, capsys):
    result, sent = run(monkeypatch, capsys, Cnames(), prefix="acme", preferred=True)
    assert result["actions"] == ["register acme"] and [s[0] for s in sent] == ["/TenantCnames/Register"]


def test_the_connected_url_refusal_says_how_to_connect(monkeypatch, capsys):
    result, _sent = run(monkeypatch, capsys, Cnames("abc.my.idaptive.app", system="abc1234.my.idaptive.app"), prefix="abc", state="absent")
    assert "client credentials" in result["msg"]
