# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator itself: schemes, path forms, faults, token expiry, unknown-field recording, persistence; and on a shared machine:
loopback only, a token for /_sim/, files of mode 0600, no password in clear in any of them."""

from __future__ import annotations

import hashlib
import json
import os
import re
import selectors
import stat
import subprocess
import sys
import time
import typing as t

import idsim  # pylint: disable=import-error
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from idsim import passwords, redrock_dialect  # pylint: disable=import-error
import requests
from idsim.server import Simulator  # pylint: disable=import-error
from idsim.state import World, load_seed  # pylint: disable=import-error

SVC = {"grant_type": "client_credentials", "client_id": "ansible-svc@acme.com", "client_secret": "Svc-S3cret-Value!"}


@pytest.fixture
def http_sim():
    sim = Simulator(World(), scheme="http", seed=1)
    info = sim.start()
    try:
        yield sim, info
    finally:
        sim.stop()


def token(base, verify=True):
    return requests.post(base + "/oauth2/platformtoken", data=SVC, timeout=10, verify=verify).json()["access_token"]


def test_plain_http_and_path_forms(http_sim):
    sim, info = http_sim
    base = info["tenants"][0]["preferred_url"]
    headers = {"Authorization": "Bearer " + token(base)}
    for path in ("/SysInfo/About", "/sysinfo/about/", "/api/idadmin/SYSINFO/About", "/SysInfo/About?x=1"):
        body = requests.post(base + path, headers=headers, timeout=10).json()
        assert body["success"] is True and body["Result"]["CompanyName"] == "Acme Corporation", path
    assert "/sysinfo/about" in sim.unknown and "?x" in sim.unknown["/sysinfo/about"]


def test_answer_time_counts_the_added_latency(http_sim):
    sim, info = http_sim
    base = info["tenants"][0]["preferred_url"]
    headers = {"Authorization": "Bearer " + token(base)}
    sim.reset()
    sim.faults["latency_ms"] = 50
    for _call in range(3):
        requests.post(base + "/SysInfo/About", headers=headers, timeout=10)
    assert 50 <= sim.counters()["answer_ms_mean"] < 1000  # every answer waited its 50 ms
    sim.reset()
    assert sim.counters()["answer_ms_mean"] == 0


def test_errors_are_http_200_envelopes_and_bad_tokens_401(http_sim):
    _sim, info = http_sim
    base = info["tenants"][0]["preferred_url"]
    response = requests.post(base + "/Redrock/query", json={"Script": "DELETE FROM User"}, headers={"Authorization": "Bearer " + token(base)}, timeout=10)
    assert response.status_code == 200 and response.json()["success"] is False and response.json()["ErrorID"]
    assert requests.post(base + "/SysInfo/About", headers={"Authorization": "Bearer forged"}, timeout=10).status_code == 401


def test_unknown_fields_are_recorded(http_sim):
    sim, info = http_sim
    base = info["tenants"][0]["preferred_url"]
    requests.post(base + "/Security/StartAuthentication", json={"User": "a@acme.com", "Version": "1.0", "Surprise": 1}, timeout=10)
    requests.post(base + "/oauth2/platformtoken", data=dict(SVC, extra="x"), timeout=10)
    recorded = requests.get(info["sim_url"] + "/unknown_fields", headers=sim_headers(sim), timeout=10).json()
    assert recorded == {"/security/startauthentication": ["Surprise"], "/oauth2/platformtoken": ["extra"]}


def test_redrock_pages_and_full_count(http_sim):
    sim, info = http_sim
    tenant = sim.world.tenants[0]
    for i in range(25):
        tenant.add_user({"Name": f"page{i:02d}@acme.com"})
    base = info["tenants"][0]["preferred_url"]
    headers = {"Authorization": "Bearer " + token(base)}
    script = "Select ID, Username from User WHERE Username LIKE 'page%' ORDER BY Username"
    pages = [requests.post(base + "/Redrock/query", json={"Script": script, "args": {"PageNumber": n, "PageSize": 10}}, headers=headers,
                           timeout=10).json()["Result"] for n in (1, 2, 3)]
    assert [p["Count"] for p in pages] == [10, 10, 5] and {p["FullCount"] for p in pages} == {25}
    assert pages[2]["Results"][-1]["Row"]["Username"] == "page24@acme.com"


def test_expired_and_revoked_tokens_are_refused(http_sim):
    sim, info = http_sim
    base = info["tenants"][0]["preferred_url"]
    good = token(base)
    requests.post(info["sim_url"] + "/revoke_tokens", json={}, headers=sim_headers(sim), timeout=10)
    assert requests.post(base + "/SysInfo/About", headers={"Authorization": "Bearer " + good}, timeout=10).status_code == 401
    assert requests.post(base + "/SysInfo/About", headers={"Authorization": "Bearer " + token(base)}, timeout=10).status_code == 200


def test_login_names_are_unique_case_insensitively():
    world = World()
    with pytest.raises(ValueError, match="unique"):
        world.tenants[0].add_user({"Name": "ADMIN@acme.com"})


def test_state_persists_and_seeds_again(tmp_path):
    path = str(tmp_path / "saved.json")
    sim = Simulator(World(), scheme="http", persist=path)
    sim.start()
    sim.world.tenants[0].add_user({"Name": "kept@acme.com", "Password": "Kept-Passw0rd"})
    sim.stop()
    again = World(load_seed(path))
    user = again.tenants[0].find_user("kept@acme.com")
    assert user is not None and passwords.matches(user["password"], "Kept-Passw0rd") and not passwords.matches(user["password"], "Kept")
    dumped = json.dumps(again.dump())
    assert "Kept-Passw0rd" not in dumped and "PasswordFingerprint" in dumped


def test_its_own_directory_holds_no_ca_key_and_is_removed_when_it_stops():
    sim = Simulator(World(), scheme="https")
    info = sim.start()
    directory = os.path.dirname(info["ca_path"])
    service_accounts = [os.path.basename(r["service_account_file"]) for r in info["remote_access"]]
    assert {os.path.dirname(r["service_account_file"]) for r in info["remote_access"]} == {directory}
    assert sorted(os.listdir(directory)) == sorted(["ca.pem", "server.pem", "server.key"] + service_accounts)
    with open(os.path.join(directory, "ca.pem"), "rb") as ca, open(os.path.join(directory, "server.key"), "rb") as key:
        ca_public, server_key = x509.load_pem_x509_certificate(ca.read()).public_key(), serialization.load_pem_private_key(key.read(), None)
    # The only key beside the CA is the server's: nothing on disk can sign a certificate the CA bundle would trust.
    assert server_key.public_key().public_numbers() != ca_public.public_numbers()
    sim.stop()
    assert not os.path.exists(directory)


def test_tls_certificate_verifies_only_with_the_generated_ca(sim):
    url = sim.legacy["preferred_url"] + "/oauth2/platformtoken"
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(url, data=SVC, timeout=10)
    assert requests.post(url, data=SVC, timeout=10, verify=sim.ca_path).status_code == 200


@pytest.mark.parametrize("script", [
    "Select ID, Username from User WHERE Username='a@acme.com'",
    "Select ID, Name from CDUser WHERE ID = 'x' OR ID = 'y'",
    "Select * from Role ORDER BY Name COLLATE NOCASE",
    "Select ID from CDUser WHERE (Name LIKE '%a%' OR Mail LIKE '%it''s%') ORDER BY Name",
])
def test_redrock_accepts_the_documented_dialect(script):
    redrock_dialect.check(script)


@pytest.mark.parametrize("script, words", [
    ("Select ID from CDUser WHERE lower(Name) = 'a'", "expected LIKE"),
    ("Select ID from CDUser WHERE Name IN ('a', 'b')", "expected LIKE"),
    ("Select ID from CDUser WHERE Name = 'a' COLLATE NOCASE", "COLLATE"),
    ("Select ID from User; DELETE FROM User", "unsupported text"),
    ("DELETE FROM User", "expected SELECT"),
])
def test_redrock_refuses_what_no_public_source_shows(script, words):
    with pytest.raises(redrock_dialect.DialectError, match=words):
        redrock_dialect.check(script)


# -- on a shared machine: loopback only, a token for /_sim/, private files, no password in clear ---------------------------

SIMULATOR_PATH = os.path.dirname(os.path.dirname(os.path.abspath(idsim.__file__)))
CANARIES = {"canary.one@acme.com": "Canary-0ne-Passw0rd", "canary.two@acme.com": "Canary-Tw0-Passw0rd"}
RESET_CANARY = "Canary-Reset-Passw0rd"


def run_cli(*args: str, env: dict | None = None, **popen: t.Any) -> subprocess.Popen:
    environment = dict(os.environ, PYTHONPATH=SIMULATOR_PATH, **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "idsim", *args], env=environment, **popen)  # pylint: disable=consider-using-with


def wait_for_file(path: str, process: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 60
    while not os.path.exists(path) or not os.path.getsize(path):
        assert process.poll() is None and time.monotonic() < deadline, "the simulator did not start"
        time.sleep(0.1)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def sim_headers(source: t.Any) -> dict:
    """The /_sim/ token of a Simulator or of an info file's content (none before there was one)."""
    value = getattr(source, "token", None) if not isinstance(source, dict) else source.get("sim_token")
    return {"X-Idsim-Token": value or ""}


