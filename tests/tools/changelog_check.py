#!/usr/bin/env python
"""`make changelog-check`: the changelog renders, with the collection's name as its title.

In a scratch copy of changelogs/ and galaxy.yml: with fragments waiting, release them as the version galaxy.yml names
(what `make release` will publish); without, regenerate CHANGELOG.rst, which must then equal the committed one.
Either way the result must parse as reStructuredText without a warning and name the version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import docutils.core
import docutils.utils
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TITLE = "cyberark_community.identity Release Notes"


def main() -> int:
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as handle:
        version = str(yaml.safe_load(handle)["version"])
    tool = os.path.join(os.path.dirname(sys.executable), "antsibull-changelog")
    with tempfile.TemporaryDirectory(prefix="changelog-check-") as scratch:
        for name in ("galaxy.yml", "CHANGELOG.rst"):
            if os.path.exists(os.path.join(REPO, name)):
                shutil.copy(os.path.join(REPO, name), scratch)
        shutil.copytree(os.path.join(REPO, "changelogs"), os.path.join(scratch, "changelogs"))
        fragments = [f for f in os.listdir(os.path.join(scratch, "changelogs", "fragments")) if f.endswith((".yml", ".yaml"))]
        command = [tool, "release", "--version", version] if fragments else [tool, "generate"]
        # The plugin list comes from ansible-doc, which finds the collection through `make link`.
        command += ["--ansible-doc-bin", os.path.join(os.path.dirname(sys.executable), "ansible-doc")]
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".tmp", "collections"))
        subprocess.run(command, cwd=scratch, check=True, stdout=subprocess.DEVNULL, env=env)
        with open(os.path.join(scratch, "CHANGELOG.rst"), encoding="utf-8") as handle:
            text = handle.read()
        if not fragments:
            with open(os.path.join(REPO, "CHANGELOG.rst"), encoding="utf-8") as handle:
                if handle.read() != text:
                    print("CHANGELOG.rst is not what antsibull-changelog generates: run antsibull-changelog generate")
                    return 1
    problems = []
    tree = docutils.core.publish_doctree(text, settings_overrides={"halt_level": docutils.utils.Reporter.WARNING_LEVEL,
                                                                   "report_level": docutils.utils.Reporter.WARNING_LEVEL})
    if tree.get("title") != TITLE:
        problems.append(f"the title renders as {tree.get('title')!r}, not {TITLE!r}")
    if f"v{version}" not in text:
        problems.append(f"version {version} is missing")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"changelog renders: {'release' if fragments else 'generated'} v{version}, {len(text.splitlines())} lines")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
