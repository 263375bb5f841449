# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A lookup reads the connection options as a module does: a keyword, else the CYBERARK_IDENTITY_* variable, else the
argument spec's default (which the doc fragment shows, and ansible-core then hands the lookup as if given)."""

from __future__ import annotations

import importlib

import pytest
from lookup_harness import PACKAGE, lookup  # pylint: disable=import-error


def options_of(monkeypatch, **keywords):
    plugin = lookup(monkeypatch, "tenant_urls")  # controller code imported after the harness set its flags, for this test
    connection_options = importlib.import_module(f"{PACKAGE}.plugin_utils._connection").connection_options
    plugin.set_options(var_options={}, direct=dict(keywords, tenant_url="abc.my.idaptive.app"))
    return connection_options(plugin)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("TIMEOUT", "RETRIES", "VALIDATE_CERTS"):
        monkeypatch.delenv(f"CYBERARK_IDENTITY_{name}", raising=False)


def test_unset_options_take_the_spec_defaults(monkeypatch):
    options = options_of(monkeypatch)
    assert (options.timeout, options.retries, options.validate_certs) == (30, 5, True)


def test_the_environment_comes_before_the_default(monkeypatch):
    monkeypatch.setenv("CYBERARK_IDENTITY_TIMEOUT", "7")
    monkeypatch.setenv("CYBERARK_IDENTITY_RETRIES", "0")
    monkeypatch.setenv("CYBERARK_IDENTITY_VALIDATE_CERTS", "false")
    options = options_of(monkeypatch)
    assert (options.timeout, options.retries, options.validate_certs) == (7, 0, False)


def test_a_keyword_comes_before_the_environment(monkeypatch):
    monkeypatch.setenv("CYBERARK_IDENTITY_TIMEOUT", "7")
    monkeypatch.setenv("CYBERARK_IDENTITY_RETRIES", "")  # empty: unset, as an AWX credential leaves it
    options = options_of(monkeypatch, timeout=9)
    assert (options.timeout, options.retries) == (9, 5)


def test_a_keyword_equal_to_the_default_still_comes_before_the_environment(monkeypatch):
    """validate_certs=true given to the lookup keeps TLS checked even with CYBERARK_IDENTITY_VALIDATE_CERTS=false set:
    the lookups' fragment declares no default, so ansible-core (any version) never reports the keyword as one."""
    monkeypatch.setenv("CYBERARK_IDENTITY_VALIDATE_CERTS", "false")
    monkeypatch.setenv("CYBERARK_IDENTITY_TIMEOUT", "7")
    options = options_of(monkeypatch, validate_certs=True, timeout=30)
    assert (options.validate_certs, options.timeout) == (True, 30)


class TemplatedList(list):
    """A list as ansible-core 2.19+ hands a templated keyword to a lookup: a lazy container that holds its templar, whose
    copy on 2.21 re-creates the filter and test plugin loaders and prints two deprecation warnings per call."""

    def __deepcopy__(self, memo):
        raise AssertionError("the validator was handed a templated container, not plain data")


def test_the_validator_is_handed_plain_data(monkeypatch):
    plugin = lookup(monkeypatch, "tenant_urls")
    connection_options = importlib.import_module(f"{PACKAGE}.plugin_utils._connection").connection_options
    plugin.set_options(var_options={}, direct={"tenant_url": "abc.my.idaptive.app"})
    given = plugin.get_option
    monkeypatch.setattr(plugin, "get_option", lambda name: TemplatedList(["acme.my.idaptive.app"]) if name == "allowed_redirect_hosts"
                        else given(name))
    options = connection_options(plugin)
    assert list(options.allowed_redirect_hosts) == ["acme.my.idaptive.app"]
