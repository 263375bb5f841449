# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Roles and playbooks end to end: the onboarding playbook, many tenants at once, an AWX-style run, AWX and EE files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import jinja2
import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOKS = os.path.join(REPO, "playbooks")
BIN = os.path.dirname(sys.executable)
SERVICE = {"client_id": "ansible-svc@acme.com", "client_secret": "Svc-S3cret-Value!"}


def playbook(name, tmp_path, env, extra=(), inventory="localhost,"):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    environment.update(env, ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_NOCOLOR="1")
    command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, os.path.join(PLAYBOOKS, name), *extra]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)


def identity_env(sim, url=None, **credentials):
    creds = credentials or SERVICE
    env = {"CYBERARK_IDENTITY_TENANT_URL": url or sim.legacy["system_url"], "CYBERARK_IDENTITY_CA_PATH": sim.ca_path}
    env.update({f"CYBERARK_IDENTITY_{k.upper()}": v for k, v in creds.items()})
    return env


def demo_extra(report):
    return ["-e", "@" + os.path.join(PLAYBOOKS, "files", "demo_onboarding.yml"),
            "-e", f"onboarding_import_file={os.path.join(PLAYBOOKS, 'files', 'demo_users.csv')}",
            "-e", f"onboarding_import_report_path={report}"]


def users_of(sim, tenant_id):
    return {u["Name"]: u for u in sim.tenant_state(tenant_id)["users"]}


def test_onboarding_playbook_then_rerun_changes_nothing(sim, tmp_path):
    report = str(tmp_path / "report.csv")
    first = playbook("onboard_users.yml", tmp_path, identity_env(sim), demo_extra(report))
    assert first.returncode == 0, first.stdout[-3000:]
    users = users_of(sim, "ABC1234")
    assert {"ada.lovelace@acme.com", "alan.turing@acme.com", "grace.hopper@acme.com", "automation.bot@acme.com"} <= set(users)
    roles = {r["Name"]: r for r in sim.tenant_state("ABC1234")["roles"]}
    assert users["ada.lovelace@acme.com"]["Uuid"] in roles["Help Desk"]["Members"]
    assert sorted(roles["User Administrators"]["Rights"]) == ["/lib/rights/adminportallogin.json", "/lib/rights/dsman.json"]
    assert os.path.exists(report) and "Engine-Passw0rd" not in open(report, encoding="utf-8").read()
    assert "Engine-Passw0rd" not in first.stdout
    assert "3 rows, 3 created, 0 updated, 0 unchanged, 0 invalid, 0 failed" in first.stdout  # a sentence, not a dict
    assert "(item=automation.bot@acme.com)" in first.stdout  # labelled by login name: it carries no password
    sim.post("reset")
    second = playbook("onboard_users.yml", tmp_path, identity_env(sim), demo_extra(report))
    assert second.returncode == 0 and "changed=0" in second.stdout
    assert sim.get("requests")["writes"] == 0


def test_many_tenants_one_host_each(sim, tmp_path):
    inventory = {"identity_tenants": {"hosts": {
        "acme": {"identity_tenant_url": sim.legacy["system_url"], "identity_client_id": SERVICE["client_id"],
                 "identity_client_secret": SERVICE["client_secret"], "onboarding_roles": [{"name": "Acme Ops"}],
                 "onboarding_users": [{"name": "ops.one@acme.com", "email": "ops.one@acme.com", "roles": ["Acme Ops"]}]},
        "globex": {"identity_tenant_url": sim.platform["system_url"], "identity_client_id": "svc@globex.example",
                   "identity_client_secret": "Globex-S3cret!", "onboarding_roles": [{"name": "Globex Ops"}],
                   "onboarding_users": [{"name": "ops.one@globex.example", "email": "ops.one@globex.example", "roles": ["Globex Ops"]}]},
    }, "vars": {"identity_ca_path": sim.ca_path}}}
    path = tmp_path / "tenants.yml"
    path.write_text(yaml.safe_dump(inventory), encoding="utf-8")
    run = playbook("onboard_tenants.yml", tmp_path, {}, ["--forks", "2"], inventory=str(path))
    assert run.returncode == 0, run.stdout[-3000:]
    assert "ops.one@acme.com" in users_of(sim, "ABC1234") and "ops.one@globex.example" not in users_of(sim, "ABC1234")
    assert "ops.one@globex.example" in users_of(sim, "XYZ9876")
    assert "Globex-S3cret!" not in run.stdout


