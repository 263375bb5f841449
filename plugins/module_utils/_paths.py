# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Paths in messages, as the task looked for them.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import os


def shown(path: str) -> str:
    """The full path; a relative one says where it started: for a module, the playbook's folder, where Ansible runs
    tasks, which is seldom where the user stands (a lookup runs where ansible-playbook was started)."""
    expanded = os.path.expanduser(path)
    full = os.path.abspath(expanded)
    return full if os.path.isabs(expanded) else f"{full} (a relative path starts from the folder a module runs in: the playbook's)"
