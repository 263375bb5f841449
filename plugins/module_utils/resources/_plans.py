# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Plans as data: what one user, role or login suffix needs. The readable ``actions`` and the writes both derive
from the plan, so what check mode says is what a real run sends.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

A plan never holds a secret: a password is handed to :meth:`UserPlan.apply` and goes straight to the request.
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _role_rights, _roles, _suffixes, _user_fields, _users
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError, is_refusal

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient

_OPTION_OF = {wire: option for option, wire in _user_fields.TASK_COMPARED.items()}


@dataclasses.dataclass
class UserPlan:
    """One user's writes. ``fields`` and ``write_only`` are wire fields; ``values`` are the option-named values of a create."""

    name: str
    user_id: str | None = None
    create: bool = False
    delete: bool = False
    values: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    fields: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    write_only: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    reset_password: bool = False
    state: str | None = None
    roles_add: dict[str, str] = dataclasses.field(default_factory=dict)  # role name -> role ID
    roles_remove: list[str] = dataclasses.field(default_factory=list)
    send_email_invite: bool = False
    send_sms_invite: bool = False
    # additional attributes: the names that change, and the whole set ExtData/SetColumns is sent (held values with them)
    attributes_changed: list[str] = dataclasses.field(default_factory=list)
    attributes: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    cloud_lock: bool | None = None  # apply (True) or clear (False) the cloud lock
    invite_again: bool = False  # an existing user's invitation, by the send_*_invite channels

    def actions(self) -> list[str]:
        if self.delete:
            return ["delete user"]
        actions = ["create user"] if self.create else []
        if self.fields:
            actions.append("update " + ", ".join(sorted(_OPTION_OF[f] for f in self.fields)))
        if self.write_only:
            actions.append("set account expiry" if self.create else
                           "send write-only options again (update_password is always; they cannot be read back to compare)")
        if self.reset_password:
            actions.append("reset password (update_password is always; a password cannot be read back to compare)")
        if self.state:
            actions.append(f"set account state {self.state}")
        if self.cloud_lock is not None:
            actions.append("apply cloud lock" if self.cloud_lock else "clear cloud lock")
        if self.roles_add:
            actions.append("add to roles: " + ", ".join(sorted(self.roles_add)))
        if self.roles_remove:
            actions.append("remove from roles: " + ", ".join(self.roles_remove))
        if self.attributes_changed:
            actions.append("set additional attributes: " + ", ".join(self.attributes_changed))
        if self.invite_again and not self.create:
            channels = [c for c, on in (("email", self.send_email_invite), ("text", self.send_sms_invite)) if on]
            actions.append("send the invitation again by " + " and ".join(channels) + " (an action: sent on every run that asks)")
        return actions

    def apply(self, client: IdentityClient, password: str | None = None) -> str | None:
        """Send the plan's writes; returns the user's ID (None once deleted)."""
        if self.delete:
            _users.delete(client, str(self.user_id))
            return None
        if self.create:
            payload = _users.create_payload(self.name, dict(self.values, password=password), self.send_email_invite, self.send_sms_invite)
            self.user_id = _users.create(client, payload)
        user_id = str(self.user_id)
        try:
            _users.change(client, user_id, dict(self.fields, **self.write_only))
        except IdentityError as exc:
            if self.create and self.write_only:
                self._write_only_failed(client, user_id, exc)
            raise
        if self.reset_password and password is not None:
            _users.reset_password(client, user_id, password)
        if self.state:
            _users.set_state(client, user_id, self.state)
        if self.cloud_lock is not None:
            _users.set_cloud_lock(client, user_id, self.cloud_lock)
            if _users.cloud_locked(client, user_id) != self.cloud_lock:  # the answer's Result is disputed: the read decides
                raise IdentityError(f"cloud_lock: SetCloudLock answered, but the tenant still shows {self.name} "
                                    f"{'not ' if self.cloud_lock else ''}cloud-locked")
        for role_id in self.roles_add.values():
            _roles.add_users(client, role_id, [self.name])
        if self.roles_remove:
            held = _roles.find_roles(client, self.roles_remove)
            for name in self.roles_remove:
                if name in held:
                    _roles.remove_users(client, held[name]["id"], [self.name])
        if self.attributes_changed:
            _users.set_attributes(client, user_id, self.attributes)
        if self.invite_again and not self.create:
            _users.invite(client, user_id, self.name, email=self.send_email_invite, sms=self.send_sms_invite)
        return user_id

    def _write_only_failed(self, client: IdentityClient, user_id: str, exc: IdentityError) -> t.NoReturn:
        """The user was just created but its write-only fields (the account expiry) were not taken, and no read can
        show them: kept, it would stay without them on every later run. When the tenant refused them (nothing else
        failed), and no invitation went out, the user is deleted again so that the next run creates it whole;
        otherwise the error says what is known and how to send them again."""
        fields = ", ".join(sorted(self.write_only))
        again = "correct the value if needed and run again with update_password=always, which sends it again"
        if not is_refusal(exc):
            raise IdentityError(f"{exc.message}; {self.name} was created, and whether the tenant took {fields} is not known "
                                f"(no read can show it): {again}", **exc.details) from None
        if self.send_email_invite or self.send_sms_invite:
            raise IdentityError(f"{exc.message}; the tenant refused {fields} for the user just created, which is kept since "
                                f"an invitation was sent to it: {self.name} exists without {fields}; {again}", **exc.details) from None
        try:
            _users.delete(client, user_id)
        except IdentityError as undo:
            raise IdentityError(f"{exc.message}; the tenant refused {fields} for the user just created, and deleting it again "
                                f"failed ({undo.message}): {self.name} exists without {fields}; {again}", **exc.details) from None
        raise IdentityError(f"{exc.message}; the tenant refused {fields} for the user just created, which no read can "
                            f"confirm later: {self.name} was deleted again so that the next run creates it whole",
                            **exc.details) from None


