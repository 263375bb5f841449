# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Login suffix writes: public sources disagree on the bodies, so every answer is checked and a refusal names the form."""

from __future__ import annotations

import pytest
from identity_fakes import FakeResponse, FakeSession, envelope  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _suffixes
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport


def client_for(path, answer):
    session = FakeSession({path: FakeResponse(200, answer)})
    transport = Transport(retries=0, session=session, sleep=lambda s: None, secrets=Secrets())
    return IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"), transport), session


@pytest.mark.parametrize("state", [0, 1])
def test_store_alias_created_or_existing_is_fine(state):
    client, session = client_for("/Core/StoreAlias", envelope({"State": state}))
    _suffixes.create(client, "acme.example")
    assert session.calls[0]["json"]["cdsAlias"] == "true"


@pytest.mark.parametrize("answer, words", [
    (envelope({"State": 2}), "State 2"),
    (envelope(None), "State None"),
    (envelope(None, success=False, Message="Invalid request"), "Invalid request"),
])
def test_store_alias_other_answers_fail_naming_the_call_and_the_body_form(answer, words):
    client = client_for("/Core/StoreAlias", answer)[0]
    with pytest.raises(IdentityError) as info:
        _suffixes.create(client, "acme.example")
    assert words in info.value.message and "/Core/StoreAlias" in info.value.message and "cdsAlias" in info.value.message


def test_delete_aliases_refusal_names_the_body_form():
    client = client_for("/Core/DeleteAliases", envelope(None, success=False, Message="Bad format"))[0]
    with pytest.raises(IdentityError, match="Bad format.*bare JSON array"):
        _suffixes.delete(client, "acme.example")


@pytest.mark.parametrize("state", [0, 1, 3])
def test_a_delete_is_judged_by_the_suffix_list_read_back(state):
    def tenant_listing(*names):
        session = FakeSession({"/Core/DeleteAliases": FakeResponse(200, envelope({"State": state})),
                               "/Core/GetAliasesForTenant": FakeResponse(200, envelope({"Results": [{"Row": {"ID": n, "CdsAlias": True}} for n in names]}))})
        transport = Transport(retries=0, session=session, sleep=lambda s: None, secrets=Secrets())
        return IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"), transport)
    _suffixes.delete(tenant_listing("other.example"), "acme.example")  # gone: whatever State says
    with pytest.raises(IdentityError, match=f"answered State {state} but the tenant still lists acme.example"):
        _suffixes.delete(tenant_listing("ACME.example"), "acme.example")
