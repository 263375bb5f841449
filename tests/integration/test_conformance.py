# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Conformance: CyberArk's own Python SDK (ark-sdk-python) as the client of the simulator, and both clients on one
tenant. The SDK is a reference client for tests only; nothing in plugins/ uses it.

The SDK follows a ``PodFqdn`` redirect to ``https://<host>`` on port 443, as against the service, so this module runs
its own simulator on port 443 with loopback addresses of its own (127.<20 + worker>.0.x), one set per test worker.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from idsim.server import Simulator  # pylint: disable=import-error
from idsim.state import World, load_seed  # pylint: disable=import-error
from identity_it import SimHandle  # pylint: disable=import-error

sdk = pytest.importorskip("ark_sdk_python", reason="ark-sdk-python is a test dependency (requirements-dev.txt)")
# pylint: disable=wrong-import-position,wrong-import-order
from ark_sdk_python.auth import ArkISPAuth  # noqa: E402
from ark_sdk_python.common import ArkSystemConfig  # noqa: E402
from ark_sdk_python.models.auth import ArkAuthMethod, ArkAuthProfile, ArkSecret, IdentityArkAuthMethodSettings  # noqa: E402
from ark_sdk_python.models.services.identity.roles import (  # noqa: E402
    ArkIdentityAddAdminRightsToRole,
    ArkIdentityAddGroupToRole,
    ArkIdentityAddRoleToRole,
    ArkIdentityAddUserToRole,
    ArkIdentityCreateRole,
    ArkIdentityDeleteRole,
    ArkIdentityListRoleMembers,
    ArkIdentityRemoveGroupFromRole,
    ArkIdentityRemoveRoleFromRole,
    ArkIdentityRemoveUserFromRole,
    ArkIdentityRoleIdByName,
)
from ark_sdk_python.models.services.identity.roles.ark_identity_admin_right import ArkIdentityAdminRights  # noqa: E402
from ark_sdk_python.models.services.identity.users import (  # noqa: E402
    ArkIdentityCreateUser,
    ArkIdentityDeleteUser,
    ArkIdentityDeleteUsers,
    ArkIdentityResetUserPassword,
    ArkIdentityUpdateUser,
    ArkIdentityUserById,
    ArkIdentityUserByName,
    ArkIdentityUserIdByName,
)
from ark_sdk_python.models.services.identity.directories import ArkIdentityEntityType, ArkIdentityListDirectoriesEntities  # noqa: E402
from ark_sdk_python.services.identity.directories import ArkIdentityDirectoriesService  # noqa: E402
from ark_sdk_python.services.identity.roles import ArkIdentityRolesService  # noqa: E402
from ark_sdk_python.services.identity.users import ArkIdentityUsersService  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ADMIN = ("admin@acme.com", "Adm1n-Passw0rd!")
SERVICE_ENV = {"CYBERARK_IDENTITY_CLIENT_ID": "ansible-svc@acme.com", "CYBERARK_IDENTITY_CLIENT_SECRET": "Svc-S3cret-Value!"}


def _own_addresses(seed: dict) -> dict:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = 20 + int(re.sub(r"\D", "", worker) or 0)
    text = json.dumps(seed).replace('"127.0.0.', f'"127.{number}.0.')
    seeded = json.loads(text)
    seeded["remote_access"] = [{"hosts": {"auth": f"127.{number}.0.20", "api": f"127.{number}.0.21"}}]
    return seeded