@dataclasses.dataclass
class RolePlan:
    """One role's writes; ``description`` is the description to send (with the create, or as an update). ``add`` and
    ``remove`` are user members; ``members_add`` / ``members_remove`` hold the other kinds (Group, Role) by name;
    ``rights_add`` / ``rights_remove`` are administrative rights ``{"name", "path"}``."""

    name: str
    role_id: str | None = None
    create: bool = False
    delete: bool = False
    description: str | None = None
    add: list[str] = dataclasses.field(default_factory=list)
    remove: list[str] = dataclasses.field(default_factory=list)
    members_add: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    members_remove: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    rights_add: list[dict[str, str]] = dataclasses.field(default_factory=list)
    rights_remove: list[dict[str, str]] = dataclasses.field(default_factory=list)
    done: list[str] = dataclasses.field(default_factory=list)  # the actions the tenant answered, in the order sent

    def actions(self) -> list[str]:
        if self.delete:
            return ["delete role"]
        actions = ["create role"] if self.create else []
        if self.description is not None and not self.create:
            actions.append("update description")
        if self.rights_add:
            actions.append("assign administrative rights: " + ", ".join(r["name"] or r["path"] for r in self.rights_add))
        if self.rights_remove:
            actions.append("unassign administrative rights: " + ", ".join(r["name"] or r["path"] for r in self.rights_remove))
        if self.add:
            actions.append("add members: " + ", ".join(self.add))
        if self.remove:
            actions.append("remove members: " + ", ".join(self.remove))
        for kind in ("Group", "Role"):
            if self.members_add.get(kind):
                actions.append(f"add member {kind.lower()}s: " + ", ".join(self.members_add[kind]))
            if self.members_remove.get(kind):
                actions.append(f"remove member {kind.lower()}s: " + ", ".join(self.members_remove[kind]))
        return actions

    def apply(self, client: IdentityClient) -> str | None:
        """Send the plan's writes; returns the role's ID (None once deleted). ``done`` lists the actions the tenant
        answered, so that a failure after them can say the role already changed."""
        self.done = []
        if self.delete:
            _roles.delete(client, str(self.role_id))
            self.done.append("delete role")
            return None
        if self.create:
            self.role_id = _roles.create(client, self.name, self.description)
            self.done.append("create role")
        role_id = str(self.role_id)
        # Groups first: every group was looked up before any write, but only the tenant's answer settles a group, and
        # refused here it leaves no other change but a role the task created.
        groups = self.members_add.get("Group") or []
        try:
            self._send(f"add member groups: {', '.join(groups)}", _roles.add_members, client, role_id, "Group", groups)
        except IdentityError as exc:
            if not is_refusal(exc):
                raise
            raise IdentityError(f"member_groups: the tenant refused {', '.join(groups)}: {exc}", **exc.details) from exc
        if self.description is not None and not self.create:
            _roles.update_description(client, role_id, self.description)
            self.done.append("update description")
        rights_add, rights_remove = [r["path"] for r in self.rights_add], [r["path"] for r in self.rights_remove]
        names = {r["path"]: r["name"] or r["path"] for r in self.rights_add + self.rights_remove}
        self._send("assign administrative rights: " + ", ".join(names[p] for p in rights_add), _role_rights.assign, client, role_id, rights_add)
        self._send("unassign administrative rights: " + ", ".join(names[p] for p in rights_remove), _role_rights.unassign, client, role_id,
                   rights_remove)
        self._send("add members: " + ", ".join(self.add), _roles.add_users, client, role_id, self.add)
        self._send("remove members: " + ", ".join(self.remove), _roles.remove_users, client, role_id, self.remove)
        for kind, change, verb in (("Group", self.members_remove, "remove"), ("Role", self.members_add, "add"),
                                   ("Role", self.members_remove, "remove")):
            names_of_kind = change.get(kind) or []
            writer = _roles.add_members if verb == "add" else _roles.remove_members
            self._send(f"{verb} member {kind.lower()}s: {', '.join(names_of_kind)}", writer, client, role_id, kind, names_of_kind)
        return self.role_id

    def _send(self, action: str, write: t.Callable[..., None], *args: t.Any) -> None:
        """One write of the plan, sent only when its list (the last argument) holds something; noted in ``done``."""
        if args[-1]:
            write(*args)
            self.done.append(action)


@dataclasses.dataclass
class SuffixPlan:
    """One login suffix's write: created (in the Cloud Directory or another directory) or deleted."""

    name: str
    create: bool = False
    delete: bool = False
    cds: bool = True
    domain: str | None = None

    def actions(self) -> list[str]:
        return ["create suffix"] if self.create else ["delete suffix"] if self.delete else []

    def apply(self, client: IdentityClient) -> None:
        if self.create:
            _suffixes.create(client, self.name, cds=self.cds, domain=self.domain)
        elif self.delete:
            _suffixes.delete(client, self.name)
