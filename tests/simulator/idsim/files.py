# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every file the simulator writes: mode 0600 from its creation, in place at once (a reader never sees half of it)."""

from __future__ import annotations

import os
import tempfile


def make_private_dir(path: str) -> str:
    """Create ``path`` (mode 0700) when it does not exist; a directory the user made keeps its mode."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def write_private(path: str, data: str | bytes) -> str:
    """Write ``data`` to ``path`` with mode 0600, also over an older file of another mode (or a link, which is replaced, not followed).

    The file is made beside ``path`` by mkstemp (0600 before a byte is written) and renamed over it.
    """
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return path
