# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tenant state: URLs, login suffixes, users, roles, OAuth apps. Seedable from and savable to JSON."""

from __future__ import annotations

import copy
import ipaddress
import json
import secrets
import threading
import time
import uuid

from . import readings
from .files import write_private
from .passwords import StoredPassword

INTEGRATION_LOGIN = "alero-integration-user$"
# Registered custom URLs are <prefix>.CNAME_DOMAIN: a reserved name (RFC 2606) that no DNS resolves, so credentials can
# never leave the machine by it; a client reaches it through a resolver it is given (tests/simulator/resolver).
CNAME_DOMAIN = "my.idsim.test"
USER_FIELDS = (
    "Name", "Mail", "DisplayName", "Description", "OfficeNumber", "MobileNumber", "HomeNumber", "ReportsTo",
    "ForcePasswordChangeNext", "PasswordNeverExpire", "InEverybodyRole", "InSysAdminRole", "ServiceUser", "OauthClient",
    "AccountExp", "OrgPath", "PrimaryIdentifier", "PreferredCulture",
)
DEFAULT_TENANT = {
    "tenant_id": "ABC1234",
    "tenant_uuid": "6f1a2b3c-0000-4000-8000-00000000abcd",
    "kind": "legacy",
    # custom: seeded custom URLs, each a loopback address of its own; named: custom URLs registered through
    # TenantCnames/Register, host names under CNAME_DOMAIN served on the tenant's addresses (docs/simulator.md).
    "hosts": {"system": "127.0.0.2", "custom": ["127.0.0.3"], "preferred": "127.0.0.3", "named": []},
    "company_name": "Acme Corporation",
    "pod_name": "pod1009",
    "pod_fqdn": "pod1009.idaptive.app",
    "region": "Us East",
    "version": "24.9.215",
    "subdomain": "acme",
    "platform_domain": "cyberark.cloud",
    "token_lifetime": 3600,
    "password_policy": {"min_length": 8},
    "login_suffixes": [{"name": "acme.com", "cds": True}, {"name": "cyberark.cloud.3558", "cds": True}, {"name": "corp.acme.local", "cds": False}],
    "users": [
        {"Name": "admin@acme.com", "Password": "Adm1n-Passw0rd!", "Mail": "admin@acme.com", "DisplayName": "Tenant Admin", "InSysAdminRole": True},
        {"Name": "ansible-svc@acme.com", "Password": "Svc-S3cret-Value!", "Mail": "ansible-svc@acme.com", "ServiceUser": True, "OauthClient": True,
         "InSysAdminRole": True, "PasswordNeverExpire": True},
        {"Name": "mfa.admin@acme.com", "Password": "Mfa-Passw0rd!", "Mail": "mfa.admin@acme.com", "Mfa": ["UP", "EMAIL"]},
    ],
    "roles": [{"Name": "System Administrator", "Description": "Full administrative rights"}],
    # Directory groups a role may hold: the Cloud Directory has none of its own, they come from AD/LDAP (a seed lists them).
    "groups": [{"Name": "Helpdesk Staff", "Guid": "5f0a6c1e-2b7d-4e8f-9a13-6c2d0b4e7f21"}],
    # The tenant's administrative rights as Redrock's @/lib/get_superrights.js lists them (portal name and path). Paths
    # from the SDKs' admin right enums; names from CyberArk's docs (docs/api_sources.md, "Administrative rights").
    "administrative_rights": [
        {"Description": "Admin Portal Login", "Path": "/lib/rights/adminportallogin.json"},
        {"Description": "Application Management", "Path": "/lib/rights/appman.json"},
        {"Description": "Device Management (All)", "Path": "/lib/rights/mobman.json"},
        {"Description": "Identity Verification", "Path": "/lib/rights/identityverification.json"},
        {"Description": "MFA Unlock", "Path": "/lib/rights/mfaunlock.json"},
        {"Description": "Read Only System Administration", "Path": "/lib/rights/monitor.json"},
        {"Description": "Role Management", "Path": "/lib/rights/roleman.json"},
        {"Description": "User Management", "Path": "/lib/rights/dsman.json"},
    ],
    "oauth_apps": [{"app_id": "ansible_app"}],
}


