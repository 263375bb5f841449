#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: identity_user
short_description: Manage a CyberArk Cloud Directory user
version_added: 0.1.0
description:
  - Creates, updates, enables, disables, locks and deletes one CyberArk Cloud Directory user, service users included.
  - Only the options given are managed; a second identical run changes nothing and sends no write request.
  - "Every input is checked before anything is sent: the login name and its suffix, the email address, phone
    numbers, the description, the password against the default policy, the manager and every role."
author:
  - CyberArk Community Identity maintainers (@cyberark-community)
options:
  name:
    description:
      - Login name with its suffix, for example V(jane.doe@acme.com). Login names compare case-insensitively.
      - The login part may hold UTF-8 letters and digits and the symbols V(+), V(-), V(_) and V(.).
      - The suffix must exist on the tenant (see M(cyberark_community.identity.identity_login_suffix)). A suffix of an
        Active Directory or LDAP domain is accepted with a warning, because the user is created in the Cloud Directory,
        not in that directory.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the user exists and leaves its account state alone.
      - V(enabled), V(disabled) and V(locked) make sure it exists in that account state (C(CDirectoryService/SetUserState)).
      - V(absent) deletes it.
    type: str
    choices: [present, absent, enabled, disabled, locked]
    default: present
  email:
    description: The user's one email address.
    type: str
  display_name:
    description: The name shown for the user.
    type: str
  description:
    description: A description of at most 128 characters.
    type: str
  office_number:
    description: Office phone, as V(1234567890), V(123-456-7890) or E.164 (V(+14155550100)).
    type: str
  mobile_number:
    description: Mobile phone, in the same forms as O(office_number). Needed for O(send_sms_invite).
    type: str
  home_number:
    description: Home phone, in the same forms as O(office_number).
    type: str
  password:
    description:
      - The user's password, checked against the default policy (at least 8 characters with a digit, an upper case
        and a lower case letter) before it is sent; the tenant's own policy may be stricter and its error is reported.
      - A password cannot be read back, so it is sent according to O(update_password).
      - Without a password, a new user gets a random one from the tenant (use O(send_email_invite) so the user can sign in).
    type: str
  update_password:
    description:
      - V(on_create) sends O(password) only when the user is created.
      - V(always) resets it on every run, which reports a change every time because the current password cannot be compared.
      - Also governs the other write-only options, O(force_password_change), O(password_never_expires) and
        O(account_expiry), which cannot be read back through the public API either.
    type: str
    choices: [on_create, always]
    default: on_create
  force_password_change:
    description: Whether the user must change the password at the next login (the tenant's default is V(true)). Write-only, see O(update_password).
    type: bool
  password_never_expires:
    description: Whether the password never expires. Write-only, see O(update_password).
    type: bool
  account_expiry:
    description:
      - Date (V(2027-01-31)) or date and time after which the account expires. Write-only, see O(update_password).
      - Sent as a UTC date and time with C(Z), the form CyberArk's API reference shows (V(2027-01-31T00:00:00Z) for a
        date; a time without an offset is taken as UTC).
      - No public source shows a read of the expiry (C(GetUsers) answers C(StartDate) and C(EndDate) on some tenants,
        and no source ties them to C(AccountExp)), so it is not compared. If the tenant refuses the expiry of a user
        the task has just created, and no invitation went out, the task deletes that user again and fails, so that the
        next run creates it with its expiry rather than leave it without one for good. Otherwise (an invitation sent,
        or an error that does not say whether the expiry was taken) the task fails saying so; O(update_password=always)
        sends the expiry again.
    type: str
  reports_to:
    description: Login name of the user's manager, who must exist.
    type: str
  service_user:
    description:
      - Whether the user is a service user, dedicated to API and automation tasks (least privilege, no MFA policy, no
        portal access). Applied when the user is created; the public API does not report it back.
    type: bool
  oauth_client:
    description:
      - Whether the user is an OAuth confidential client, the service user that obtains tokens with the client
        credentials flow (as this collection's recommended login does). Implies O(service_user).
    type: bool
  in_everybody_role:
    description:
      - Whether the new user joins the Everybody role. Only settable when the user is created; on an existing user a
        different value is reported with a warning and not changed. Service users never join it.
    type: bool
  send_email_invite:
    description:
      - Whether the tenant emails the new user an invitation. Off unless set, so that a playbook never emails users
        by surprise (the service itself would send one by default). Used when the user is created, and as a channel of
        O(invite_again).
    type: bool
    default: false
  send_sms_invite:
    description:
      - Whether the tenant texts the new user an invitation (needs a mobile number). Used when the user is created, and
        as a channel of O(invite_again).
    type: bool
    default: false
  invite_again:
    description:
      - Send an existing user its invitation again (C(UserMgmt/InviteUsers)), by email with O(send_email_invite) and by
        text with O(send_sms_invite) (at least one of them).
      - An invitation is an action, not a state, and no public read shows one was sent, so the task sends it each time it
        runs with V(true) and reports a change; check mode sends none. A user the task creates gets its invitation with
        the create instead, never twice.
    type: bool
    default: false
    version_added: 2.0.0
  roles:
    description:
      - Names of roles the user should hold. Role names are case-sensitive; every role must exist.
      - The Everybody role is never listed or removed here.
    type: list
    elements: str
  purge_roles:
    description: Whether roles the user holds but O(roles) does not list are removed. With V(false), O(roles) are only added.
    type: bool
    default: false
  cloud_lock:
    description:
      - "V(true) applies a cloud lock with C(UserMgmt/SetCloudLock), which keeps the user from signing in until the lock is
        cleared; V(false) clears it. The lock is read back after the write. Not set, the cloud lock is left as it is."
      - "Every run against an existing user reads both locks (C(IsUserCloudLocked), C(IsUserLockedOutByPolicy)): two
        requests. A read the tenant refuses is reported as V(null) with a warning, unless O(cloud_lock) is given."
      - "The service has three locks, each reported in RV(user): the account state V(locked) (O(state), C(SetUserState)),
        the cloud lock (this option, read with C(IsUserCloudLocked)), and a lockout by the tenant's policy after failed
        MFA challenges (RV(user.locked_out_by_policy), read with C(IsUserLockedOutByPolicy)). No public endpoint clears
        a lockout by policy; it ends as the policy says."
    type: bool
    version_added: 2.0.0
  attributes:
    description:
      - Additional attributes of the user (C(ExtData)), by the names the tenant defines (Settings > Customization >
        Additional Attributes). Only the attributes given are managed; a value of V(null) or an empty string clears one.
      - Values are compared and sent by the column type the tenant's schema gives (a True/False column takes V(true)
        or V(false), a number column a whole number, a date column V(YYYY-MM-DD)), so a second run changes nothing.
      - A name the tenant does not define, or a value its column cannot take, fails the task before any write.
      - Reading them costs one request (C(ExtData/GetColumns)); the tenant takes the whole set back in one write.
    type: dict
    version_added: 2.0.0