@pytest.mark.parametrize("hosts, refused", [
    ({"tenants": [{"hosts": {"system": "0.0.0.0", "custom": []}}]}, "0.0.0.0"),
    ({"tenants": [{"hosts": {"system": "127.0.0.2", "custom": ["10.1.2.3"], "preferred": "10.1.2.3"}}]}, "10.1.2.3"),
    ({"tenants": [{"hosts": {"system": "idsim.example.com", "custom": []}}]}, "idsim.example.com"),
    ({"tenants": [{"hosts": {"system": "127.0.0.2", "custom": [], "preferred": "203.0.113.9"}}]}, "203.0.113.9"),
    ({"tenants": [{"hosts": {"system": "::1", "custom": []}}]}, "::1"),  # not served: its URLs and redirects would need brackets
    ({"remote_access": [{"hosts": {"auth": "127.0.0.20", "api": "192.168.1.21"}}]}, "192.168.1.21"),
])
def test_seed_hosts_outside_loopback_are_refused(hosts, refused):
    with pytest.raises(ValueError, match=f"{re.escape(refused)} is not a loopback address"):
        World(hosts)


def test_the_command_line_refuses_a_seed_outside_loopback_with_a_clear_error(tmp_path):
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(json.dumps({"tenants": [{"hosts": {"system": "0.0.0.0", "custom": []}}]}), encoding="utf-8")
    # --idle-exit bounds a simulator that would start anyway (it then exits 0 after serving 0.0.0.0).
    process = run_cli("--seed-file", str(seed_file), "--scheme", "http", "--idle-exit", "3", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                      text=True)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2 and not stdout
    assert "idsim: error: host 0.0.0.0" in stderr and "loopback" in stderr and "Traceback" not in stderr