def render_injectors(credential_type, values, directory):
    """Render a credential type's injectors as AWX does: files first, then env referring to them."""
    env_templates = credential_type["injectors"].get("env", {})
    filenames = {}
    for key, template in credential_type["injectors"].get("file", {}).items():
        name = key.split(".", 1)[1]
        path = os.path.join(directory, f"cred-{name}")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(jinja2.Template(template).render(**values))
        filenames[name] = path
    context = dict(values, tower={"filename": filenames})
    return {k: jinja2.Template(v).render(**context) for k, v in env_templates.items()}


class _AnsibleVarsLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
    """Reads ``!unsafe`` strings as Ansible's include_vars does (as text), for checks in Python."""


_AnsibleVarsLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def load_awx(name):
    with open(os.path.join(REPO, "awx", name), encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_AnsibleVarsLoader)  # nosec - a safe loader with one more tag


def load_type(name):
    return next(t for t in load_awx("controller_credential_types.yml")["controller_credential_types"] if t["name"] == name)


def test_awx_style_run_with_ansible_runner(sim, tmp_path, monkeypatch):
    import ansible_runner  # pylint: disable=import-outside-toplevel

    private = tmp_path / "private"
    (private / "env").mkdir(parents=True)
    shutil.copytree(PLAYBOOKS, private / "project")
    credential = load_type("CyberArk Identity")
    with open(sim.ca_path, encoding="utf-8") as handle:
        ca_bundle = handle.read()
    # Fields left empty (timeout, access token, ...) are injected as "" and validate_certs is not set: the modules
    # take their defaults.
    values = {"tenant_url": sim.legacy["system_url"], "client_id": SERVICE["client_id"], "client_secret": SERVICE["client_secret"],
              "oauth_app_id": "", "login_username": "", "login_password": "", "access_token": "", "timeout": "", "max_requests_per_second": "",
              "ca_bundle": ca_bundle, "allowed_redirect_hosts": sim.allowed_hosts}
    envvars = render_injectors(credential, values, str(tmp_path))
    assert envvars["CYBERARK_IDENTITY_TIMEOUT"] == "" and envvars["CYBERARK_IDENTITY_VALIDATE_CERTS"] == ""
    envvars.update(ANSIBLE_COLLECTIONS_PATH=os.environ["ANSIBLE_COLLECTIONS_PATH"], ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"))
    (private / "env" / "envvars").write_text(json.dumps(envvars), encoding="utf-8")
    extravars = {"onboarding_roles": [{"name": "AWX Team"}],
                 "onboarding_users": [{"name": "awx.user@acme.com", "email": "awx.user@acme.com", "roles": ["AWX Team"]}]}
    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))  # the ansible-playbook of this environment
    result = ansible_runner.run(private_data_dir=str(private), playbook="onboard_users.yml", extravars=extravars, quiet=True,
                                inventory="localhost ansible_connection=local")
    assert result.status == "successful" and result.rc == 0
    assert "awx.user@acme.com" in users_of(sim, "ABC1234")
    stdout = result.stdout.read()
    assert SERVICE["client_secret"] not in stdout