def now_ms() -> int:
    return int(time.time() * 1000)


class Tenant:
    """One tenant; every mutation goes through methods that hold ``lock``."""

    def __init__(self, seed: dict) -> None:
        data = copy.deepcopy(DEFAULT_TENANT)
        data.update({k: v for k, v in seed.items() if k not in ("users", "roles")})
        self.lock = threading.RLock()
        self.version = 0
        self.info = data
        self.hosts = data["hosts"]
        self.login_suffixes = [dict(s) for s in data["login_suffixes"]]
        self.oauth_apps = {a["app_id"].lower(): dict(a) for a in data.get("oauth_apps", [])}
        self.users: dict[str, dict] = {}
        self.folding = "unicode"  # how login names compare (readings.py: name_folding)
        self.fold = readings.name_fold(self.folding)
        self.by_name: dict[str, str] = {}  # folded login name -> Uuid
        self.outbox: list[dict] = []  # invitations the tenant would have sent
        self.roles: dict[str, dict] = {}
        for user in seed.get("users", data["users"]):
            self.add_user(user)
        for role in seed.get("roles", data["roles"]):
            self.add_role(role)
        # Administrators are the System Administrator role's members, as in the service (the role always exists).
        admins = next((r for r in self.roles.values() if r["Name"] == "System Administrator"), None)
        admins = admins or self.add_role({"ID": "sysadmin", "Name": "System Administrator", "Description": "Full administrative rights"})
        admins["Members"] += [uid for uid, user in self.users.items() if user.get("InSysAdminRole") and uid not in admins["Members"]]

    # -- hosts ---------------------------------------------------------------
    def all_hosts(self) -> list[str]:
        return [self.hosts["system"]] + list(self.hosts.get("custom", []))

    def preferred_host(self) -> str:
        return self.hosts.get("preferred") or self.hosts["system"]

    def custom_hosts(self) -> list[str]:
        return list(self.hosts.get("custom", [])) + list(self.hosts.setdefault("named", []))

    def cnames(self) -> list[dict]:
        rows = [{"host": self.hosts["system"], "type": "System", "custom": False}]
        for host in self.custom_hosts():
            rows.append({"host": host, "type": "Preferred" if host == self.hosts.get("preferred") else "Other", "custom": True})
        return rows

    def register_cname(self, host: str) -> None:
        """A custom URL; the tenant's only custom URL becomes the preferred one (Bruno's note on Register)."""
        with self.lock:
            if host in self.custom_hosts():
                return
            alone = not self.custom_hosts()
            self.hosts["named"].append(host)
            if alone:
                self.hosts["preferred"] = host
            self.version += 1

    def set_preferred(self, host: str) -> None:
        with self.lock:
            self.hosts["preferred"] = host
            self.version += 1

    def unregister_cname(self, host: str) -> None:
        """No source says which URL is preferred after the preferred one goes: logins then stay on the system URL."""
        with self.lock:
            self.hosts["named"].remove(host)
            if self.hosts.get("preferred") == host:
                self.hosts["preferred"] = None
            self.version += 1

    # -- users -----------------------------------------------------------------
    def add_user(self, fields: dict) -> dict:
        with self.lock:
            if self.find_user(fields.get("Name") or ""):
                raise ValueError(f"a user named {fields.get('Name')} exists already (login names are unique, case-insensitively)")
            uid = fields.get("Uuid") or str(uuid.uuid4())
            user = {k: fields.get(k) for k in USER_FIELDS}
            user.update(
                Uuid=uid,
                password=StoredPassword.from_fields(fields),
                Mfa=list(fields.get("Mfa") or ["UP"]),
                State=fields.get("State", "None"),
                Enabled=fields.get("Enabled", True),
                CloudLocked=fields.get("CloudLocked", False),
                LockedOutByPolicy=fields.get("LockedOutByPolicy", False),  # the tenant's lockout policy (failed MFA)
                CreateDate=fields.get("CreateDate", now_ms()),
                LastModifiedDate=fields.get("LastModifiedDate", now_ms()),
                Version=fields.get("Version", 1),
                ExtData=dict(fields.get("ExtData") or {}),
            )
            # Stored as told (CyberArk's SDKs send ServiceUser and InEverybodyRole themselves for an OAuth client);
            # only ServiceUser overrides InEverybodyRole, as the contract documents (quirk Q5).
            if user["ServiceUser"]:
                user["InEverybodyRole"] = False
            elif user["InEverybodyRole"] is None:
                user["InEverybodyRole"] = True
            user["LastLogin"] = fields.get("LastLogin")
            self.users[uid] = user
            self.by_name[self.fold(user["Name"] or "")] = uid
            self.version += 1
            return user

    def provision_integration_user(self) -> dict:
        """The service user CyberArk provisions when the Remote Access integration is enabled (its ``$`` is outside the
        login characters an administrator may use, so only the service creates it)."""
        suffix = next((s["name"] for s in self.login_suffixes if s["cds"]), "")
        name = f"{INTEGRATION_LOGIN}@{suffix}"
        return self.find_user(name) or self.add_user({
            "Name": name, "ServiceUser": True, "InEverybodyRole": False, "PasswordNeverExpire": True,
            "Password": secrets.token_urlsafe(18) + "aA1",
        })

    def record_login(self, uid: str) -> None:
        with self.lock:
            if uid in self.users:
                self.users[uid]["LastLogin"] = now_ms()
                self.version += 1

    def remove_user(self, uid: str) -> None:
        with self.lock:
            user = self.users.pop(uid, None)
            if user is not None:
                self.by_name.pop(self.fold(user["Name"] or ""), None)
                for role in self.roles.values():
                    if uid in role["Members"]:
                        role["Members"].remove(uid)
            self.version += 1

    def rename_user(self, uid: str, name: str) -> None:
        with self.lock:
            user = self.users[uid]
            self.by_name.pop(self.fold(user["Name"] or ""), None)
            user["Name"] = name
            self.by_name[self.fold(name)] = uid

    def find_user(self, name: str) -> dict | None:
        with self.lock:
            return self.users.get(self.by_name.get(self.fold(name or ""), ""))

    def set_folding(self, folding: str) -> None:
        """Compare login names as ``folding`` says from now on (a reading changed); two users it cannot tell apart
        both stay."""
        fold = readings.name_fold(folding)
        with self.lock:
            self.folding, self.fold = folding, fold
            self.by_name = {}
            for uid, user in self.users.items():
                self.by_name.setdefault(fold(user["Name"] or ""), uid)
            self.version += 1

    def add_role(self, fields: dict) -> dict:
        with self.lock:
            rid = fields.get("ID") or str(uuid.uuid4())
            # Members: user IDs; Groups: directory group Guids; RoleMembers: role IDs; Rights: administrative right paths
            role = {"ID": rid, "Name": fields["Name"], "Description": fields.get("Description"), "Members": list(fields.get("Members", [])),
                    "Groups": list(fields.get("Groups", [])), "RoleMembers": list(fields.get("RoleMembers", [])),
                    "Rights": list(fields.get("Rights", []))}
            self.roles[rid] = role
            self.version += 1
            return role

    def remove_role(self, rid: str) -> None:
        with self.lock:
            self.roles.pop(rid, None)
            for role in self.roles.values():
                if rid in role["RoleMembers"]:
                    role["RoleMembers"].remove(rid)
            self.version += 1

    def find_group(self, name: str) -> dict | None:
        """A directory group by name (without case, as directory names compare)."""
        return next((g for g in self.info.get("groups") or [] if str(g["Name"]).lower() == str(name).lower()), None)

    def right(self, path: str) -> dict | None:
        return next((r for r in self.info.get("administrative_rights") or [] if r["Path"] == path), None)

    # -- dumps -----------------------------------------------------------------
    def public_user(self, user: dict) -> dict:
        out = {k: v for k, v in user.items() if k != "password"}
        out["PasswordFingerprint"] = user["password"].fingerprint if user.get("password") else None
        return out

    def dump(self, secrets: bool = False) -> dict:
        with self.lock:
            users = []
            for user in self.users.values():
                if secrets:  # for a file: the password only as a salted hash
                    entry = {k: v for k, v in user.items() if k != "password"}
                    entry["PasswordHash"] = user["password"].hashed() if user.get("password") else None
                else:
                    entry = self.public_user(user)
                users.append(entry)
            info = {k: v for k, v in self.info.items() if k not in ("users", "roles", "login_suffixes", "oauth_apps")}
            return dict(
                info,
                login_suffixes=copy.deepcopy(self.login_suffixes),
                oauth_apps=list(self.oauth_apps.values()),
                users=users,
                roles=copy.deepcopy(list(self.roles.values())),
                outbox=copy.deepcopy(self.outbox),
            )


