# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tenant URL parsing and classification; Redrock quoting, dates, table rows and paging bounds."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock, _urls
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ConfigurationError, IdentityError


class TestUrls:
    @pytest.mark.parametrize("given, expected", [
        ("abc1234.id.cyberark.cloud", "https://abc1234.id.cyberark.cloud"),
        ("https://ABC1234.my.idaptive.app/", "https://abc1234.my.idaptive.app"),
        ("  https://acme.cyberark.cloud/api/idadmin/ ", "https://acme.cyberark.cloud/api/idadmin"),
        ("https://127.0.0.2:8443", "https://127.0.0.2:8443"),
    ])
    def test_normalise(self, given, expected):
        assert _urls.normalize_tenant_url(given) == expected

    @pytest.mark.parametrize("given, message", [
        ("", "tenant_url is required"),
        ("ftp://x.example", "must use https"),
        ("http://abc1234.id.cyberark.cloud", "must use https"),
        ("https://x.example/?a=1", "query string"),
        ("https://user:pw@x.example", "must not embed credentials"),
        ("https://bad_host!/", "no valid host"),
        ("https://x.example:99999", "invalid port"),
    ])
    def test_bad_urls_name_the_option(self, given, message):
        with pytest.raises(ConfigurationError, match=message):
            _urls.normalize_tenant_url(given)

    def test_host_named_by_the_api_keeps_scheme_and_port(self):
        assert _urls.url_for_host("acme.my.idaptive.app", "https://abc.my.idaptive.app") == "https://acme.my.idaptive.app"
        assert _urls.url_for_host("127.0.0.3", "http://127.0.0.2:9000") == "http://127.0.0.3:9000"
        assert _urls.url_for_host("https://x.example/", "http://127.0.0.2:9000") == "https://x.example"

    @pytest.mark.parametrize("host, kind, tenant_id", [
        ("abc1234.id.cyberark.cloud", "platform", "ABC1234"),
        ("abc1234.id.cyberarkgov.cloud", "platform", "ABC1234"),
        ("acme.my.idaptive.app", "legacy", "ACME"),
        ("login.acme.com", "other", None),
        ("127.0.0.2", "other", None),
    ])
    def test_classify(self, host, kind, tenant_id):
        assert _urls.classify_host(host) == kind
        assert _urls.tenant_id_from_host(host) == tenant_id

    def test_system_url_from_tenant_id(self):
        assert _urls.system_url_for_tenant_id("ABC1234") == "https://abc1234.id.cyberark.cloud"
        assert _urls.system_url_for_tenant_id("ABC1234", "my.idaptive.app") == "https://abc1234.my.idaptive.app"
        with pytest.raises(ConfigurationError, match="tenant_id"):
            _urls.system_url_for_tenant_id("abc.evil/x")