def test_every_sim_call_needs_the_token(http_sim, tmp_path):
    sim, info = http_sim
    calls = [("GET", "info"), ("GET", "state"), ("GET", "requests"), ("GET", "log"), ("GET", "config"), ("GET", "unknown_fields"),
             ("GET", "unknown_endpoints"), ("GET", "ra/state"), ("POST", "reset"), ("POST", "config"), ("POST", "revoke_tokens"),
             ("POST", "token_lifetime"), ("POST", "save"), ("POST", "ra/portal_integrate")]
    for method, name in calls:
        for headers in ({}, {"X-Idsim-Token": ""}, {"X-Idsim-Token": "guessed"}, {"Authorization": "Bearer " + token(info["tenants"][0]["system_url"])}):
            response = requests.request(method, f"{info['sim_url']}/{name}", json={"path": str(tmp_path / "stolen.json")}, headers=headers, timeout=10)
            assert response.status_code == 401, (method, name, headers)
    assert not (tmp_path / "stolen.json").exists()
    assert requests.get(info["sim_url"] + "/state", headers=sim_headers(sim), timeout=10).status_code == 200
    saved = requests.post(info["sim_url"] + "/save", json={"path": str(tmp_path / "saved.json")}, headers=sim_headers(sim), timeout=10)
    assert saved.status_code == 200 and (tmp_path / "saved.json").exists()