@pytest.fixture(scope="module")
def sim443(tmp_path_factory):
    seed = _own_addresses(load_seed(os.path.join(HERE, "seed.json")))
    sim = Simulator(World(seed), scheme="https", port=443, cert_dir=str(tmp_path_factory.mktemp("tls443")), seed=11)
    try:
        info = sim.start()
    except PermissionError:
        pytest.skip("binding port 443 needs root (CI runs as root); the SDK follows redirects to port 443 only")
    # The SDK's requests session must trust the simulator's CA: a machine-wide bundle would win over its setting.
    saved = {name: os.environ.pop(name) for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") if name in os.environ}
    ArkSystemConfig.set_trusted_certificate(info["ca_path"])
    ArkSystemConfig.disable_interactive()
    handle = SimHandle(sim, info)
    try:
        yield handle
    finally:
        sim.stop()
        os.environ.update(saved)


@pytest.fixture
def tenant(sim443):
    sim443.post("reset")
    yield sim443
    unknown = {"endpoints": sim443.get("unknown_endpoints"), "fields": sim443.get("unknown_fields")}
    assert unknown == {"endpoints": {}, "fields": {}}, f"the SDK sent what the simulator does not know: {unknown}"


def login(sim443, username, password, url=None):
    auth = ArkISPAuth(cache_authentication=False)
    settings = IdentityArkAuthMethodSettings(identity_url=url or sim443.legacy["system_url"], identity_mfa_interactive=False)
    auth.authenticate(auth_profile=ArkAuthProfile(username=username, auth_method=ArkAuthMethod.Identity, auth_method_settings=settings),
                      secret=ArkSecret(secret=password))
    return auth


def state_user(sim443, name):
    return next((u for u in sim443.tenant_state("ABC1234")["users"] if u["Name"].lower() == name.lower()), None)


def role_members(sim443, role):
    state = sim443.tenant_state("ABC1234")
    ids = next(r["Members"] for r in state["roles"] if r["Name"] == role)
    return {u["Name"] for u in state["users"] if u["Uuid"] in ids}


def test_password_login_follows_the_system_to_preferred_redirect(tenant):
    auth = login(tenant, *ADMIN)
    assert auth.token.endpoint == tenant.legacy["preferred_url"]
    paths = tenant.get("requests")["by_path"]
    assert paths["/security/startauthentication"] == 2 and paths["/security/advanceauthentication"] == 1


def test_the_sdk_user_and_role_cycle(tenant):
    auth = login(tenant, *ADMIN)
    users, roles = ArkIdentityUsersService(auth), ArkIdentityRolesService(auth)
    assert ArkIdentityDirectoriesService(auth).tenant_default_suffix() == "acme.com"
    created_role = roles.create_role(ArkIdentityCreateRole(role_name="Conformance Team", description="SDK conformance"))
    assert roles.role_id_by_name(ArkIdentityRoleIdByName(role_name="Conformance Team")) == created_role.role_id

    user = users.create_user(ArkIdentityCreateUser(
        username="sdk.user", display_name="SDK User", email="sdk.user@acme.com", mobile_number="+14155550123",
        password="Sdk-Passw0rd-1", roles=["Conformance Team"]))
    stored = state_user(tenant, "sdk.user@acme.com")
    assert stored["Uuid"] == user.user_id and stored["DisplayName"] == "SDK User" and stored["Mail"] == "sdk.user@acme.com"
    assert stored["MobileNumber"] == "+14155550123" and "sdk.user@acme.com" in role_members(tenant, "Conformance Team")

    by_name = users.user_by_name(ArkIdentityUserByName(username="sdk.user@acme.com"))
    by_id = users.user_by_id(ArkIdentityUserById(user_id=user.user_id))
    assert by_name.user_id == by_id.user_id == user.user_id
    assert (by_id.display_name, by_id.email, by_id.mobile_number) == ("SDK User", "sdk.user@acme.com", "+14155550123")
    assert users.user_id_by_name(ArkIdentityUserIdByName(username="sdk.user@acme.com")) == user.user_id

    users.update_user(ArkIdentityUpdateUser(username="sdk.user@acme.com", display_name="SDK User 2", mobile_number="+14155550124"))
    assert state_user(tenant, "sdk.user@acme.com")["DisplayName"] == "SDK User 2"

    members = roles.list_role_members(ArkIdentityListRoleMembers(role_name="Conformance Team"))
    assert [(m.member_id, m.member_name) for m in members] == [(user.user_id, "sdk.user@acme.com")]
    roles.remove_user_from_role(ArkIdentityRemoveUserFromRole(username="sdk.user@acme.com", role_name="Conformance Team"))
    assert role_members(tenant, "Conformance Team") == set()
    roles.add_user_to_role(ArkIdentityAddUserToRole(username="sdk.user@acme.com", role_name="Conformance Team"))
    assert role_members(tenant, "Conformance Team") == {"sdk.user@acme.com"}

    users.reset_user_password(ArkIdentityResetUserPassword(username="sdk.user@acme.com", new_password="Sdk-Passw0rd-2"))
    own = login(tenant, "sdk.user@acme.com", "Sdk-Passw0rd-2")
    assert own.token.token.get_secret_value()
    last_login = users.user_by_name(ArkIdentityUserByName(username="sdk.user@acme.com")).last_login
    assert last_login is not None  # recorded at each login, read back as /Date(ms)/

    users.delete_user(ArkIdentityDeleteUser(user_id=user.user_id))
    assert state_user(tenant, "sdk.user@acme.com") is None
    second = users.create_user(ArkIdentityCreateUser(username="sdk.other", email="sdk.other@acme.com", password="Sdk-Passw0rd-3",
                                                     roles=[]))
    users.delete_user(ArkIdentityDeleteUser(username="sdk.other@acme.com"))
    assert state_user(tenant, "sdk.other@acme.com") is None and second.user_id
    roles.delete_role(ArkIdentityDeleteRole(role_name="Conformance Team"))
    assert all(r["Name"] != "Conformance Team" for r in tenant.tenant_state("ABC1234")["roles"])


def test_the_sdk_role_rights_and_nested_members_read_the_same_in_the_collection(tenant, run_playbook):
    auth = login(tenant, *ADMIN)
    roles = ArkIdentityRolesService(auth)
    for name in ("Conformance Admins", "Conformance Nested"):
        roles.create_role(ArkIdentityCreateRole(role_name=name))
    roles.add_admin_rights_to_role(ArkIdentityAddAdminRightsToRole(
        role_name="Conformance Admins", admin_rights=[ArkIdentityAdminRights.UserManagement, ArkIdentityAdminRights.AdminPortalLogin]))
    roles.add_role_to_role(ArkIdentityAddRoleToRole(role_name_to_add="Conformance Nested", role_name="Conformance Admins"))
    roles.add_group_to_role(ArkIdentityAddGroupToRole(group_name="Helpdesk Staff", role_name="Conformance Admins"))
    members = roles.list_role_members(ArkIdentityListRoleMembers(role_name="Conformance Admins"))
    assert sorted((m.member_name, m.member_type.value) for m in members) == [("Conformance Nested", "ROLE"), ("Helpdesk Staff", "GROUP")]
    tasks = [{"name": "Read", "cyberark_community.identity.identity_role_info": {"name": ["Conformance Admins"], "with_members": True},
              "register": "info"},
             {"name": "The same rights and members", "cyberark_community.identity.identity_role": {
                 "name": "Conformance Admins", "administrative_rights": ["User Management", "Admin Portal Login"],
                 "purge_administrative_rights": True, "member_groups": ["Helpdesk Staff"], "member_roles": ["Conformance Nested"]},
              "register": "role"},
             {"name": "Save", "ansible.builtin.copy": {"content": "{{ {'info': info, 'role': role} | to_json }}", "dest": "{{ output_file }}",
                                                       "mode": "0600"}}]
    run = _run(run_playbook, tenant, tasks)
    assert run.rc == 0, run.output[-3000:]
    read = run.result["info"]["roles"][0]
    assert read["administrative_rights"] == [{"name": "Admin Portal Login", "path": "/lib/rights/adminportallogin.json"},
                                             {"name": "User Management", "path": "/lib/rights/dsman.json"}]
    assert sorted((m["name"], m["type"]) for m in read["members"]) == [("Conformance Nested", "Role"), ("Helpdesk Staff", "Group")]
    assert run.result["role"]["changed"] is False
    roles.remove_group_from_role(ArkIdentityRemoveGroupFromRole(group_name="Helpdesk Staff", role_name="Conformance Admins"))
    roles.remove_role_from_role(ArkIdentityRemoveRoleFromRole(role_name_to_remove="Conformance Nested", role_name="Conformance Admins"))
    assert roles.list_role_members(ArkIdentityListRoleMembers(role_name="Conformance Admins")) == []
    for name in ("Conformance Admins", "Conformance Nested"):
        roles.delete_role(ArkIdentityDeleteRole(role_name=name))


def test_the_sdk_finds_a_directory_group_as_the_collection_looks_it_up(tenant, run_playbook):
    # ark-sdk-python's entity listing: every directory service the tenant lists, the group filter on DisplayName and
    # SystemName; the seeded group comes from the tenant's Active Directory, not from the Cloud Directory
    auth = login(tenant, *ADMIN)
    listing = ArkIdentityListDirectoriesEntities(search="Helpdesk", entity_types=[ArkIdentityEntityType.Group])
    found = [e for page in ArkIdentityDirectoriesService(auth).list_directories_entities(listing) for e in page.items]
    assert [(e.name, e.entity_type, e.directory_service_type.value) for e in found] == [("Helpdesk Staff", ArkIdentityEntityType.Group, "AdProxy")]
    roles = ArkIdentityRolesService(auth)
    roles.create_role(ArkIdentityCreateRole(role_name="Conformance Groups"))
    wanted = {"name": "Conformance Groups", "description": "changed?", "member_groups": ["helpdesk staff", "Nobody Here"]}
    tasks = [{"name": "A known and an unknown group", "cyberark_community.identity.identity_role": wanted, "register": "role",
              "ignore_errors": True},
             {"name": "Save", "ansible.builtin.copy": {"content": "{{ {'role': role} | to_json }}", "dest": "{{ output_file }}", "mode": "0600"}}]
    writes = tenant.get("requests")["writes"]
    run = _run(run_playbook, tenant, tasks)
    assert run.rc == 0, run.output[-3000:]
    assert run.result["role"]["failed"] is True and run.result["role"]["changed"] is False
    assert run.result["role"]["msg"].startswith("member_groups: no directory group named Nobody Here")
    assert tenant.get("requests")["writes"] == writes
    roles.delete_role(ArkIdentityDeleteRole(role_name="Conformance Groups"))


def _run(run_playbook, tenant, tasks):
    play = {"tenant_url": tenant.legacy["system_url"], "ca_path": tenant.ca_path}
    path = os.path.join(HERE, "playbooks", f"_conformance_{os.getpid()}.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump([{"name": "Cross-client", "hosts": "localhost", "gather_facts": False,
                    "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                    "module_defaults": {"group/cyberark_community.identity.identity": play}, "tasks": tasks}], handle)
    try:
        return run_playbook(os.path.basename(path), env=dict(SERVICE_ENV, CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS=tenant.allowed_hosts))
    finally:
        os.unlink(path)


def test_a_user_made_by_the_collection_reads_the_same_in_the_sdk(tenant, run_playbook):
    tasks = [
        {"name": "Role", "cyberark_community.identity.identity_role": {"name": "Cross Team"}},
        {"name": "User", "cyberark_community.identity.identity_user": {
            "name": "cross.one@acme.com", "email": "cross.one@acme.com", "display_name": "Cross One",
            "mobile_number": "+14155550111", "roles": ["Cross Team"], "password": "Cross-Passw0rd-1"}},
    ]
    run = _run(run_playbook, tenant, tasks)
    assert run.rc == 0, run.output[-3000:]
    auth = login(tenant, *ADMIN)
    read = ArkIdentityUsersService(auth).user_by_name(ArkIdentityUserByName(username="cross.one@acme.com"))
    assert (read.username, read.display_name, read.email, read.mobile_number) == (
        "cross.one@acme.com", "Cross One", "cross.one@acme.com", "+14155550111")
    members = ArkIdentityRolesService(auth).list_role_members(ArkIdentityListRoleMembers(role_name="Cross Team"))
    assert [m.member_name for m in members] == ["cross.one@acme.com"]


def test_a_user_made_by_the_sdk_reads_the_same_in_the_collection(tenant, run_playbook, tmp_path):
    auth = login(tenant, *ADMIN)
    ArkIdentityRolesService(auth).create_role(ArkIdentityCreateRole(role_name="SDK Team"))
    made = ArkIdentityUsersService(auth).create_user(ArkIdentityCreateUser(
        username="cross.two", display_name="Cross Two", email="cross.two@acme.com", mobile_number="+14155550222",
        password="Cross-Passw0rd-2", roles=["SDK Team"]))
    tasks = [
        {"name": "Read", "cyberark_community.identity.identity_user_info": {"name": ["cross.two@acme.com"], "with_roles": True},
         "register": "found"},
        {"name": "Save", "ansible.builtin.copy": {"content": "{{ found | to_json }}", "dest": "{{ output_file }}", "mode": "0600"}},
    ]
    run = _run(run_playbook, tenant, tasks)
    assert run.rc == 0, run.output[-3000:]
    [user] = run.result["users"]
    assert (user["id"], user["name"], user["display_name"], user["email"], user["mobile_number"], user["roles"]) == (
        made.user_id, "cross.two@acme.com", "Cross Two", "cross.two@acme.com", "+14155550222", ["SDK Team"])
    assert user["reports_to"] is None and user["in_everybody_role"] is True


def test_an_oauth_client_made_by_the_collection_is_what_the_sdk_sends(tenant, run_playbook):
    tasks = [{"name": "Service user", "cyberark_community.identity.identity_user": {
        "name": "cross.svc@acme.com", "email": "cross.svc@acme.com", "oauth_client": True, "password": "Cross-Svc-Passw0rd-1"}}]
    run = _run(run_playbook, tenant, tasks)
    assert run.rc == 0, run.output[-3000:]
    stored = state_user(tenant, "cross.svc@acme.com")
    # idsec-sdk-golang sends ServiceUser and InEverybodyRole itself; the simulator stores what it is told
    assert stored["OauthClient"] is True and stored["ServiceUser"] is True and stored["InEverybodyRole"] is False


def test_the_sync_writes_are_the_sdk_forms(tenant, run_playbook, tmp_path):
    """The sync's rename (ChangeUser Name) and bulk delete (RemoveUsers) as the SDK sends them, then by the collection;
    each side reads the other's outcome."""
    auth = login(tenant, *ADMIN)
    users = ArkIdentityUsersService(auth)
    ids = {n: users.create_user(ArkIdentityCreateUser(username=n, email=f"{n}@acme.com", password="Sdk-Passw0rd-4", roles=[])).user_id
           for n in ("sdk.mover", "sdk.leaver", "sync.mover", "sync.leaver", "sync.stays")}
    users.update_user(ArkIdentityUpdateUser(username="sdk.mover@acme.com", new_username="sdk.moved"))
    assert state_user(tenant, "sdk.moved@acme.com")["Uuid"] == ids["sdk.mover"] and state_user(tenant, "sdk.mover@acme.com") is None
    users.delete_users(ArkIdentityDeleteUsers(user_ids=[ids["sdk.leaver"]]))
    assert state_user(tenant, "sdk.leaver@acme.com") is None

    path = tmp_path / "sync.csv"
    path.write_text("Login Name,Email Address,Previous Login Name\r\n"
                    "sync.moved@acme.com,sync.mover@acme.com,sync.mover@acme.com\r\n"
                    "sync.stays@acme.com,sync.stays@acme.com,\r\n", encoding="utf-8")
    tasks = [{"name": "Sync", "cyberark_community.identity.identity_bulk_import": {
        "path": str(path), "absent_users": "delete", "max_removals": 1, "scope": {"roles": ["Sync Scope"]}}}]
    with tenant.sim.world.tenants[0].lock:
        state = tenant.sim.world.tenants[0]
        state.add_role({"Name": "Sync Scope", "Members": [ids["sync.mover"], ids["sync.leaver"], ids["sync.stays"]]})
    run = _run(run_playbook, tenant, tasks)
    assert run.rc == 0, run.output[-3000:]
    read = users.user_by_name(ArkIdentityUserByName(username="sync.moved@acme.com"))
    assert read.user_id == ids["sync.mover"] and read.email == "sync.mover@acme.com"
    with pytest.raises(Exception):
        users.user_by_name(ArkIdentityUserByName(username="sync.leaver@acme.com"))
    assert users.user_by_name(ArkIdentityUserByName(username="sync.stays@acme.com")).user_id == ids["sync.stays"]