class TestRedrock:
    @pytest.mark.parametrize("value, literal", [
        ("jane@acme.com", "'jane@acme.com'"),
        ("o'brien@acme.com", "'o''brien@acme.com'"),
        ("x' OR '1'='1", "'x'' OR ''1''=''1'"),
        ("名前@acme.com", "'名前@acme.com'"),
        (5, "5"),
        (True, "1"),
    ])
    def test_quote(self, value, literal):
        assert _redrock.quote(value) == literal

    @pytest.mark.parametrize("value", ["a\x00b", "line\nbreak", ["list"], None])
    def test_unsafe_values_are_refused(self, value):
        with pytest.raises(ConfigurationError):
            _redrock.quote(value)

    @pytest.mark.parametrize("value", ["a\\", "x\\' OR Name LIKE '%", "\\"])
    def test_a_backslash_is_refused_whichever_way_the_dialect_reads_it(self, value):
        # SQLite (the documented dialect) reads a backslash literally; a MySQL-style reading would let it end the
        # quoted text early. No public source shows which: a value that would differ between them is refused.
        with pytest.raises(ConfigurationError, match="backslash"):
            _redrock.quote(value)

    def test_lookups_by_name_use_the_sdks_equalities_quoted(self):
        scripts = []

        class Client:
            readings: dict = {}

            def met_reading(self, *_args):
                pass

            def query(self, script):
                scripts.append(script)
                return iter([{"ID": "1", "Username": "b'c@acme.com"}])
        assert _users.ids_by_name(Client(), ["A@acme.com", "b'c@ACME.com"]) == {"b'c@acme.com": "1"}
        assert scripts == ["Select ID, Username from User WHERE Username = 'a@acme.com' OR Username = 'b''c@acme.com'"]
        assert _users.ids_by_name(Client(), []) == {} and len(scripts) == 1

    def test_dates(self):
        assert _redrock.parse_date("/Date(1712846804359)/") == "2024-04-11T14:46:44.359000Z"
        assert _redrock.parse_date("/Date(0+0000)/") == "1970-01-01T00:00:00Z"
        assert _redrock.parse_date(None) is None
        assert _redrock.parse_date("plain") == "plain"

    def test_rows_and_keys(self):
        result = {"Results": [{"Entities": [{"Key": "acme.com"}], "Row": {"ID": "acme.com"}}, {"Entities": [], "Row": {"ID": "x"}}]}
        assert _redrock.rows(result) == [{"ID": "acme.com"}, {"ID": "x"}]
        assert _redrock.row_keys(result) == ["acme.com"]
        assert _redrock.rows(None) == []
        with pytest.raises(IdentityError, match="not table-shaped"):
            _redrock.rows({"Unexpected": 1})

    def test_paging_is_bounded_when_the_server_ignores_page_numbers(self):
        calls = []

        def fetch(page, size):
            calls.append(page)
            return {"FullCount": 4, "Results": [{"Row": {"n": i}} for i in range(size)]}
        rows = list(_redrock.iterate_pages(fetch, page_size=2))
        assert calls == [1, 2] and len(rows) == 4

    def test_paging_without_full_count_stops_on_a_short_page(self):
        pages = {1: 3, 2: 3, 3: 1}
        calls = []

        def fetch(page, size):
            calls.append(page)
            return {"Results": [{"Row": {}}] * pages[page]}
        assert len(list(_redrock.iterate_pages(fetch, page_size=3))) == 7 and calls == [1, 2, 3]

    @pytest.mark.parametrize("ahead", [1, 3])
    def test_pages_read_ahead_come_in_order_and_no_page_beyond_the_count(self, ahead):
        calls, lock = [], threading.Lock()

        def fetch(page, size):
            time.sleep(0.01 * (7 - page))  # later pages answer first
            with lock:
                calls.append(page)
            count = min(size, 17 - (page - 1) * size)
            return {"FullCount": 17, "Results": [{"Row": {"n": (page - 1) * size + i}} for i in range(count)]}
        rows = list(_redrock.iterate_pages(fetch, page_size=3, ahead=ahead))
        assert [r["n"] for r in rows] == list(range(17))
        assert sorted(calls) == [1, 2, 3, 4, 5, 6]  # 17 rows in pages of 3: six pages, none more

    def test_reading_ahead_stops_at_a_short_page_and_leaves_the_rest_unsent(self):
        calls, lock = [], threading.Lock()

        def fetch(page, size):
            with lock:
                calls.append(page)
            count = 1 if page == 2 else size  # the tenant holds fewer rows than FullCount said
            return {"FullCount": 30, "Results": [{"Row": {"page": page}} for _i in range(count)]}
        rows = []
        with pytest.raises(IdentityError, match="announced 30 rows"):  # never a short list (issue 24)
            for row in _redrock.iterate_pages(fetch, page_size=3, ahead=2):
                rows.append(row)
        assert [r["page"] for r in rows] == [1, 1, 1, 2]
        assert max(calls) <= 3  # page 2 and at most the page in flight beside it (2 ahead), never all ten


def page_source(total, page_limit=None, full_count=None):
    """fetch_page over ``total`` rows; ``page_limit`` cuts what the tenant hands out (a Limit applied before paging)."""
    def fetch(page, size):
        held = min(total, page_limit) if page_limit is not None else total
        start = (page - 1) * size
        return {"Results": [{"Row": {"ID": str(i)}} for i in range(start, min(start + size, held))],
                "FullCount": total if full_count is None else full_count}
    return fetch


@pytest.mark.parametrize("ahead", [1, 4])
def test_a_read_short_of_its_full_count_fails_loudly(ahead):
    with pytest.raises(IdentityError, match="announced 2500 rows .FullCount. but its pages held 1000"):
        list(_redrock.iterate_pages(page_source(2500, page_limit=1000), page_size=1000, ahead=ahead))
    assert len(list(_redrock.iterate_pages(page_source(2500), page_size=1000, ahead=ahead))) == 2500


def test_every_page_asks_for_every_row():
    assert _redrock.page_args(3, 1000)["Limit"] >= 1_000_000  # not the page size: a Limit applied before paging cut reads at one page


@pytest.mark.parametrize("ahead", [1, 4])
def test_a_count_that_changes_between_pages_fails_the_read(ahead):
    # a user created between page 1 and page 2: one row moves to the next page, the last would be missed
    def fetch(page, size):
        total = 2000 if page == 1 else 2001
        start = (page - 1) * size
        return {"Results": [{"Row": {"ID": str(i)}} for i in range(start, min(start + size, total))], "FullCount": total}
    with pytest.raises(IdentityError, match=r"row count changed during the read \(2000, then 2001\)"):
        list(_redrock.iterate_pages(fetch, page_size=1000, ahead=ahead))
