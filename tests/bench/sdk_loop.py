#!/usr/bin/env python
"""CyberArk's SDK (ark-sdk-python) creating users and adding each to a role, one user at a time, against the simulator
with the same added latency as the rest of the bench. Prints one JSON line: users, seconds, requests.

The SDK follows the login's PodFqdn redirect to port 443 only, so the simulator listens on 443 (root) on its own
loopback addresses (127.30.0.x); without root the case is skipped.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "simulator"))

# pylint: disable=wrong-import-position,import-error
from idsim.server import Simulator  # noqa: E402
from idsim.state import World  # noqa: E402

USERS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
LATENCY_MS = float(sys.argv[2]) if len(sys.argv) > 2 else 20
ADMIN = ("admin@acme.com", "Adm1n-Passw0rd!")


def main() -> int:
    seed = {"tenants": [{"tenant_id": "ABC1234", "hosts": {"system": "127.30.0.2", "custom": ["127.30.0.3"], "preferred": "127.30.0.3"},
                         "login_suffixes": [{"name": "acme.com", "cds": True}],
                         "users": [{"Name": ADMIN[0], "Password": ADMIN[1], "Mail": ADMIN[0], "InSysAdminRole": True}],
                         "roles": [{"Name": "Role 1"}]}]}
    with tempfile.TemporaryDirectory() as certs:
        sim = Simulator(World(seed), scheme="https", port=443, cert_dir=certs, faults={"latency_ms": LATENCY_MS})
        try:
            info = sim.start()
        except PermissionError:
            print(json.dumps({"skipped": "binding port 443 needs root"}))
            return 0
        try:
            for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
                os.environ.pop(name, None)
            from ark_sdk_python.auth import ArkISPAuth  # pylint: disable=import-outside-toplevel
            from ark_sdk_python.common import ArkSystemConfig  # pylint: disable=import-outside-toplevel
            from ark_sdk_python.models.auth import (  # pylint: disable=import-outside-toplevel
                ArkAuthMethod, ArkAuthProfile, ArkSecret, IdentityArkAuthMethodSettings)
            from ark_sdk_python.models.services.identity.users import ArkIdentityCreateUser  # pylint: disable=import-outside-toplevel
            from ark_sdk_python.services.identity.users import ArkIdentityUsersService  # pylint: disable=import-outside-toplevel
            ArkSystemConfig.set_trusted_certificate(info["ca_path"])
            ArkSystemConfig.disable_interactive()
            ArkSystemConfig.disable_verbose_logging()
            auth = ArkISPAuth(cache_authentication=False)
            settings = IdentityArkAuthMethodSettings(identity_url=info["tenants"][0]["system_url"], identity_mfa_interactive=False)
            auth.authenticate(auth_profile=ArkAuthProfile(username=ADMIN[0], auth_method=ArkAuthMethod.Identity,
                                                          auth_method_settings=settings), secret=ArkSecret(secret=ADMIN[1]))
            users = ArkIdentityUsersService(auth)
            import requests  # pylint: disable=import-outside-toplevel
            sim_headers = {"X-Idsim-Token": sim.token}
            requests.post(f"{info['sim_url']}/reset", json={}, headers=sim_headers, verify=info["ca_path"], timeout=30)
            started = time.perf_counter()
            for i in range(USERS):
                users.create_user(ArkIdentityCreateUser(username=f"sdk{i:04d}", email=f"sdk{i:04d}@acme.com",
                                                        password=f"Sdk-Passw0rd-{i}", roles=["Role 1"]))
            seconds = time.perf_counter() - started
            counts = requests.get(f"{info['sim_url']}/requests", headers=sim_headers, verify=info["ca_path"], timeout=30).json()
            print(json.dumps({"users": USERS, "seconds": round(seconds, 2), "per_user": round(seconds / USERS, 4),
                              "requests": counts["total"]}))
        finally:
            sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