def test_state_shows_no_unsalted_password_hash(http_sim):
    sim, info = http_sim
    tenant = info["tenants"][0]

    def fingerprints() -> dict:
        state = requests.get(info["sim_url"] + "/state", headers=sim_headers(sim), timeout=10).json()
        return {u["Name"]: u["PasswordFingerprint"] for u in state["tenants"][0]["users"]}

    before = fingerprints()
    for name, password in (("admin@acme.com", "Adm1n-Passw0rd!"), ("ansible-svc@acme.com", "Svc-S3cret-Value!")):
        assert before[name] and before[name] not in (hashlib.sha256(password.encode()).hexdigest(), hashlib.md5(password.encode()).hexdigest())
        assert before[name] not in hashlib.sha256(password.encode()).hexdigest()  # nor a prefix of one
    headers = {"Authorization": "Bearer " + token(tenant["system_url"])}
    admin = sim.world.tenants[0].find_user("admin@acme.com")["Uuid"]
    changed = requests.post(tenant["system_url"] + "/UserMgmt/ResetUserPassword", json={"ID": admin, "newPassword": "N3w-Passw0rd!"},
                            headers=headers, timeout=10).json()
    assert changed["success"] is True
    after = fingerprints()  # still tells a test that a password changed, and that the others did not
    assert after["admin@acme.com"] != before["admin@acme.com"] and after["ansible-svc@acme.com"] == before["ansible-svc@acme.com"]