extends_documentation_fragment:
  - cyberark_community.identity.connection
  - cyberark_community.identity.connection.modules
  - cyberark_community.identity.attributes
  - cyberark_community.identity.attributes.WRITER
notes:
  - Passwords and the other write-only options never appear in the result, the diff or any message.
seealso:
  - module: cyberark_community.identity.identity_user_info
  - module: cyberark_community.identity.identity_role
  - module: cyberark_community.identity.identity_login_suffix
"""

EXAMPLES = r"""
- name: Create or update a user, without sending any invitation
  cyberark_community.identity.identity_user:
    name: jane.doe@acme.com
    email: jane.doe@acme.com
    display_name: Jane Doe
    mobile_number: "+14155550100"
    password: "{{ vault_initial_password }}"
    force_password_change: true
    roles:
      - Help Desk

- name: A service user for automation
  cyberark_community.identity.identity_user:
    name: ansible-svc@acme.com
    oauth_client: true
    password: "{{ vault_service_secret }}"
    password_never_expires: true
    roles:
      - Automation

- name: Make the roles exact, removing any other
  cyberark_community.identity.identity_user:
    name: jane.doe@acme.com
    roles: [Help Desk, Auditors]
    purge_roles: true

- name: Lock the account
  cyberark_community.identity.identity_user:
    name: jane.doe@acme.com
    state: locked

- name: Clear a cloud lock an administrator applied
  cyberark_community.identity.identity_user:
    name: jane.doe@acme.com
    cloud_lock: false

# not run against the simulator: its tenant defines no additional attribute (test_examples.py defines these two for it)
- name: Set additional attributes the tenant defines
  cyberark_community.identity.identity_user:
    name: jane.doe@acme.com
    attributes:
      CostCenter: "4711"
      Contractor: false

