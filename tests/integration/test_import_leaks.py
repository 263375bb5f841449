# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""No secret in any output of identity_bulk_import, whatever the input looks like: canary passwords are searched for in
the -vvvv output, the Ansible log file, the saved result and the report files; each must hold 0 occurrences."""

from __future__ import annotations

import json
import os
import re
import stat

import pytest
from identity_it import SERVICE_ENV, has_traceback, play_vars  # pylint: disable=import-error

# Each file puts a canary password where a careless file would: past the last header, or shifted into a column
# whose validation error used to echo it.
FILES = {
    "pushed_past_the_last_header": (
        "Login Name,Email Address,Display Name,Password\r\n"
        "leak.one@acme.com,leak.one@acme.com,Doe, Jane,Canary-Leak-Passw0rd-1\r\n", "Canary-Leak-Passw0rd-1"),
    "shifted_into_reports_to": (
        "Login Name,Email Address,Display Name,Mobile number,Reports to,Password\r\n"
        "leak.two@acme.com,leak.two@acme.com,Doe, Jane,Canary-Leak-Passw0rd-2\r\n", "Canary-Leak-Passw0rd-2"),
    "shifted_into_email": (
        "Login Name,Display Name,Email Address,Password\r\n"
        "leak.three@acme.com,Doe, Jane,Canary-Leak-Passw0rd-3\r\n", "Canary-Leak-Passw0rd-3"),
    "set_beside_an_invalid_value": (
        "Login Name,Email Address,Mobile number,Password\r\n"
        "leak.four@acme.com,leak.four@acme.com,not-a-phone,Canary-Leak-Passw0rd-4\r\n", "Canary-Leak-Passw0rd-4"),
}


def prints_invocation(output: str) -> bool:
    """Whether this ansible-core prints a module's invocation at -vvv (2.21 no longer does)."""
    core = re.search(r"\[core (\d+)\.(\d+)", output)
    return core is None or (int(core.group(1)), int(core.group(2))) < (2, 21)


def everything(run, tmp_path):
    """The output, the log file, the saved result and every file the run wrote under tmp_path, as one text."""
    texts = [run.output, str(run.result)]
    for folder, _dirs, files in os.walk(tmp_path):
        for name in files:
            if name.endswith((".csv", ".md", ".html", ".log", ".json")) and name not in ("input.csv", "extra_vars.json"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                    texts.append(handle.read())
    return "\n".join(texts)


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "apply"])
@pytest.mark.parametrize("case", sorted(FILES))
def test_a_careless_file_leaks_no_password(sim, run_playbook, tmp_path, case, check_mode):
    content, canary = FILES[case]
    path = tmp_path / "input.csv"
    path.write_text(content, encoding="utf-8")
    env = dict(SERVICE_ENV, ANSIBLE_LOG_PATH=str(tmp_path / "ansible.log"))
    run = run_playbook("bulk_import.yml", extra_vars=play_vars(sim, import_path=str(path), import_check_mode=check_mode,
                                                               import_report_path=str(tmp_path / "report.csv")),
                       env=env, verbosity=4)
    assert run.result.get("failed") is True, run.output[-2000:]  # every file here has an invalid row
    assert not has_traceback(run.result, run.output)
    assert everything(run, tmp_path).count(canary) == 0
    assert run.result["import"]["problems"], "the problem was reported"
    assert sim.get("requests")["writes"] == 0


def test_inline_passwords_stay_out_of_the_invocation_log_and_reports(sim, run_playbook, tmp_path):
    canary = "Canary-Inline-Passw0rd-5"
    users = [{"login_name": "leak.five@acme.com", "email_address": "leak.five@acme.com", "password": canary},
             {"Login Name": "leak.six@acme.com", "Email Address": "leak.six@acme.com", "Password": canary + "x"}]
    report = tmp_path / "report.csv"
    env = dict(SERVICE_ENV, ANSIBLE_LOG_PATH=str(tmp_path / "ansible.log"))
    run = run_playbook("bulk_import.yml", extra_vars=play_vars(sim, import_users=users, import_report_path=str(report)),
                       env=env, verbosity=4)
    assert run.result.get("failed") is not True, run.result.get("msg") or run.output[-3000:]
    assert "module_args" in run.output or not prints_invocation(run.output)  # -vvvv did print the invocation
    assert everything(run, tmp_path).count(canary) == 0
    stored = {u["Name"] for u in sim.tenant_state("ABC1234")["users"]}
    assert {"leak.five@acme.com", "leak.six@acme.com"} <= stored  # both spellings of the keys work
    for written in run.result["import"]["report_files"]:
        assert stat.S_IMODE(os.stat(written).st_mode) == 0o600


# Options AnsibleModule refuses before the module's own code runs: the invocation it returns must mask the passwords.
REFUSED_OPTIONS = {
    "concurrency_not_a_number": {"concurrency": "sixteen"},
    "misspelt_option": {"concurency": 4},
    "path_with_users": {"path": "/nonexistent/users.csv"},
}


@pytest.mark.parametrize("case", sorted(REFUSED_OPTIONS))
def test_inline_passwords_stay_masked_when_the_options_are_refused(sim, run_playbook, tmp_path, case):
    canary = f"Canary-Refused-Passw0rd-{case}"
    users = [{"login_name": "leak.seven@acme.com", "email_address": "leak.seven@acme.com", "password": canary},
             {"Login Name": "leak.eight@acme.com", "Email Address": "leak.eight@acme.com", "Password": canary + "-2"},
             # distinct canaries: a masked password would mask any text holding it
             {"login_name": "leak.nine@acme.com", "email_address": "leak.nine@acme.com", "PASSWORD": "Upper-Key-Canary-9"},
             {"login_name": "leak.ten@acme.com", "email_address": "leak.ten@acme.com", "attributes": {"Password": "Attr-Key-Canary-10"}}]
    task = {"name": "Import with a refused option", "cyberark_community.identity.identity_bulk_import":
            dict({"users": users, "tenant_url": sim.legacy["system_url"], "ca_path": sim.ca_path}, **REFUSED_OPTIONS[case]),
            "register": "attempt", "ignore_errors": True}
    save = {"name": "Save", "ansible.builtin.copy": {"content": "{{ attempt | to_nice_json }}", "dest": "{{ output_file }}", "mode": "0600"}}
    play = [{"name": "Refused options", "hosts": "localhost", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": [task, save]}]
    playbook = tmp_path / "refused.yml"
    playbook.write_text(json.dumps(play), encoding="utf-8")
    run = run_playbook(str(playbook), env=dict(SERVICE_ENV, ANSIBLE_LOG_PATH=str(tmp_path / "ansible.log")), verbosity=3)
    assert run.result.get("failed") is True
    assert "module_args" in run.output or not prints_invocation(run.output)  # masking is what kept the secrets out
    text = everything(run, tmp_path)
    assert [text.count(secret) for secret in (canary, "Upper-Key-Canary-9", "Attr-Key-Canary-10")] == [0, 0, 0]
    assert sim.get("requests")["total"] == 0