@pytest.fixture(scope="module")
def shared_machine_run(tmp_path_factory) -> dict:
    """The simulator as a user runs it from the command line: its own seed with canary passwords, --cert-dir (a reused one, with a
    key file of mode 0644 in it), --info-file, --persist, a password reset over the API, a POST /_sim/save, then SIGTERM."""
    root = tmp_path_factory.mktemp("shared")
    users = [{"Name": "ansible-svc@acme.com", "Password": "Svc-S3cret-Value!", "ServiceUser": True, "OauthClient": True, "InSysAdminRole": True}]
    users += [{"Name": name, "Password": password, "ServiceUser": True, "OauthClient": True} for name, password in CANARIES.items()]
    seed_file = root / "seed.json"  # the user's own file: the simulator only reads it
    seed_file.write_text(json.dumps({"tenants": [{"users": users}]}), encoding="utf-8")
    written = root / "written"
    (written / "certs").mkdir(parents=True)
    (written / "certs" / "server.key").write_text("from an earlier run", encoding="utf-8")
    os.chmod(written / "certs" / "server.key", 0o644)
    info_file, persist, saved = written / "info.json", written / "persist.json", written / "saved.json"
    process = run_cli("--seed-file", str(seed_file), "--cert-dir", str(written / "certs"), "--info-file", str(info_file),
                      "--persist", str(persist), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = wait_for_file(str(info_file), process)
        base = info["tenants"][0]["system_url"]
        access = requests.post(base + "/oauth2/platformtoken", data=dict(SVC), verify=info["ca_path"], timeout=10).json()["access_token"]
        target = requests.post(base + "/CDirectoryService/GetUserByName", json={"username": "canary.two@acme.com"}, verify=info["ca_path"],
                               headers={"Authorization": "Bearer " + access}, timeout=10).json()["Result"]["Uuid"]
        reset = requests.post(base + "/UserMgmt/ResetUserPassword", json={"ID": target, "newPassword": RESET_CANARY}, verify=info["ca_path"],
                              headers={"Authorization": "Bearer " + access}, timeout=10).json()
        assert reset["success"] is True
        response = requests.post(info["sim_url"] + "/save", json={"path": str(saved)}, headers=sim_headers(info), verify=info["ca_path"], timeout=10)
        assert response.status_code == 200, response.text
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    files = [os.path.join(d, f) for d, _dirs, names in os.walk(written) for f in names]
    return {"root": root, "files": files, "stdout": stdout, "info": info, "info_file": str(info_file), "saved": str(saved),
            "persist": str(persist)}


def test_no_password_is_in_clear_in_any_file_it_writes(shared_machine_run):
    files = shared_machine_run["files"]
    assert {"info.json", "persist.json", "saved.json", "ca.pem", "server.pem", "server.key"} <= {os.path.basename(f) for f in files}
    for path in files:
        with open(path, "rb") as handle:
            content = handle.read()
        for password in list(CANARIES.values()) + [RESET_CANARY, "Svc-S3cret-Value!"]:
            assert password.encode() not in content, f"{password} in {path}"


@pytest.mark.parametrize("kind", ["saved", "persist"])
def test_a_saved_state_still_checks_the_passwords(shared_machine_run, kind):
    sim = Simulator(World(load_seed(shared_machine_run[kind])), scheme="http")
    base = sim.start()["tenants"][0]["system_url"]
    try:
        def login(name: str, secret: str) -> int:
            form = {"grant_type": "client_credentials", "client_id": name, "client_secret": secret}
            return requests.post(base + "/oauth2/platformtoken", data=form, timeout=10).status_code
        assert login("canary.one@acme.com", CANARIES["canary.one@acme.com"]) == 200
        assert login("canary.two@acme.com", RESET_CANARY) == 200
        assert login("canary.two@acme.com", CANARIES["canary.two@acme.com"]) == 401
        assert login("canary.one@acme.com", "Canary-0ne-Passw0rD") == 401
        assert login("canary.one@acme.com", CANARIES["canary.one@acme.com"]) == 200  # again, after a first check of the stored hash
    finally:
        sim.stop()


@pytest.mark.parametrize("stored, words", [
    ("Canary-0ne-Passw0rd", "is not a simulator's scrypt"),  # a clear password put where the hash goes
    ("scrypt$16384$8$1$c2FsdA==$not-base64!", "is not a simulator's scrypt"),
    ("scrypt$1048576$8$1$c2FsdA==$" + "A" * 43 + "=", "outside what the simulator writes"),  # 1 GiB of memory per login
])
def test_a_saved_state_with_a_bad_password_hash_is_refused_at_load(stored, words):
    with pytest.raises(ValueError, match=words):
        World({"tenants": [{"users": [{"Name": "bad.hash@acme.com", "PasswordHash": stored}]}]})


def test_every_file_it_writes_is_private(shared_machine_run):
    modes = {path: stat.S_IMODE(os.stat(path).st_mode) for path in shared_machine_run["files"]}
    assert modes and set(modes.values()) == {0o600}, modes


def test_the_token_is_in_the_info_file_not_on_standard_output(shared_machine_run):
    info = shared_machine_run["info"]
    assert len(info["sim_token"]) >= 32
    assert info["sim_token"] not in shared_machine_run["stdout"]
    assert json.loads(shared_machine_run["stdout"].splitlines()[0])["info_file"] == shared_machine_run["info_file"]


def test_without_info_file_it_writes_one_in_its_own_directory(tmp_path):
    process = run_cli("--scheme", "http", env={"TMPDIR": str(tmp_path)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout=60), "the simulator printed nothing"
        printed = json.loads(process.stdout.readline())
        assert "sim_token" not in printed and os.path.dirname(printed["info_file"]).startswith(str(tmp_path))
        assert stat.S_IMODE(os.stat(printed["info_file"]).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(printed["info_file"])).st_mode) == 0o700
        with open(printed["info_file"], encoding="utf-8") as handle:
            written = json.load(handle)
        assert requests.get(printed["sim_url"] + "/info", headers=sim_headers(written), timeout=10).json()["sim_url"] == printed["sim_url"]
    finally:
        process.terminate()
        process.communicate(timeout=60)
    assert os.listdir(tmp_path) == []  # its directory, the info file in it, is removed when it stops


def test_the_resolver_maps_the_custom_url_domain_to_a_loopback_address_only(monkeypatch):
    import importlib.util  # pylint: disable=import-outside-toplevel
    import socket  # pylint: disable=import-outside-toplevel
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator", "resolver", "sitecustomize.py")
    spec = importlib.util.spec_from_file_location("idsim_resolver", path)
    resolver = importlib.util.module_from_spec(spec)
    monkeypatch.delenv("IDSIM_RESOLVE", raising=False)
    spec.loader.exec_module(resolver)
    asked = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *args, **kwargs: asked.append(host) or [])
    for address in ("127.attacker.example", "10.0.0.1", "localhost"):
        resolver._install(f"my.idsim.test={address}")  # pylint: disable=protected-access
        socket.getaddrinfo("acme.my.idsim.test", 443)
    assert asked == ["acme.my.idsim.test"] * 3  # nothing installed: the name goes to the real resolver as it is
    resolver._install("my.idsim.test=127.0.0.2")  # pylint: disable=protected-access
    socket.getaddrinfo("acme.my.idsim.test", 443)
    socket.getaddrinfo("acme.my.idsim.test.evil.example", 443)
    assert asked[3:] == ["127.0.0.2", "acme.my.idsim.test.evil.example"]


