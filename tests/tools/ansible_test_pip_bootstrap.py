#!/usr/bin/env python
"""Give ``ansible-test --venv`` a pip bootstrap it can use without the network host it would download from.

ansible-test bootstraps pip in each virtual environment with a ``get-pip.py``
that it downloads once and caches under ``~/.ansible/test/cache``. This
machine's network cannot reach that host. The stand-in written here does the
same job with what Python ships: ``ensurepip`` in a subprocess, then pip
installs the requested packages from the package index.
An existing cache file (a real get-pip.py) is left alone, so this is harmless
where the download works.
"""

from __future__ import annotations

import os
import sys
import types

STAND_IN = '''"""Stand-in for get-pip.py written by cyberark_community.identity's tests/tools/ansible_test_pip_bootstrap.py."""
import subprocess
import sys

# get-pip.py options that plain pip does not know
IGNORED = {"--no-setuptools", "--no-wheel"}

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"],
                      stdout=subprocess.DEVNULL)
args = [arg for arg in sys.argv[1:] if arg not in IGNORED]
if args and args[0] == "install":
    args = args[1:]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args))
'''


def pip_version() -> str:
    """The pip version ansible-test asks for with this Python."""
    from ansible_test._internal.python_requirements import get_venv_packages  # pylint: disable=import-outside-toplevel

    python = types.SimpleNamespace(version="%d.%d" % sys.version_info[:2])
    return get_venv_packages(python)["pip"]  # type: ignore[arg-type]


def main() -> int:
    version = pip_version()
    path = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % version.replace(".", "_"))
    if os.path.exists(path):
        print("ansible-test pip bootstrap already cached: %s" % path)
        return 0
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(STAND_IN)
    print("wrote ansible-test pip bootstrap stand-in: %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