@pytest.mark.parametrize("name", ["CyberArk Identity", "CyberArk Remote Access"])
def test_credential_types_inject_what_the_modules_read(name):
    # pylint: disable=import-outside-toplevel
    from ansible_collections.cyberark_community.identity.plugins.module_utils._module import connection_argument_spec
    from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access._remote_access_options import remote_access_argument_spec
    read = set()
    for spec in (connection_argument_spec(), remote_access_argument_spec()):
        for option in spec.values():
            read.update(option["fallback"][1])
    credential = load_type(name)
    fields = {f["id"]: f for f in credential["inputs"]["fields"]}
    assert set(credential["injectors"]["env"]) <= read
    for field_id, field in fields.items():
        if any(word in field_id for word in ("secret", "password", "json")):
            assert field.get("secret") is True, field_id
    templates = " ".join(credential["injectors"]["env"].values()) + " ".join(credential["injectors"].get("file", {}).values())
    referenced = {word.strip("{} %") for word in templates.replace("{{", " ").replace("}}", " ").split() if word.isidentifier()}
    assert referenced - {"if", "endif", "is", "sameas", "false"} <= set(fields)


def test_validate_certs_is_injected_false_only_when_turned_off(tmp_path):
    credential = load_type("CyberArk Identity")
    rendered = [render_injectors(credential, dict(tenant_url="t", ca_bundle="", **value), str(tmp_path))["CYBERARK_IDENTITY_VALIDATE_CERTS"]
                for value in ({}, {"validate_certs": True}, {"validate_certs": False})]
    assert rendered == ["", "", "false"]


def test_awx_files_load_with_include_vars_and_keep_their_templates(tmp_path):
    """infra.aap_configuration reads these files as variables: loading and using them must not render the injectors."""
    play = tmp_path / "load.yml"
    play.write_text(yaml.safe_dump([{"name": "Load", "hosts": "localhost", "gather_facts": False,
                                     "vars": {"ansible_python_interpreter": sys.executable}, "tasks": [
                                         {"ansible.builtin.include_vars": os.path.join(REPO, "awx", "controller_credential_types.yml")},
                                         {"ansible.builtin.include_vars": os.path.join(REPO, "awx", "controller_job_template_bulk_import.yml")},
                                         {"ansible.builtin.include_vars": {"file": os.path.join(REPO, "awx", "controller_job_template_tenants.yml"),
                                                                           "name": "tenants"}},
                                         {"ansible.builtin.copy": {"content": "{{ {'types': controller_credential_types, 'templates': controller_templates,"
                                                                              " 'credentials': controller_credentials, 'tenants': tenants} | to_json }}",
                                                                   "dest": str(tmp_path / "loaded.json"), "mode": "0600"}}]}]),
                    encoding="utf-8")
    environment = dict(os.environ, ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"))
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(play),
                          "-e", "vault_identity_client_secret=from-the-vault",
                          "-e", '{"vault_identity_tenant_client_secrets": {"acme": "a-secret"}}'], capture_output=True, text=True, env=environment,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    loaded = json.loads((tmp_path / "loaded.json").read_text(encoding="utf-8"))
    identity = next(t for t in loaded["types"] if t["name"] == "CyberArk Identity")
    assert identity["injectors"]["env"]["CYBERARK_IDENTITY_TENANT_URL"] == "{{ tenant_url }}"
    assert {"validate_certs", "timeout", "access_token", "allowed_redirect_hosts"} <= {f["id"] for f in identity["inputs"]["fields"]}
    assert loaded["credentials"][0]["inputs"]["client_secret"] == "from-the-vault"  # the example's own variables still render
    tenants = loaded["tenants"]
    assert tenants["controller_inventories"][0]["variables"]["identity_client_secret"].startswith("{{ (identity_tenant_client_secrets")
    assert json.loads(tenants["controller_credentials"][0]["inputs"]["client_secrets"]) == {"acme": "a-secret"}
    secrets_type = next(t for t in loaded["types"] if t["name"] == "CyberArk Identity tenant secrets")
    assert secrets_type["injectors"]["extra_vars"]["identity_tenant_client_secrets"] == "{{ client_secrets }}"