- name: Send an existing user its invitation email again (each run sends one)
  cyberark_community.identity.identity_user:
    name: jane.doe@acme.com
    invite_again: true
    send_email_invite: true

- name: Delete the user
  cyberark_community.identity.identity_user:
    name: jane.doe@acme.com
    state: absent
"""

RETURN = r"""
user:
  description: The user as the module leaves it (predicted in check mode); empty after deletion. Never holds a secret.
  returned: always
  type: dict
  contains:
    id:
      description: The user's ID (V(null) in check mode before creation).
      type: str
      sample: "c2b5e7a0-1f7d-4c1e-9a55-0e8f4b6d2a11"
    name:
      description: Login name.
      type: str
      sample: "jane.doe@acme.com"
    email:
      description: Email address.
      type: str
      sample: "jane.doe@acme.com"
    display_name:
      description: Display name.
      type: str
      sample: "Jane Doe"
    description:
      description: Description.
      type: str
      sample: "Help desk agent"
    office_number:
      description: Office phone.
      type: str
      sample: "4155550100"
    mobile_number:
      description: Mobile phone.
      type: str
      sample: "+14155550101"
    home_number:
      description: Home phone.
      type: str
      sample: null
    reports_to:
      description: ID of the manager.
      type: str
      sample: "0b8c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"
    in_everybody_role:
      description: Whether the user is in the Everybody role.
      type: bool
      sample: true
    oauth_client:
      description: Whether the user is an OAuth confidential client.
      type: bool
      sample: false
    account_state:
      description: V(enabled), V(disabled), V(locked) or V(expired).
      type: str
      sample: "enabled"
    cloud_locked:
      description: Whether a cloud lock holds the user (see O(cloud_lock)); V(null) when the tenant refused the read.
      type: bool
      sample: false
    locked_out_by_policy:
      description: >-
        Whether the tenant's lockout policy keeps the user from answering MFA challenges (no public endpoint clears it);
        V(null) when the tenant refused the read.
      type: bool
      sample: false
    roles:
      description: Roles the user holds (Everybody excluded).
      type: list
      sample: ["Help Desk"]
      elements: str
    attributes:
      description: Every additional attribute the user holds, as the tenant answers it; returned when O(attributes) is given.
      type: dict
      sample: {"CostCenter": "4711", "Contractor": false}
  sample:
    id: 5b3f4a8e-8d3e-4a57-9f00-2c6f0a2d2f11
    name: jane.doe@acme.com
    email: jane.doe@acme.com
    display_name: Jane Doe
    account_state: enabled
    roles: [Help Desk]
actions:
  description: What the module did, or would do in check mode, in order.
  returned: always
  type: list
  elements: str
  sample: ["create user", "add to roles: Help Desk"]