def require_loopback(host: str) -> None:
    """Refuse a host outside 127.0.0.0/8: the simulator serves anyone who can reach its addresses, with known passwords."""
    try:
        loopback = ipaddress.IPv4Address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"host {host} is not a loopback address: the simulator serves IPv4 loopback addresses (127.0.0.0/8) only")


class World:
    """Every tenant, indexed by host."""

    def __init__(self, seed: dict | None = None) -> None:
        seed = seed or {}
        tenants = seed.get("tenants") or [{}]
        self.tenants = [Tenant(t) for t in tenants]
        self.by_host: dict[str, Tenant] = {}
        for tenant in self.tenants:
            named = tenant.hosts.setdefault("named", [])
            for host in named:
                held = [other for other in self.tenants if host in other.hosts.get("named", [])]
                if not host.endswith("." + CNAME_DOMAIN) or len(held) > 1 or named.count(host) > 1:
                    raise ValueError(f"custom URL {host} must be a name under {CNAME_DOMAIN} that no other tenant holds")
            if tenant.preferred_host() not in named:
                require_loopback(tenant.preferred_host())  # the login redirect's target, also when no listener serves it
            for host in tenant.all_hosts():
                require_loopback(host)
                if host in self.by_host:
                    raise ValueError(f"host {host} belongs to two tenants")
                self.by_host[host] = tenant
        from .remote_access import RemoteAccessTenant  # pylint: disable=import-outside-toplevel
        self.ra_tenants = [RemoteAccessTenant(r) for r in seed.get("remote_access") or [{}]]
        self.ra_by_host = {}
        for ra in self.ra_tenants:
            linked = next((t for t in self.tenants if t.info["tenant_id"] == ra.identity_tenant_id), None)
            if linked is not None:
                linked.provision_integration_user()
            for role, host in ra.hosts.items():
                require_loopback(host)
                if host in self.by_host or host in self.ra_by_host:
                    raise ValueError(f"host {host} is used twice")
                self.ra_by_host[host] = (ra, role)

    def hosts(self) -> list[str]:
        return list(self.by_host) + list(self.ra_by_host)

    def tenant_for(self, host: str) -> Tenant | None:
        """The tenant a listening address or a registered custom URL's name belongs to."""
        tenant = self.by_host.get(host)
        if tenant is None and host.endswith("." + CNAME_DOMAIN):
            tenant = next((t for t in self.tenants if host in t.hosts.get("named", [])), None)
        return tenant

    def dump(self, secrets: bool = False) -> dict:
        return {"tenants": [t.dump(secrets) for t in self.tenants]}

    def save(self, path: str) -> None:
        write_private(path, json.dumps(self.dump(secrets=True), indent=1))


def load_seed(path: str | None) -> dict:
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith((".yml", ".yaml")):
        import yaml  # PyYAML comes with ansible-core
        return yaml.safe_load(text) or {}
    return json.loads(text)
