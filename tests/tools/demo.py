#!/usr/bin/env python
"""`make demo`: start the tenant simulator, show the tenant (playbooks/tenant_info.yml), run the onboarding
(playbooks/onboard_users.yml: suffixes, roles, users and an import file), print the import report, stop the simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
# The simulator's built-in tenant (tests/simulator/idsim/state.py): a service user that is an OAuth client.
DEMO_CLIENT_ID = "ansible-svc@acme.com"
DEMO_CLIENT_SECRET = "Svc-S3cret-Value!"


def start_simulator(workdir: str) -> tuple[subprocess.Popen, dict]:
    info_file = os.path.join(workdir, "sim.json")
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "tests", "simulator"))
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "idsim", "--info-file", info_file, "--cert-dir", os.path.join(workdir, "tls")],
        env=env, stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not os.path.exists(info_file) or not os.path.getsize(info_file):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit("the simulator did not start")
        time.sleep(0.1)
    with open(info_file, encoding="utf-8") as handle:
        return process, json.load(handle)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="identity-demo-") as workdir:
        process, info = start_simulator(workdir)
        try:
            tenant = info["tenants"][0]
            print(f"Tenant simulator running: system URL {tenant['system_url']}, preferred URL {tenant['preferred_url']}")
            env = dict(os.environ)
            env.update({
                "CYBERARK_IDENTITY_TENANT_URL": tenant["system_url"],
                "CYBERARK_IDENTITY_CLIENT_ID": DEMO_CLIENT_ID,
                "CYBERARK_IDENTITY_CLIENT_SECRET": DEMO_CLIENT_SECRET,
                "CYBERARK_IDENTITY_CA_PATH": info["ca_path"],
                # The simulator's hosts are loopback addresses, outside CyberArk's domains: allow its redirects.
                "CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS": ",".join(sorted(
                    {urlsplit(u).hostname for t in info["tenants"] for u in t["urls"]}
                    | {urlsplit(ra[k]).hostname for ra in info["remote_access"] for k in ("auth_url", "api_url")})),
                "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "ansible-tmp"),
            })
            playbook = os.path.join(BIN, "ansible-playbook")
            status = subprocess.call([playbook, "-i", "localhost,", os.path.join(REPO, "playbooks", "tenant_info.yml")], env=env)
            if status:
                return status
            report = os.path.join(workdir, "demo_import_report.csv")
            extra = ["-e", "@" + os.path.join(REPO, "playbooks", "files", "demo_onboarding.yml"),
                     "-e", f"onboarding_import_file={os.path.join(REPO, 'playbooks', 'files', 'demo_users.csv')}",
                     "-e", f"onboarding_import_report_path={report}"]
            status = subprocess.call([playbook, "-i", "localhost,", os.path.join(REPO, "playbooks", "onboard_users.yml")] + extra, env=env)
            if status:
                return status
            with open(os.path.splitext(report)[0] + ".md", encoding="utf-8") as handle:
                print("\nImport report (" + os.path.basename(report) + " and its summary):\n")
                print(handle.read())
            return 0
        finally:
            process.terminate()
            process.wait(timeout=10)
            print("Tenant simulator stopped.")


if __name__ == "__main__":
    sys.exit(main())