def test_arguments_that_are_no_numbers_and_a_seeded_url_removal_answer_envelopes(http_sim):
    """A page size that is no number is an error envelope, not a 500 (both listings), and removing a seeded custom URL,
    which the simulator listens on, is refused as the simulator's own limit, not as another tenant's URL."""
    _sim, info = http_sim
    base = info["tenants"][0]["system_url"]
    headers = {"Authorization": "Bearer " + token(base)}
    rights = requests.post(base + "/Redrock/query", json={"Script": "@/lib/get_superrights.js(excludeRight:'')", "args": {"PageSize": "x"}},
                           headers=headers, timeout=10)
    query = requests.post(base + "/UserMgmt/DirectoryServiceQuery", headers=headers, timeout=10, json={
        "directoryServices": ["09B9A9B0-6CE8-465F-AB03-65766D33B05E"], "roles": "{}", "Args": {"PageSize": [1]}})
    for answer in (rights, query):
        assert answer.status_code == 200 and answer.json()["success"] is False and "must be numbers" in answer.json()["Message"]
    seeded = requests.post(base + "/TenantCnames/Unregister", json={"customCname": "127.0.0.3"}, headers=headers, timeout=10).json()
    assert seeded["success"] is False and seeded["Message"].startswith("idsim: 127.0.0.3 is a seeded custom URL")


def three_tenants() -> dict:
    """Three tenants, each its own service on its own address, with its own service user."""
    return {"tenants": [{"tenant_id": f"MT{n:05d}", "tenant_uuid": f"00000000-0000-4000-8000-{n:012d}", "subdomain": f"mt{n}",
                         "hosts": {"system": f"127.0.1.{n}", "custom": [], "preferred": None},
                         "login_suffixes": [{"name": f"mt{n}.example", "cds": True}],
                         "users": [{"Name": f"svc@mt{n}.example", "Password": SVC["client_secret"], "ServiceUser": True, "OauthClient": True,
                                    "InSysAdminRole": True}]} for n in (1, 2, 3)]}


def tenant_token(url: str, n: int) -> str:
    body = dict(SVC, client_id=f"svc@mt{n}.example")
    return requests.post(url + "/oauth2/platformtoken", data=body, timeout=10).json()["access_token"]


