# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client under each reading of a disputed detail (docs/api_sources.md, "Disputed readings"): it handles the
reading it meets, or refuses to guess; it never returns something the tenant did not say."""

from __future__ import annotations

import re

import pytest
from identity_fakes import FakeResponse, FakeSession, envelope  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _attributes, _suffixes, _tenant, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError


def client_for(answers: dict) -> tuple[IdentityClient, FakeSession, list[str]]:
    session = FakeSession(answers)
    transport = Transport(retries=0, session=session, sleep=lambda s: None, secrets=Secrets())
    warnings: list[str] = []
    client = IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"), transport,
                            warn=warnings.append)
    return client, session, warnings


def table(rows: list[dict]) -> dict:
    return {"Results": [{"Row": r, "Entities": [{"Key": r.get("ID")}]} for r in rows], "FullCount": len(rows)}


USERS = [{"ID": "id-1", "Username": "Élise.Martin@acme.com"}, {"ID": "id-2", "Username": "bob@acme.com"},
         {"ID": "id-3", "Username": "carol@acme.com"}]


def redrock(users: list[dict], or_refused: bool = False, fold=lambda name: name.lower()):
    """A Redrock that compares Username = as ``fold`` says and LIKE as SQLite does (ASCII case, ``_`` any letter)."""
    def answer(_method, _url, kwargs):
        script = kwargs["json"]["Script"]
        if or_refused and " OR " in script:
            return FakeResponse(200, envelope(None, success=False, Message='Query failed: near "OR": syntax error'))
        found = []
        for column, op, value in re.findall(r"(\w+) (=|LIKE) '((?:[^']|'')*)'", script):
            value = value.replace("''", "'")
            for user in users:
                if op == "=" and fold(user[column]) == fold(value):
                    found.append(user)
                elif op == "LIKE":
                    pattern = "".join("." if ch == "_" else ".*" if ch == "%" else re.escape(ch) for ch in value)
                    if re.fullmatch(pattern, user[column], flags=re.IGNORECASE | re.ASCII):
                        found.append(user)
        return FakeResponse(200, envelope(table(found)))
    return answer


def ascii_fold(name: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in name)


def test_equalities_joined_by_or_are_read_one_a_query_once_the_tenant_refuses_or():
    client, session, warnings = client_for({"/Redrock/query": redrock(USERS, or_refused=True)})
    assert _users.ids_by_name(client, ["bob@acme.com", "CAROL@acme.com"]) == {"bob@acme.com": "id-2", "carol@acme.com": "id-3"}
    assert len(warnings) == 1 and "OR" in warnings[0]
    calls = len(session.calls)
    _users.ids_by_name(client, ["bob@acme.com", "carol@acme.com"])
    assert all(" OR " not in c["json"]["Script"] for c in session.calls[calls:])  # remembered: no refused script again
    assert len(warnings) == 1


def test_a_query_refused_for_another_reason_is_raised_not_retried_forever():
    refused = FakeResponse(200, envelope(None, success=False, Message="Access denied"))
    client, session, warnings = client_for({"/Redrock/query": refused})
    with pytest.raises(ApiError, match="Access denied"):
        _users.ids_by_name(client, ["bob@acme.com", "carol@acme.com"])
    assert len(session.calls) == 2 and not warnings


def test_a_tenant_folding_only_ascii_finds_a_user_named_with_other_capitals():
    client, _session, _warnings = client_for({"/Redrock/query": redrock(USERS, fold=ascii_fold)})
    assert _users.ids_by_name(client, ["élise.martin@acme.com"]) == {"élise.martin@acme.com": "id-1"}


def test_two_users_told_apart_only_by_non_ascii_capitals_are_refused():
    twins = USERS + [{"ID": "id-4", "Username": "élise.martin@acme.com"}]
    client, _session, _warnings = client_for({"/Redrock/query": redrock(twins, fold=ascii_fold)})
    with pytest.raises(IdentityError, match="two different users"):
        _users.ids_by_name(client, ["Élise.Martin@acme.com", "élise.martin@acme.com"])


@pytest.mark.parametrize("raw, expected", [(True, True), (False, False), ("true", True), ("False", False), (1, True), (0, False),
                                           ("1", True), ("0", False), (None, None)])
def test_booleans_are_read_in_every_form_the_tenant_may_answer(raw, expected):
    assert _redrock.truth(raw, default=None) is expected


@pytest.mark.parametrize("raw, expected", [("System", "System"), ("Preferred", "Preferred"), (None, "Other"), (1, "System"),
                                           ("1", "System"), (2, "Unknown"), (0, "Unknown")])
def test_a_numbered_cname_type_is_named_only_as_far_as_a_source_shows(raw, expected):
    assert _tenant.cname_type(raw) == expected


@pytest.mark.parametrize("column_type, text, wire", [
    ("Text", "Sales", "Sales"), ("Boolean", "TRUE", True), ("Bool", "no", False), ("Int", "3", 3), ("Integer", "-7", -7),
    ("Date", "2030-01-15", "2030-01-15"), ("DateTime", "2030-01-15", "2030-01-15"), ("Whatever", "x", "x"),
])
def test_attribute_values_are_sent_by_their_column_type(column_type, text, wire):
    assert _attributes.to_wire(text, _attributes.kind(column_type)) == wire


@pytest.mark.parametrize("column_type, text", [("Boolean", "maybe"), ("Int", "3.5"), ("Date", "15/01/2030"), ("Date", "2030-02-30"),
                                               ("Date", "2030-01-15T23:30:00-05:00"), ("DateTime", "2030-01-15T10:00:00Z")])
def test_an_attribute_value_its_column_cannot_take_is_refused(column_type, text):
    with pytest.raises(ValueError, match="which this attribute's column takes"):
        _attributes.to_wire(text, _attributes.kind(column_type))


@pytest.mark.parametrize("held, wanted, kind, same", [
    (True, True, "bool", True), ("True", True, "bool", True), ("false", True, "bool", False), (None, False, "bool", False),
    (3, 3, "int", True), ("3", 3, "int", True), (True, 1, "int", False), ("/Date(1894665600000)/", "2030-01-15", "date", True),
    ("2030-01-15T00:00:00Z", "2030-01-15", "date", True), ("/Date(1894665600000)/", "2030-01-16", "date", False),
    ("Sales", "Sales", "text", True), (None, "", "text", True), ("sales", "Sales", "text", False),
])
def test_held_attribute_values_are_compared_by_type_whatever_form_they_come_in(held, wanted, kind, same):
    assert _attributes.same(held, wanted, kind) is same


def test_a_column_of_an_unknown_type_follows_the_value_held():
    assert _attributes.kind("Flag", True) == "bool" and _attributes.kind("Counter", 4) == "int" and _attributes.kind("X", "a") == "text"
    assert _attributes.as_text(True) == "true" and _attributes.as_text("/Date(1894665600000)/", "Date") == "2030-01-15"
    assert _attributes.as_text("/Date(1894665600000)/", "Text") == "/Date(1894665600000)/"  # text stays text
    assert _attributes.as_text("on", "Boolean") == "true"


def test_typed_attribute_values_refused_go_again_as_text():
    answers = [FakeResponse(200, envelope(None, success=False, Message="The value must be text")), FakeResponse(200, envelope(None))]
    client, session, _warnings = client_for({"/ExtData/SetColumns": answers})
    _users.set_attributes(client, "id-1", {"Badge": True, "Floor": 3, "Dept": "Sales"})
    assert [c["json"]["Columns"] for c in session.calls] == [{"Badge": True, "Floor": 3, "Dept": "Sales"},
                                                             {"Badge": "true", "Floor": "3", "Dept": "Sales"}]


def test_store_alias_refused_in_a_body_goes_in_the_query_string():
    answers = [FakeResponse(200, envelope(None, success=False, Message="alias must be a domain-like name.")),
               FakeResponse(200, envelope({"State": 0}))]
    client, session, warnings = client_for({"/Core/StoreAlias": answers})
    _suffixes.create(client, "acme.example")
    assert session.calls[1]["params"] == {"alias": "acme.example", "cdsAlias": "true", "domain": "acme.example"}
    assert session.calls[1].get("json") is None and len(warnings) == 1


def test_remove_users_refused_flat_goes_nested():
    answers = [FakeResponse(200, envelope(None, success=False, Message="Users must be a list holding the list")),
               FakeResponse(200, envelope(None))]
    client, session, warnings = client_for({"/UserMgmt/RemoveUsers": answers})
    _users.remove_many(client, ["id-1", "id-2"])
    assert [c["json"] for c in session.calls] == [{"Users": ["id-1", "id-2"]}, {"Users": [["id-1", "id-2"]]}]
    assert len(warnings) == 1


def test_remove_users_refused_both_ways_raises_the_first_refusal():
    answers = [FakeResponse(200, envelope(None, success=False, Message="The list contains the calling user")),
               FakeResponse(200, envelope(None, success=False, Message="Users must be a flat list"))]
    client, _session, _warnings = client_for({"/UserMgmt/RemoveUsers": answers})
    with pytest.raises(ApiError, match="calling user"):
        _users.remove_many(client, ["id-1"])


BUSY = FakeResponse(503, {"Message": "busy"})


def test_throttling_or_a_server_error_is_no_refusal_and_tries_no_other_form():
    client, session, warnings = client_for({"/Redrock/query": BUSY, "/UserMgmt/RemoveUsers": BUSY, "/Core/StoreAlias": BUSY,
                                            "/ExtData/SetColumns": BUSY})
    for attempt in (lambda: _users.ids_by_name(client, ["bob@acme.com", "carol@acme.com"]),
                    lambda: _users.remove_many(client, ["id-1"]),
                    lambda: _suffixes.create(client, "acme.example"),
                    lambda: _users.set_attributes(client, "id-1", {"Badge": True})):
        with pytest.raises(ApiError, match="503"):
            attempt()
    assert [c["path"] for c in session.calls] == ["/Redrock/query", "/UserMgmt/RemoveUsers", "/Core/StoreAlias", "/ExtData/SetColumns"]
    assert warnings == [] and client.readings == {}


def test_a_form_the_tenant_took_is_used_from_then_on_and_warned_about_once():
    refused = FakeResponse(200, envelope(None, success=False, Message="refused"))
    answers = {"/UserMgmt/RemoveUsers": [refused, FakeResponse(200, envelope(None))],
               "/ExtData/SetColumns": [refused, FakeResponse(200, envelope(None))],
               "/Core/StoreAlias": [refused, FakeResponse(200, envelope({"State": 0}))]}
    client, session, warnings = client_for(answers)
    for _batch in range(3):
        _users.remove_many(client, ["id-1", "id-2"])
        _users.set_attributes(client, "id-1", {"Badge": True, "Dept": "Sales"})
        _suffixes.create(client, "acme.example")
    assert len(session.calls) == 3 * 3 + 3  # one refused call each, the first time only
    assert client.readings == {"remove_users_list": "nested", "ext_data_values": "text", "store_alias_args": "query"}
    assert len(warnings) == 3
    assert session.calls[-3]["json"] == {"Users": [["id-1", "id-2"]]}
    assert session.calls[-2]["json"]["Columns"] == {"Badge": "true", "Dept": "Sales"}


def test_typed_values_refused_twice_raise_the_first_refusal():
    answers = [FakeResponse(200, envelope(None, success=False, Message="first: must be a boolean")),
               FakeResponse(200, envelope(None, success=False, Message="second: must be text"))]
    client, _session, _warnings = client_for({"/ExtData/SetColumns": answers})
    with pytest.raises(ApiError, match="first"):
        _users.set_attributes(client, "id-1", {"Badge": True})


def test_among_twins_the_exact_spelling_is_meant_and_any_other_is_refused():
    twins = USERS + [{"ID": "id-4", "Username": "élise.martin@acme.com"}]
    for asked, meant in (("Élise.Martin@acme.com", "id-1"), ("élise.martin@acme.com", "id-4")):
        client, _session, _warnings = client_for({"/Redrock/query": redrock(twins, fold=ascii_fold)})
        assert _users.ids_by_name(client, [asked]) == {asked.lower(): meant}
    client, _session, _warnings = client_for({"/Redrock/query": redrock(twins, fold=lambda n: n.lower())})
    with pytest.raises(IdentityError, match="differ from ÉLISE.MARTIN@acme.com only in the case"):
        _users.ids_by_name(client, ["ÉLISE.MARTIN@acme.com"])


def test_a_search_keeps_its_pages_in_order():
    client, session, _warnings = client_for({"/Redrock/query": FakeResponse(200, envelope(table([])))})
    _users.search_rows(client, "acme")
    assert session.calls[0]["json"]["Script"].endswith("ORDER BY Name")


def test_a_column_of_a_type_no_source_names_takes_text_not_of_the_held_kind_as_it_is():
    assert _attributes.wanted("pending", "Checkbox", True) == ("text", "pending")
    assert _attributes.wanted("false", "Checkbox", True) == ("bool", False)
    with pytest.raises(ValueError):
        _attributes.wanted("pending", "Boolean", True)


def test_held_values_go_back_in_the_form_the_tenant_takes():
    types = {"Badge": "Boolean", "Start": "Date", "Floor": "Int", "Dept": "Text"}
    held = {"Badge": "true", "Start": "/Date(1894665600000)/", "Floor": 3.0, "Dept": "Sales", "Other": "x", "Gone": None}
    assert _attributes.resend(held, types) == {"Badge": True, "Start": "2030-01-15", "Floor": 3, "Dept": "Sales", "Other": "x",
                                               "Gone": None}
    assert _attributes.same(3.0, 3, "int") and not _attributes.same(3.5, 3, "int")


def expiry_plan(**extra):
    from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _plans
    return _plans.UserPlan(name="new@acme.com", create=True, values={"email": "new@acme.com"},
                           write_only={"AccountExp": "2031-12-31T00:00:00Z"}, **extra)


@pytest.mark.parametrize("answer, invite, deleted, words", [
    (FakeResponse(200, envelope(None, success=False, Message="AccountExp is not valid")), False, True, "deleted again"),
    (FakeResponse(200, envelope(None, success=False, Message="AccountExp is not valid")), True, False, "invitation was sent"),
    (BUSY, False, False, "is not known"),
])
def test_a_new_user_whose_expiry_did_not_land_is_deleted_again_only_when_refused_and_uninvited(answer, invite, deleted, words):
    client, session, _warnings = client_for({"/CDirectoryService/CreateUser": FakeResponse(200, envelope("new-id")),
                                             "/CDirectoryService/ChangeUser": answer,
                                             "/CDirectoryService/DeleteUser": FakeResponse(200, envelope(None))})
    with pytest.raises(IdentityError, match=words):
        expiry_plan(send_email_invite=invite).apply(client, "Good-Passw0rd!")
    assert ("/CDirectoryService/DeleteUser" in [c["path"] for c in session.calls]) is deleted


def test_or_accepted_once_is_not_taken_for_refused_later():
    answers = [FakeResponse(200, envelope(table([]))), FakeResponse(200, envelope(None, success=False, Message="too long"))]
    client, _session, warnings = client_for({"/Redrock/query": answers})
    _users.ids_by_name(client, ["a@acme.com", "b@acme.com"])
    with pytest.raises(ApiError, match="too long"):
        _users.ids_by_name(client, ["c@acme.com", "d@acme.com"])
    assert client.readings == {"redrock_or": "accepted"} and warnings == []


@pytest.mark.parametrize("status, refusal", [(400, True), (403, True), (404, True), (422, True), (408, False), (409, False),
                                             (429, False), (500, False), (503, False)])
def test_only_an_answer_refusing_the_request_as_sent_is_a_refusal(status, refusal):
    from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import is_refusal
    assert is_refusal(ApiError("x", method="POST", path="/X", status=status)) is refusal
    refused = ApiError("x", method="POST", path="/X", status=200)
    assert is_refusal(refused) is False  # a 200 that is not a success:false envelope (a proxy's page)
    refused.refused = True
    assert is_refusal(refused) is True


def test_resend_touches_only_text_answered_for_typed_columns():
    types = {"Badge": "Boolean", "Start": "Date", "Rate": "Decimal", "Tags": "List", "Zip": "Text"}
    held = {"Badge": "true", "Start": "/Date(1705273200000+0100)/", "Rate": 1.5, "Tags": ["a", "b"], "Zip": "01234", "X": 2.25}
    assert _attributes.resend(held, types) == {"Badge": True, "Start": "2024-01-15", "Rate": 1.5, "Tags": ["a", "b"],
                                               "Zip": "01234", "X": 2.25}


def test_an_unreadable_held_boolean_differs_rather_than_failing_the_run():
    assert _attributes.same("N/A", True, "bool") is False


def test_the_trace_reads_literals_before_comments():
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _trace
    form = _trace.script_form("Select ID from CDUser WHERE Name LIKE '%--%'\nAND DisplayName = 'alice smith'")
    assert "alice" not in form and "smith" not in form


from hypothesis import given, strategies as st  # noqa: E402  # pylint: disable=wrong-import-position

HELD_FORMS = st.one_of(
    st.tuples(st.just("Boolean"), st.booleans().flatmap(lambda b: st.sampled_from([b, str(b), str(b).lower(), str(b).upper()]))),
    st.tuples(st.just("Int"), st.integers(-10**9, 10**9).flatmap(lambda n: st.sampled_from([n, str(n), float(n)]))),
    st.tuples(st.just("Date"), st.dates(min_value=__import__("datetime").date(1971, 1, 1)).map(
        lambda d: f"/Date({int(__import__('datetime').datetime(d.year, d.month, d.day, tzinfo=__import__('datetime').timezone.utc).timestamp() * 1000)})/")),
    st.tuples(st.just("Text"), st.text(max_size=20)),
)


@given(HELD_FORMS)
def test_an_exported_value_imported_again_is_no_change_whatever_form_the_tenant_held(case):
    # export writes as_text; the import reads the text back against what the tenant holds: never a change
    column_type, held = case
    text = _attributes.as_text(held, column_type)
    kind, value = _attributes.wanted(text, column_type, held)
    assert _attributes.same(held, value, kind)


def test_held_values_sent_back_keep_a_time_of_day_a_date_column_holds():
    """SetColumns takes the whole set: a DateTime value another attribute's change sends back keeps its time; a value
    at midnight goes back as the date the import and identity_user compare."""
    held = {"Start": "/Date(1798675200000)/", "Shift": "/Date(1798682400000)/", "Seen": "2027-01-31T10:30:00Z"}
    sent = _attributes.resend(held, {"Start": "DateTime", "Shift": "DateTime", "Seen": "Date"})
    assert sent == {"Start": "2026-12-31", "Shift": "/Date(1798682400000)/", "Seen": "2027-01-31T10:30:00Z"}
