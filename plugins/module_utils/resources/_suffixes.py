# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Login suffixes (CDS aliases): list, create, delete.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _redrock
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, IdentityError, is_refusal

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient


def list_suffixes(client: IdentityClient) -> list[dict[str, t.Any]]:
    """Every login suffix of the tenant (``Core/GetAliasesForTenant``): name and whether it is a Cloud Directory one."""
    result = client.call("/Core/GetAliasesForTenant")
    suffixes = []
    for row in _redrock.rows(result):
        if row.get("ID"):
            suffixes.append({"name": str(row["ID"]), "cds": _redrock.truth(row.get("CdsAlias"))})
    return suffixes


def find(suffixes: list[dict[str, t.Any]], name: str) -> dict[str, t.Any] | None:
    """Suffixes compare case-insensitively, like host names."""
    wanted = name.lower()
    return next((s for s in suffixes if s["name"].lower() == wanted), None)


STORE_FORMS = ('a JSON body {alias, cdsAlias: "true" or "false", domain, jsutil-radio2, oldName} (the portal\'s form), '
               'then the same arguments in the query string (the API collection\'s form)')
DELETE_FORM = "a bare JSON array of suffixes (the form verified against a live tenant)"
BODY_NOTE = ("public sources disagree on this call's arguments; the collection sent {form}. If the tenant refuses it, "
             "report the message at the collection's issue tracker")


def _refused(exc: ApiError, form: str) -> ApiError:
    return ApiError(f"{exc.message}; {BODY_NOTE.format(form=form)}", method=exc.method, path=exc.path, status=exc.status,
                    api_message=exc.api_message, error_code=exc.error_code, error_id=exc.error_id, message_id=exc.message_id)


def create(client: IdentityClient, name: str, cds: bool = True, domain: str | None = None) -> None:
    """``Core/StoreAlias``: the JSON form the portal sends (``cdsAlias`` as a string, contract §6); when the tenant
    refuses it, which changes nothing, the same arguments in the query string, as the API collection sends them
    (docs/api_sources.md, reading ``store_alias_args``).

    Safe to repeat: a duplicate answers ``State: 1``, which is the state we want. Any other answer is an error that
    names the call and the forms tried.
    """
    body = {
        "alias": name,
        "cdsAlias": "true" if cds else "false",
        "domain": domain or name,
        "jsutil-radio2": "CDS" if cds else "AD&FDS",
        "oldName": "",
    }
    query = {"alias": body["alias"], "cdsAlias": body["cdsAlias"], "domain": body["domain"]}
    try:
        if client.readings.get("store_alias_args") == "query":
            result = client.call("/Core/StoreAlias", params=query)
        else:
            result = client.call("/Core/StoreAlias", body)
    except ApiError as exc:
        if not is_refusal(exc) or client.readings.get("store_alias_args") == "query":
            raise _refused(exc, STORE_FORMS) from None
        try:
            result = client.call("/Core/StoreAlias", params=query)
        except ApiError:
            raise _refused(exc, STORE_FORMS) from None
        client.met_reading("store_alias_args", "query", "Core/StoreAlias refused its arguments in a JSON body and took "
                           "them in the query string; they go there from now on")
    state = result.get("State") if isinstance(result, dict) else None
    if state not in (0, 1):
        raise IdentityError(
            f"POST /Core/StoreAlias answered State {state!r} (0 = created, 1 = exists already): {name} may not have been "
            f"created; {BODY_NOTE.format(form=STORE_FORMS)}", method="POST", path="/Core/StoreAlias")


def delete(client: IdentityClient, name: str) -> None:
    """``Core/DeleteAliases`` with a bare JSON array (the form verified against a live tenant), judged by the suffix list
    read back: the only public example of a successful delete answers ``State: 1``, and no source says what 0 means."""
    try:
        result = client.call("/Core/DeleteAliases", [name])
    except ApiError as exc:
        raise _refused(exc, DELETE_FORM) from None
    if find(list_suffixes(client), name) is not None:
        state = result.get("State") if isinstance(result, dict) else None
        raise IdentityError(
            f"POST /Core/DeleteAliases answered State {state!r} but the tenant still lists {name}; "
            f"{BODY_NOTE.format(form=DELETE_FORM)}", method="POST", path="/Core/DeleteAliases")