def test_each_tenant_has_its_own_faults_and_rate_limit():
    sim = Simulator(World(three_tenants()), scheme="http", seed=1,
                    faults={"rate_limit_rps": 1000, "tenants": {"MT00001": {"rate_limit_rps": 1, "rate_limit_burst": 2, "retry_after": 7}}})
    info = sim.start()
    try:
        urls = {t["tenant_id"]: t["system_url"] for t in info["tenants"]}
        headers = {n: {"Authorization": "Bearer " + tenant_token(urls[f"MT{n:05d}"], n)} for n in (1, 2, 3)}
        sim.reset()
        answers = {n: [requests.post(urls[f"MT{n:05d}"] + "/SysInfo/About", headers=headers[n], timeout=10) for _call in range(6)]
                   for n in (1, 2, 3)}
        assert [a.status_code for a in answers[1]].count(429) >= 4  # a bucket of 2 at 1 a second: the storm is its own
        assert {a.headers["Retry-After"] for a in answers[1] if a.status_code == 429} == {"7"}
        assert [a.status_code for a in answers[2] + answers[3]] == [200] * 12  # the service-wide limit of 1,000 a second
        by_tenant = sim.counters()["by_tenant"]
        assert {k: (v["total"], v["throttled"]) for k, v in by_tenant.items()} == {
            "MT00001": (6, [a.status_code for a in answers[1]].count(429)), "MT00002": (6, 0), "MT00003": (6, 0)}
        assert all(v["first"] <= v["last"] for v in by_tenant.values())
        assert by_tenant["MT00001"]["last"] <= by_tenant["MT00002"]["first"]  # asked in turn: each tenant's own span

        def sim_post(body: dict) -> requests.Response:
            return requests.post(info["sim_url"] + "/config", json=body, headers=sim_headers(sim), timeout=10)
        # "tenants" replaces every tenant's own faults; the service-wide form still applies to the others.
        assert sim_post({"rate_limit_rps": 0, "error_rate": 1.0, "error_statuses": [503],
                         "tenants": {"MT00002": {"error_rate": 0.0}}}).status_code == 200
        sim.reset()
        codes = {n: requests.post(urls[f"MT{n:05d}"] + "/SysInfo/About", headers=headers[n], timeout=10).status_code for n in (1, 2, 3)}
        assert codes == {1: 503, 2: 200, 3: 503}  # MT00001's own rate limit went with the replaced "tenants"
        assert {k: v["errors_injected"] for k, v in sim.counters()["by_tenant"].items()} == {"MT00001": 1, "MT00002": 0, "MT00003": 1}
        config = requests.get(info["sim_url"] + "/config", headers=sim_headers(sim), timeout=10).json()
        assert config["tenants"] == {"MT00002": {"error_rate": 0.0}} and config["error_rate"] == 1.0
        for wrong, words in (({"tenants": {"NOPE1": {}}}, "no tenant NOPE1"), ({"tenants": {"MT00001": {"readings": {}}}}, "takes an object of"),
                             ({"tenants": ["MT00001"]}, "must be an object")):
            refused = sim_post(wrong)
            assert refused.status_code == 400 and words in refused.json()["error"], wrong
        assert sim_post({"error_rate": 0.0, "tenants": {}}).status_code == 200
        assert requests.post(urls["MT00001"] + "/SysInfo/About", headers=headers[1], timeout=10).status_code == 200
        assert sim.counters()["by_tenant"]["MT00001"]["throttled"] == 0 and not sim.unknown and not sim.unknown_endpoints
    finally:
        sim.stop()


def test_a_seed_with_faults_for_a_tenant_it_lacks_is_refused(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(dict(three_tenants(), faults={"tenants": {"MT00009": {"latency_ms": 5}}})), encoding="utf-8")
    process = subprocess.run([sys.executable, "-m", "idsim", "--scheme", "http", "--seed-file", str(seed)], capture_output=True, text=True,
                             env=dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(idsim.__file__))), timeout=60, check=False)
    assert process.returncode == 2 and "no tenant MT00009" in process.stderr and "Traceback" not in process.stderr