"""

import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import (
    _attributes, _compare, _plans, _roles, _suffixes, _user_fields, _users, _validate,
)
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import ApiError, ConfigurationError, is_refusal
from ansible_collections.cyberark_community.identity.plugins.module_utils._module import IdentityModule

# compared with what the tenant holds (an OAuth client can be turned on and off)
COMPARED = _user_fields.TASK_COMPARED
# sent with CreateUser besides the fields read back: the password and the flags
CREATE_OPTIONS = tuple(option for option in _user_fields.CREATE_FIELDS if option not in _users.READABLE_FIELDS)


def input_errors(params: dict[str, t.Any]) -> list[str]:
    """Every problem with the options, each naming its option; checked before any request."""
    errors = []
    for option in _user_fields.check_order(_user_fields.TASK):
        if params.get(option) is not None:
            problem = _user_fields.BY_OPTION[option].task_error(params[option])
            if problem:
                errors.append(problem)
    for role in params.get("roles") or []:
        problem = _validate.role_name_error(role)
        if problem:
            errors.append(f"roles: {role[:40]!r} {problem}")
    if params.get("send_sms_invite") and not params.get("mobile_number") and not params.get("invite_again"):
        errors.append("send_sms_invite needs mobile_number")
    if params.get("invite_again") and not (params.get("send_email_invite") or params.get("send_sms_invite")):
        errors.append("invite_again needs send_email_invite or send_sms_invite: the channel to send the invitation by")
    if params.get("state") == "absent":
        given = {"invite_again": bool(params.get("invite_again")), "cloud_lock": params.get("cloud_lock") is not None,
                 "attributes": params.get("attributes") is not None}
        errors += [f"{option} cannot go with state=absent" for option, is_given in given.items() if is_given]
    return errors


def suffix_error(module: IdentityModule, client: IdentityClient, name: str) -> str | None:
    suffix = _validate.split_login(name)[1]
    known = _suffixes.list_suffixes(client)
    match = _suffixes.find(known, suffix)
    if match is None:
        return (f"name: the login suffix {suffix!r} does not exist on the tenant; its suffixes are "
                f"{', '.join(s['name'] for s in known) or '(none)'}")
    if not match["cds"]:
        module.warn(f"{suffix} belongs to an Active Directory or LDAP domain: {name} is created in the CyberArk Cloud Directory, not in that directory")
    return None


def resolve(client: IdentityClient, params: dict[str, t.Any]) -> tuple[str | None, dict[str, dict[str, t.Any]], list[str]]:
    """The manager's ID, the wanted roles by name, and a problem for each that does not exist (errors before any write).
    Values the local checks refused are not looked up: they are reported already."""
    manager_id, errors = None, []
    if params.get("reports_to") and _validate.login_name_error(params["reports_to"]) is None:
        manager_id = _users.ids_by_name(client, [params["reports_to"]]).get(params["reports_to"].lower())
        if manager_id is None:
            errors.append(f"reports_to: no user named {params['reports_to']} exists")
    wanted = [r for r in params.get("roles") or [] if _validate.role_name_error(r) is None]
    roles = _roles.find_roles(client, wanted) if wanted else {}
    missing = sorted(set(wanted) - set(roles))
    if missing:
        errors.append(f"roles: no role named {', '.join(missing)} exists (role names are case-sensitive); create roles first")
    return manager_id, roles, errors


def desired_readable(params: dict[str, t.Any], manager_id: str | None) -> dict[str, t.Any]:
    wanted = {option: params[option] for option in _users.READABLE_FIELDS if params.get(option) is not None and option != "reports_to"}
    if manager_id:
        wanted["reports_to"] = manager_id
    return wanted


def create_values(params: dict[str, t.Any], manager_id: str | None) -> dict[str, t.Any]:
    """The option-named values a new user is created with (the password is handed to the apply separately)."""
    values = desired_readable(params, manager_id)
    values.update({option: params[option] for option in CREATE_OPTIONS if option != "password" and params.get(option) is not None})
    return values


def predicted_new_user(params: dict[str, t.Any], manager_id: str | None) -> dict[str, t.Any]:
    user = dict.fromkeys(["id", *_users.READABLE_FIELDS])
    user.update(desired_readable(params, manager_id), name=params["name"])
    service = bool(params.get("service_user") or params.get("oauth_client"))
    everybody = params.get("in_everybody_role")
    user.update(
        in_everybody_role=False if service else (True if everybody is None else everybody),
        oauth_client=bool(params.get("oauth_client")),
        account_state=params["state"] if params["state"] in _users.WIRE_STATES else "enabled",
        cloud_locked=bool(params.get("cloud_lock")),
        locked_out_by_policy=False,
        roles=sorted(params.get("roles") or []),
    )
    return user


def write_only_values(params: dict[str, t.Any]) -> dict[str, t.Any]:
    """Wire fields of the write-only options given (the account expiry as the service takes it)."""
    return {field: _validate.parse_date(params[option]) if option == "account_expiry" else params[option]
            for option, field in _users.WRITE_ONLY_FIELDS.items() if params.get(option) is not None}


def plan_create(params: dict[str, t.Any], manager_id: str | None, roles: dict) -> tuple[_plans.UserPlan, dict[str, t.Any]]:
    after = predicted_new_user(params, manager_id)
    expiry = write_only_values(params).get("AccountExp")
    plan = _plans.UserPlan(
        name=params["name"], create=True, values=create_values(params, manager_id),
        write_only={"AccountExp": expiry} if expiry else {},
        state=after["account_state"] if after["account_state"] != "enabled" else None,
        roles_add={name: role["id"] for name, role in roles.items()},
        send_email_invite=params["send_email_invite"], send_sms_invite=params["send_sms_invite"],
        cloud_lock=True if params.get("cloud_lock") else None,
    )
    return plan, after


def plan_update(module: IdentityModule, params: dict[str, t.Any], current: dict[str, t.Any], manager_id: str | None,
                roles: dict) -> tuple[_plans.UserPlan, dict[str, t.Any]]:
    wanted = dict(desired_readable(params, manager_id), oauth_client=params.get("oauth_client"))
    if params.get("in_everybody_role") is not None and params["in_everybody_role"] != current["in_everybody_role"]:
        module.warn("in_everybody_role can only be set when a user is created; the existing user is left as it is")
    always = params["update_password"] == "always"
    mode = "exact" if params["purge_roles"] else "append"
    to_add, to_remove = _compare.list_changes(current["roles"], params.get("roles"), mode)
    plan = _plans.UserPlan(
        name=current["name"], user_id=current["id"],
        fields=_compare.field_changes(current, wanted, COMPARED),
        write_only=write_only_values(params) if always else {},
        reset_password=always and params.get("password") is not None,
        state=params["state"] if params["state"] in _users.WIRE_STATES and current["account_state"] != params["state"] else None,
        roles_add={name: roles[name]["id"] for name in to_add}, roles_remove=to_remove,
        cloud_lock=params["cloud_lock"] if params.get("cloud_lock") is not None and params["cloud_lock"] != current["cloud_locked"] else None,
        invite_again=bool(params.get("invite_again")),
        send_email_invite=params["send_email_invite"], send_sms_invite=params["send_sms_invite"],
    )
    after = dict(current)
    after.update({option: wanted[option] for option, field in COMPARED.items() if field in plan.fields})
    if plan.state:
        after["account_state"] = plan.state
    if plan.cloud_lock is not None:
        after["cloud_locked"] = plan.cloud_lock
    after["roles"] = sorted((set(current["roles"]) | set(to_add)) - set(to_remove))
    return plan, after


def tenant_checks(module: IdentityModule, client: IdentityClient, problems: list[str]) -> list[str]:
    """The options' problems joined with those only the tenant can show (suffix, manager, roles), in one message
    before any write; the manager's ID and the roles found are kept in ``module.checked`` for :func:`run`. Removing a
    user needs none of them."""
    if module.params["state"] == "absent":
        return problems
    params = module.params
    suffix_problem = suffix_error(module, client, params["name"]) if _validate.login_name_error(params["name"]) is None else None
    manager_id, roles, missing = resolve(client, params)
    schema, attribute_problems = attribute_errors(client, params.get("attributes"))
    module.checked = (manager_id, roles, schema)
    return ([suffix_problem] if suffix_problem else []) + problems + missing + attribute_problems


def invitation_address_error(params: dict[str, t.Any], plan: _plans.UserPlan, after: dict[str, t.Any]) -> str | None:
    """An invitation by a channel the user has no address for: a text needs a mobile number, an email an address."""
    if plan.delete or not (plan.create or plan.invite_again):
        return None
    if params["send_sms_invite"] and not after.get("mobile_number"):
        return "send_sms_invite needs mobile_number: the user has no mobile number to text the invitation to"
    if plan.invite_again and params["send_email_invite"] and not after.get("email"):
        return "send_email_invite needs email: the user has no email address to send the invitation to"
    return None


def lock_facts(module: IdentityModule, client: IdentityClient, user_id: str, needed: bool) -> dict[str, t.Any]:
    """The user's cloud lock and lockout by policy (two reads). A read the tenant refuses is reported as null with a
    warning, unless the task manages the cloud lock (``needed``), which then fails: a task that only sets a field does
    not fail over a read with community sources only (docs/api_sources.md)."""
    facts: dict[str, t.Any] = {}
    for key, read in (("cloud_locked", _users.cloud_locked), ("locked_out_by_policy", _users.locked_out_by_policy)):
        try:
            facts[key] = read(client, user_id)
        except ApiError as exc:
            if needed and key == "cloud_locked" or not is_refusal(exc):
                raise
            module.warn(f"{key} is unknown: the tenant refused the read ({exc.message})")
            facts[key] = None
    return facts


def attribute_errors(client: IdentityClient, given: dict[str, t.Any] | None) -> tuple[dict[str, str], list[str]]:
    """The tenant's attribute schema (read only when attributes are given) and a problem for each attribute it does not
    define or whose value its column cannot take."""
    if not given:
        return {}, []
    schema = _users.attribute_schema(client)
    problems = []
    for name, value in sorted(given.items()):
        if name not in schema:
            problems.append(f"attributes: the tenant defines no additional attribute named {name} (it defines "
                            f"{', '.join(sorted(schema)) or 'none'})")
        elif value not in (None, ""):
            try:
                _attributes.wanted(attribute_text(value), schema[name])
            except ValueError as exc:
                problems.append(f"attributes.{name}: {exc}")
    return schema, problems


def attribute_text(value: t.Any) -> str:
    return value if isinstance(value, str) else _attributes.as_text(value)


def attribute_changes(given: dict[str, t.Any], schema: dict[str, str], held: dict[str, t.Any]) -> tuple[list[str], dict[str, t.Any], dict[str, t.Any]]:
    """(the names whose value changes, the whole set to send, every value after), compared by column type."""
    changed: list[str] = []
    values: dict[str, t.Any] = {}
    for name, value in sorted(given.items()):
        if value in (None, ""):
            if held.get(name) not in (None, ""):
                changed.append(name)
                values[name] = None  # null clears a value (ExtData/SetColumns reference)
            continue
        kind, wire = _attributes.wanted(attribute_text(value), schema.get(name), held.get(name))
        if not _attributes.same(held.get(name), wire, kind):
            changed.append(name)
            values[name] = wire
    # the whole set, as the SDKs send it, but only what the schema defines (a key it lacks would fail the write)
    send = _attributes.whole_set({k: v for k, v in held.items() if k in schema}, schema, values) if changed else {}
    return changed, send, dict(held, **values)


def run(module: IdentityModule, client: IdentityClient) -> dict[str, t.Any]:
    """Bring the user to the wanted state (its options checked by :func:`tenant_checks`); returns the module result."""
    params = module.params
    if params["state"] == "absent":
        current = _users.find_user(client, params["name"])
        if current is None:
            return {"changed": False, "user": {}, "actions": [], "diff": {"before": {}, "after": {}}}
        plan, before, after = _plans.UserPlan(name=current["name"], user_id=current["id"], delete=True), current, {}
    else:
        manager_id, roles, schema = module.checked
        current = _users.find_user(client, params["name"])
        if current is None:
            plan, after = plan_create(params, manager_id, roles)
            before = {}
            held: dict[str, t.Any] = {}
        else:
            current["roles"] = _users.role_names(client, current["id"])
            current.update(lock_facts(module, client, current["id"], params.get("cloud_lock") is not None))
            held = _users.read_attributes(client, current["id"]) if params.get("attributes") is not None else {}
            plan, after = plan_update(module, params, current, manager_id, roles)
            before = current
        if params.get("attributes") is not None:
            plan.attributes_changed, plan.attributes, after["attributes"] = attribute_changes(params["attributes"], schema, held)
            if current is not None:
                before = dict(before, attributes=held)
    address_problem = invitation_address_error(params, plan, after)
    if address_problem:
        raise ConfigurationError(address_problem)
    actions = plan.actions()
    if actions and not module.check_mode:
        user_id = plan.apply(client, params.get("password"))
        if plan.create:
            after["id"] = user_id
    return {"changed": bool(actions), "user": after, "actions": actions, "diff": {"before": before, "after": after}}


def main() -> None:
    module = IdentityModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent", "enabled", "disabled", "locked"]),
            email=dict(type="str"),
            display_name=dict(type="str"),
            description=dict(type="str"),
            office_number=dict(type="str"),
            mobile_number=dict(type="str"),
            home_number=dict(type="str"),
            password=dict(type="str", no_log=True),
            update_password=dict(type="str", default="on_create", choices=["on_create", "always"], no_log=False),
            force_password_change=dict(type="bool", no_log=False),
            password_never_expires=dict(type="bool", no_log=False),
            account_expiry=dict(type="str"),
            reports_to=dict(type="str"),
            service_user=dict(type="bool"),
            oauth_client=dict(type="bool"),
            in_everybody_role=dict(type="bool"),
            send_email_invite=dict(type="bool", default=False),
            send_sms_invite=dict(type="bool", default=False),
            roles=dict(type="list", elements="str"),
            purge_roles=dict(type="bool", default=False),
            attributes=dict(type="dict"),
            cloud_lock=dict(type="bool"),
            invite_again=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    module.execute(run, checks=input_errors, tenant_checks=tenant_checks)


if __name__ == "__main__":
    main()