@pytest.mark.parametrize("name", ["controller_job_template_bulk_import.yml", "controller_job_template_tenants.yml"])
def test_job_template_example_names_what_exists(name):
    example = load_awx(name)
    types = {t["name"] for t in load_awx("controller_credential_types.yml")["controller_credential_types"]}
    credentials = {c["name"]: c for c in example["controller_credentials"]}
    assert {c["credential_type"] for c in credentials.values()} <= types
    inventories = {i["name"] for i in example["controller_inventories"]}
    instance_groups = {g["name"] for g in example.get("controller_instance_groups", [])}
    for host in example["controller_hosts"] + example.get("controller_groups", []):
        assert host["inventory"] in inventories
    for group in example.get("controller_groups", []):
        assert set(group["hosts"]) <= {h["name"] for h in example["controller_hosts"] if h["inventory"] == group["inventory"]}
    for template in example["controller_templates"]:
        assert set(template["credentials"]) <= set(credentials)
        assert template["execution_environment"] in {e["name"] for e in example["controller_execution_environments"]}
        assert template["inventory"] in inventories
        assert template["project"] in {p["name"] for p in example["controller_projects"]}
        assert set(template.get("instance_groups", [])) <= instance_groups
        with open(os.path.join(REPO, template["playbook"]), encoding="utf-8") as handle:
            text = handle.read()
        if "{{ tenant_group | default('identity_tenants') }}" in text:  # the play's hosts: the inventory must have that group
            assert "identity_tenants" in {g["name"] for g in example["controller_groups"] if g["inventory"] == template["inventory"]}
        for question in template.get("survey_spec", {}).get("spec", []):
            assert question["variable"] in text, question["variable"]
            if question["type"] == "multiplechoice":
                assert question["default"] in question["choices"]
    for credential in credentials.values():
        fields = {f["id"] for f in load_type(credential["credential_type"])["inputs"]["fields"]}
        assert set(credential["inputs"]) <= fields


def test_the_surveys_plan_only_answer_writes_nothing(sim, tmp_path):
    """The job template's survey sets import_check_mode; it only adds check mode, never removes --check."""
    path = tmp_path / "survey.csv"
    path.write_text("Login Name,Email Address\r\nsurvey.user@acme.com,survey.user@acme.com\r\n", encoding="utf-8")
    runs = {}
    for label, extra in (("plan", ["-e", "import_check_mode=true"]), ("check_flag", ["-e", "import_check_mode=false", "--check"]),
                         ("apply", ["-e", "import_check_mode=false"])):
        sim.post("reset")
        runs[label] = playbook("bulk_import.yml", tmp_path, identity_env(sim), ["-e", f"import_file={path}", *extra])
        assert runs[label].returncode == 0, runs[label].stdout[-3000:]
        writes = sim.get("requests")["writes"]
        created = "survey.user@acme.com" in users_of(sim, "ABC1234")
        assert (writes > 0, created) == ((True, True) if label == "apply" else (False, False)), label


def test_execution_environment_definition_builds_a_context(tmp_path):
    run = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", os.path.join(REPO, "execution-environment.yml"),
                          "--context", str(tmp_path / "context")], capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    build = tmp_path / "context" / "_build"
    # The collection by name and version, not from git main ...
    assert yaml.safe_load((build / "requirements.yml").read_text(encoding="utf-8")) == {
        "collections": [{"name": "cyberark_community.identity", "version": ">=2.0.0,<3.0.0"}]}
    # ... and its own dependencies, as ansible-builder reads them from the installed collection.
    introspect = subprocess.run([os.path.join(BIN, "ansible-builder"), "introspect", "--sanitize", os.environ["ANSIBLE_COLLECTIONS_PATH"]],
                                capture_output=True, text=True, timeout=120, check=False)
    assert introspect.returncode == 0, introspect.stderr
    packages = yaml.safe_load(introspect.stdout.split("\n", 1)[1])
    assert {"urllib3", "openpyxl", "xlrd", "cryptography"} <= {line.split(">")[0].split(" ")[0] for line in packages["python"]}
    assert any(line.startswith("python3") for line in packages["system"])


