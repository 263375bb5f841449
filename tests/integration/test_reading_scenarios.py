# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The scenarios that matter, run by real ansible-playbook under every reading the simulator offers of a disputed
detail (tests/simulator/idsim/readings.py), several readings at once as a tenant has them (every choice other than
the default is in one run; a run names its readings): login and tenant facts,
suffix add and remove, user create / update / delete (an account expiry, a non-ASCII name in another case), bulk
import by ``api`` (typed additional attributes) and by ``service``, sync with a delete, export, and a list of more
than 1,000 users. Each ends correct, checked through ``/_sim/`` (a snapshot taken mid-play and the state at the end),
and a second identical run of a step changes nothing.
"""

from __future__ import annotations

import copy
import csv
import json

import pytest
from idsim.readings import READINGS  # pylint: disable=import-error
from identity_it import SERVICE_ENV, seed_users  # pylint: disable=import-error

MANY_SUFFIX = "lots.acme.com"  # not test_readings.py's: its users have display names
MANY = 1050  # more than one page of 1,000
COLUMNS = [{"Name": "Dept", "Title": "Department", "Type": "Text"}, {"Name": "Badge", "Title": "Badge", "Type": "Boolean"},
           {"Name": "Floor", "Title": "Floor", "Type": "Int"}, {"Name": "Start", "Title": "Start", "Type": "Date"}]
CHOICES = [(name, choice) for name, reading in READINGS.items() for choice in reading["choices"] if choice != reading["default"]]


def combinations() -> list[dict[str, str]]:
    """Every choice other than a default, in as few runs as the switches allow: run N takes each switch's Nth other
    choice, and the first run is split in two halves so that a failure names a handful of readings, not all."""
    runs: list[dict[str, str]] = []
    for name, choice in CHOICES:
        index = next(i for i, run in enumerate(runs + [{}]) if name not in run)
        if index == len(runs):
            runs.append({})
        runs[index][name] = choice
    first = sorted(runs[0].items())
    return [dict(first[:len(first) // 2]), dict(first[len(first) // 2:])] + runs[1:]


RUNS = [{}] + combinations()


@pytest.fixture
def tenant_ready(sim):
    """More users than one page holds, and additional attributes of four types; the tenant as it was after."""
    state = sim.sim.world.tenants[0]
    with state.lock:
        seed_users(state, MANY_SUFFIX, [f"lots{i:04d}@{MANY_SUFFIX}" for i in range(MANY)])
        saved = state.info.get("additional_attributes")
        state.info["additional_attributes"] = COLUMNS
        hosts = copy.deepcopy(state.hosts)
        state.version += 1
    yield state
    with state.lock:  # as it was: other tests count pages and users, and log in on the preferred URL
        state.info["additional_attributes"] = saved if saved is not None else []
        state.hosts.clear()
        state.hosts.update(hosts)
        for user in [u for u in state.users.values() if u["Name"].endswith("@" + MANY_SUFFIX)]:
            state.remove_user(user["Uuid"])
        state.login_suffixes = [s for s in state.login_suffixes if s["name"] != MANY_SUFFIX]
        state.version += 1


def scenario(tmp_path, sim, tag: str, numbered: bool = False) -> tuple[str, dict]:
    """The playbook and the names it uses: users in a suffix of their own (``tag`` keeps runs apart); ``numbered``: the
    tenant numbers its URL types (cname_type=number)."""
    names = {
        "suffix": f"{tag}.people.example", "bulk_suffix": f"{tag}.bulk.example",
        "user": f"user.{tag}@{tag}.people.example", "accented": f"Ëva.Öst.{tag}@{tag}.people.example",
    }
    bulk = [{"login_name": f"b{i}.{tag}@{names['bulk_suffix']}", "email_address": f"b{i}@acme.com", "display_name": f"Bulk {i}",
             "Dept": "Support", "Badge": "true", "Floor": "3", "Start": "2030-01-15"} for i in (1, 2, 3)]
    service = [{"login_name": f"s{i}.{tag}@{names['bulk_suffix']}", "email_address": f"s{i}@acme.com"} for i in (1, 2)]
    names["bulk"] = [u["login_name"] for u in bulk]
    names["service"] = [u["login_name"] for u in service]
    names["url"] = f"{tag}-url"
    user = "cyberark_community.identity.identity_user"
    suffix = "cyberark_community.identity.identity_login_suffix"
    bulk_import = "cyberark_community.identity.identity_bulk_import"
    tenant_url = "cyberark_community.identity.identity_tenant_url"
    sync_scope = {"suffixes": [names["bulk_suffix"]]}
    snapshot = {"ansible.builtin.uri": {"url": sim.base + "/state", "headers": {"X-Idsim-Token": sim.token},
                                        "ca_path": sim.ca_path, "return_content": True}}
    tasks = [
        {"name": "Tenant facts", "cyberark_community.identity.tenant_url_facts": {}, "register": "facts"},
        {"name": "Suffixes", suffix: {"name": "{{ item }}"}, "loop": [names["suffix"], names["bulk_suffix"]], "register": "suffixes_added"},
        {"name": "Create a user", user: {"name": names["user"], "email": "user@acme.com", "display_name": "First",
                                         "account_expiry": "2031-12-31"}, "register": "created"},
        {"name": "Again", user: {"name": names["user"], "email": "user@acme.com", "display_name": "First"}, "register": "created_again"},
        {"name": "Update", user: {"name": names["user"], "email": "user@acme.com", "display_name": "Second"}, "register": "updated"},
        {"name": "Accented", user: {"name": names["accented"], "email": "eva@acme.com"}, "register": "accented"},
        {"name": "Accented, lower case", user: {"name": names["accented"].lower(), "email": "eva@acme.com"}, "register": "accented_lower"},
        {"name": "Import by api", bulk_import: {"users": [dict(u, Dept="Sales") for u in bulk]}, "register": "imported"},
        {"name": "Import by api again", bulk_import: {"users": [dict(u, Dept="Sales") for u in bulk]}, "register": "imported_again"},
        {"name": "Import by api, one attribute changed (the others sent back as the tenant takes them)",
         bulk_import: {"users": bulk}, "register": "attribute_changed"},
        {"name": "Import by service", bulk_import: {"users": service, "method": "service", "admin_email": "it@acme.com"},
         "register": "serviced"},
        {"name": "Sync: the third bulk user leaves", bulk_import: {
            "users": bulk[:2] + service, "absent_users": "delete", "scope": sync_scope, "max_removals": "1"}, "register": "synced"},
        {"name": "Sync again", bulk_import: {"users": bulk[:2] + service, "absent_users": "delete", "scope": sync_scope,
                                             "max_removals": "1"}, "register": "synced_again"},
        {"name": "Export", "cyberark_community.identity.identity_user_export": {
            "dest": str(tmp_path / "export.csv"), "suffixes": [names["bulk_suffix"]], "attributes": [c["Name"] for c in COLUMNS]}, "register": "exported"},
        # Every page under every reading; from the pages alone (no GetUser for each of 1,000+ users: the readings are
        # about the paged query)
        {"name": "Every user", "cyberark_community.identity.identity_user_info": {"with_state": False}, "register": "listed"},
        dict(snapshot, name="The tenant, mid-play", register="middle"),
        {"name": "Delete the users", user: {"name": "{{ item }}", "state": "absent"},
         "loop": [names["user"], names["accented"]] + names["bulk"][:2] + names["service"], "register": "deleted"},
        {"name": "Remove the suffixes", suffix: {"name": "{{ item }}", "state": "absent"},
         "loop": [names["suffix"], names["bulk_suffix"]], "register": "suffixes_removed"},
        # Under cname_type=number no source tells which URL is preferred: the task leaves it unset there.
        {"name": "A preferred custom URL", tenant_url: dict({"prefix": names["url"]}, **({} if numbered else {"preferred": True})),
         "register": "custom_url"},
        {"name": "The custom URL removed", tenant_url: {"prefix": names["url"], "state": "absent"}, "register": "custom_url_removed"},
        {"name": "Save", "ansible.builtin.copy": {"dest": "{{ output_file }}", "mode": "0600", "content": (
            "{{ {'facts': facts.ansible_facts.cyberark_identity_tenant, 'steps': {"
            "'suffixes_added': suffixes_added.changed, 'created': created.changed, 'created_again': created_again.changed, "
            "'updated': updated.changed, 'accented': accented.changed, 'accented_lower': accented_lower.changed, "
            "'imported': imported.changed, 'imported_again': imported_again.changed, "
            "'attribute_changed': attribute_changed.changed, 'serviced': serviced.changed, "
            "'synced': synced.changed, 'synced_again': synced_again.changed, 'deleted': deleted.changed, "
            "'suffixes_removed': suffixes_removed.changed, 'custom_url': custom_url.changed, "
            "'custom_url_removed': custom_url_removed.changed}, "
            "'custom_url_preferred': custom_url.custom_url.preferred, 'custom_url_host': custom_url.custom_url.host, "
            "'removals': synced.import.removals, "
            "'exported': exported.users, 'listed': listed.users | length, "
            "'middle': middle.json} | to_json }}")}},
    ]
    path = tmp_path / "scenario.yml"
    path.write_text(json.dumps([{
        "name": "Scenarios", "hosts": "localhost", "gather_facts": False,
        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "module_defaults": {"group/cyberark_community.identity.identity": {"tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path}},
        "tasks": tasks}]), encoding="utf-8")
    return str(path), names


def users_of(state: dict, suffix: str) -> dict:
    return {u["Name"]: u for u in state["users"] if u["Name"].lower().endswith("@" + suffix)}


def test_every_choice_is_in_a_run():
    assert sorted((name, choice) for run in RUNS for name, choice in run.items()) == sorted(CHOICES)
    # Under cname_type=number the run sets no preferred URL, so SetPreferred, whose arguments tenant_cnames_args reads,
    # is not called: the two never share a run.
    assert not [run for run in RUNS if run.get("cname_type") == "number" and "tenant_cnames_args" in run]
    assert len(RUNS) <= 1 + 1 + max(len(reading["choices"]) - 1 for reading in READINGS.values())


@pytest.mark.parametrize("readings", RUNS, ids=lambda run: "+".join(f"{n}={c}" for n, c in sorted(run.items())) or "defaults")
def test_the_scenarios_end_correct_under_every_reading(sim, tenant_ready, run_playbook, tmp_path, readings):
    if readings:
        sim.post("config", {"readings": readings})
    numbered = readings.get("cname_type") == "number"
    path, names = scenario(tmp_path, sim, f"run{RUNS.index(readings)}", numbered)
    run = run_playbook(path, env=SERVICE_ENV, timeout=600)
    assert run.rc == 0, run.output[-4000:]
    result = run.result

    assert result["steps"] == {
        "suffixes_added": True, "created": True, "created_again": False, "updated": True, "accented": True,
        "accented_lower": False, "imported": True, "imported_again": False, "attribute_changed": True, "serviced": True, "synced": True,
        "synced_again": False, "deleted": True, "suffixes_removed": True, "custom_url": True, "custom_url_removed": True}
    facts = result["facts"]
    assert facts["system_url"] == sim.legacy["system_url"]
    if numbered:  # no source numbers the preferred URL: not guessed, said
        assert facts["preferred_url"] is None and "preferred_url" in facts["unknown"]
    middle = next(t for t in result["middle"]["tenants"] if t["tenant_id"] == "ABC1234")
    if not numbered:
        assert facts["preferred_url"] == f"https://{middle['hosts']['preferred']}:{sim.info['port']}"
    people = users_of(middle, names["suffix"])
    assert set(people) == {names["user"], names["accented"]}  # the accented user once, whatever the tenant folds
    assert people[names["user"]]["DisplayName"] == "Second"
    assert people[names["user"]]["AccountExp"] == "2031-12-31T00:00:00Z"
    bulk = users_of(middle, names["bulk_suffix"])
    assert set(bulk) == set(names["bulk"][:2] + names["service"])
    for name in names["bulk"][:2]:
        held = bulk[name]["ExtData"]
        if readings.get("ext_data_values") == "strings":  # kept as text, a JSON true as .NET prints it
            assert held == {"Dept": "Support", "Badge": "True", "Floor": "3", "Start": "2030-01-15"}
        elif readings.get("ext_data_values") == "text_only":  # typed values refused: sent as text
            assert held == {"Dept": "Support", "Badge": "true", "Floor": "3", "Start": "2030-01-15"}
        else:
            assert held["Dept"] == "Support" and held["Badge"] is True and held["Floor"] == 3
            assert held["Start"] == "/Date(1894665600000)/"  # 2030-01-15 UTC
    assert [r["login_name"] for r in result["removals"]] == [names["bulk"][2]]
    assert result["exported"] == 4
    with open(tmp_path / "export.csv", encoding="utf-8-sig") as handle:
        exported = {row["Login Name"]: row for row in csv.DictReader(handle)}
    assert exported[names["bulk"][0]]["Badge"] == "true" and exported[names["bulk"][0]]["Start"] == "2030-01-15"
    assert result["listed"] == len(middle["users"]) >= MANY

    assert result["custom_url_preferred"] is (None if numbered else True)
    end = sim.tenant_state("ABC1234")
    assert not users_of(end, names["suffix"]) and not users_of(end, names["bulk_suffix"])
    # The custom URL was registered under the simulator's domain, then removed again.
    assert result["custom_url_host"] == f"{names['url']}.{sim.info['cname_domain']}" and end["hosts"]["named"] == []
    assert not {names["suffix"], names["bulk_suffix"]} & {s["name"] for s in end["login_suffixes"]}
