# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secret scrubbing: the values no message may show.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

A client registers its credentials (and a module the secrets of its data, through ``IdentityClient.protect``); every
error text the transport and the envelope build passes through :meth:`Secrets.scrub`.
"""

from __future__ import annotations

import threading

MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary text; the options refuse them (short_secret_errors in _module.py)
MASK = "********"


class Secrets:
    """Values that must never appear in a message; every error text passes through :meth:`scrub`."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()  # workers may add a row's password while another scrubs a message

    def add(self, value: str | None) -> None:
        if value and len(value) >= MIN_SECRET_LENGTH:
            with self._lock:
                self._values.add(value)

    def scrub(self, text: str | None) -> str | None:
        if not text:
            return text
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            text = text.replace(value, MASK)
        return text
