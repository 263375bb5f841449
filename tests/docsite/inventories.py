# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline stand-ins for the intersphinx inventories antsibull-docs' conf.py names (python2, python3, jinja2,
ansible_devel), written beside its conf.py where conf.py looks for them when the web is out of reach.

Sphinx fetches each inventory from the web first and uses these only when that fails (this machine reaches package
registries only). They hold just the labels the collection's pages link to, with the targets docs.ansible.com gives
them; a page that links to a label missing here fails the build (warnings are errors), so the list cannot fall behind.
It also gives conf.py a timeout for those fetches: on a network that is slow rather than absent, Sphinx would otherwise
wait for each inventory for ever.
"""

from __future__ import annotations

import os
import sys
import zlib

# label -> (page and anchor under https://docs.ansible.com/projects/ansible/devel/, title)
ANSIBLE_LABELS = {
    "ansible_configuration_settings": ("reference_appendices/config.html#ansible-configuration-settings", "Ansible Configuration Settings"),
    "common_return_values": ("reference_appendices/common_return_values.html#common-return-values", "Return Values"),
}
INVENTORIES = {"python2.inv": {}, "python3.inv": {}, "jinja2.inv": {}, "ansible_devel.inv": ANSIBLE_LABELS}


def inventory(project: str, labels: dict[str, tuple[str, str]]) -> bytes:
    """Sphinx's inventory format, version 2: four header lines, then zlib-compressed lines of
    ``name domain:role priority uri display-name``."""
    header = f"# Sphinx inventory version 2\n# Project: {project}\n# Version: devel\n# The remainder of this file is compressed using zlib.\n"
    body = "".join(f"{name} std:label -1 {uri} {title}\n" for name, (uri, title) in sorted(labels.items()))
    return header.encode("utf-8") + zlib.compress(body.encode("utf-8"))


FETCH_TIMEOUT = 10  # seconds each inventory may take from the web before the stand-in is read


def main(directory: str) -> None:
    for name, labels in INVENTORIES.items():
        with open(os.path.join(directory, name), "wb") as handle:
            handle.write(inventory(name[:-4], labels))
    with open(os.path.join(directory, "conf.py"), "a", encoding="utf-8") as handle:
        handle.write(f"\n# Added by tests/docsite/inventories.py: no endless wait for an inventory on a slow network.\n"
                     f"intersphinx_timeout = {FETCH_TIMEOUT}\n")


if __name__ == "__main__":
    main(sys.argv[1])