def test_onboarding_playbook_takes_the_credentials_its_header_names(sim, tmp_path):
    """identity_client_id / identity_client_secret as variables, no CYBERARK_IDENTITY_CLIENT_* in the environment."""
    env = {"CYBERARK_IDENTITY_TENANT_URL": sim.legacy["system_url"], "CYBERARK_IDENTITY_CA_PATH": sim.ca_path}
    extra = ["-e", json.dumps({"identity_client_id": SERVICE["client_id"], "identity_client_secret": SERVICE["client_secret"],
                               "onboarding_roles": [{"name": "Header Vars"}]})]
    run = playbook("onboard_users.yml", tmp_path, env, extra)
    assert run.returncode == 0, run.stdout[-3000:]
    assert any(r["Name"] == "Header Vars" for r in sim.tenant_state("ABC1234")["roles"])
    assert SERVICE["client_secret"] not in run.stdout


def test_remote_access_role_without_its_required_suffix_fails_by_name(tmp_path):
    play = tmp_path / "ra.yml"
    play.write_text(yaml.safe_dump([{"name": "RA", "hosts": "localhost", "gather_facts": False,
                                     "vars": {"ansible_python_interpreter": sys.executable},
                                     "roles": ["cyberark_community.identity.remote_access_onboarding"]}]), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    environment.update(ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_NOCOLOR="1")
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(play)],
                         capture_output=True, text=True, env=environment, timeout=300, check=False)
    assert run.returncode != 0
    assert "remote_access_onboarding_integration_suffix" in run.stdout + run.stderr
    assert "no credentials" not in run.stdout + run.stderr  # the role stops at its argument check, not later


def test_onboarding_checks_its_import_file_before_any_write(sim, tmp_path):
    missing = str(tmp_path / "no_such_users.csv")
    extra = ["-e", "@" + os.path.join(PLAYBOOKS, "files", "demo_onboarding.yml"), "-e", f"onboarding_import_file={missing}"]
    run = playbook("onboard_users.yml", tmp_path, identity_env(sim), extra)
    assert run.returncode != 0
    assert f"identity_onboarding_import_file: no readable file at {missing}" in run.stdout, run.stdout[-3000:]
    assert sim.get("requests")["writes"] == 0  # no suffix, role or user was written first


def test_relative_paths_on_the_command_line_are_the_users_own(sim, tmp_path):
    """As a shell or AWX runs it: from the user's folder, with the paths the guides show, not the playbook's folder."""
    here = tmp_path / "work"
    (here / "files").mkdir(parents=True)
    (here / "files" / "new_hires.csv").write_text("Login Name,Email Address\r\nrel.path@acme.com,rel.path@acme.com\r\n",
                                                  encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CYBERARK_")}
    # PWD as ansible-runner (AWX) leaves it: stale, not the folder it starts ansible-playbook in
    environment.update(identity_env(sim), PWD="/nonexistent-stale", ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_NOCOLOR="1")
    command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", os.path.join(PLAYBOOKS, "bulk_import.yml"),
               "-e", "import_file=files/new_hires.csv", "-e", "report_path=reports/import.csv"]
    run = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=here, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "rel.path@acme.com" in users_of(sim, "ABC1234")
    assert (here / "reports" / "import.csv").exists() and not os.path.exists(os.path.join(PLAYBOOKS, "reports"))


def test_a_misspelt_key_of_a_role_entry_fails_the_argument_check_before_any_write(sim, tmp_path):
    # review 26, L7: a role entry's keys are declared, so a misspelt one is not silently ignored
    extra = ["-e", json.dumps({"onboarding_roles": [{"name": "Typo Role", "administrative_right": ["User Management"]}]})]
    run = playbook("onboard_users.yml", tmp_path, identity_env(sim), extra)
    assert run.returncode != 0
    assert "administrative_right" in run.stdout and "identity_onboarding_roles" in run.stdout, run.stdout[-3000:]
    assert sim.get("requests")["writes"] == 0
    assert all(r["Name"] != "Typo Role" for r in sim.tenant_state("ABC1234")["roles"])
