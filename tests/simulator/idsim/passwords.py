# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Users' passwords (also OAuth client secrets): checked in memory, written to files only as salted scrypt hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt at the cost its documentation gives for interactive logins (about 40 ms here): a guess costs as much.
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
SCHEME = "scrypt"
# Fingerprints are keyed per process: a test can see a password change within a run; nobody can test guesses against them.
_FINGERPRINT_KEY = secrets.token_bytes(32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=4 * 128 * r * n, dklen=32)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` with a random salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, **SCRYPT)
    return "$".join([SCHEME, str(SCRYPT["n"]), str(SCRYPT["r"]), str(SCRYPT["p"]), _b64(salt), _b64(digest)])


def _parse(stored: str) -> tuple[bytes, bytes, int, int, int]:
    parts = stored.split("$") if isinstance(stored, str) else []
    try:
        if len(parts) != 6 or parts[0] != SCHEME:
            raise ValueError
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except ValueError:
        raise ValueError("PasswordHash is not a simulator's scrypt$n$r$p$salt$hash") from None
    if not (2 <= n <= 2 ** 16 and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4 and salt and len(digest) == 32):  # at most 128 MiB
        raise ValueError("PasswordHash has scrypt parameters outside what the simulator writes")
    return salt, digest, n, r, p


class StoredPassword:
    """One user's password: its clear text while this process knows it (seeded or set over the API), else the hash a saved state
    holds. Its fingerprint is fixed when it is set, so that checking it (which keeps the clear text once it matched) changes nothing."""

    def __init__(self, clear: str | None = None, hashed: str | None = None) -> None:
        if hashed is not None:
            _parse(hashed)  # a file someone edited by hand fails at load, not at the first login
        self._clear = clear
        self._hashed = hashed
        self.fingerprint = hmac.new(_FINGERPRINT_KEY, ("clear:" + clear if clear is not None else "hash:" + str(hashed)).encode("utf-8"),
                                    hashlib.sha256).hexdigest()[:16]

    @classmethod
    def from_fields(cls, fields: dict) -> StoredPassword | None:
        """From a seed's ``Password`` or a saved state's ``PasswordHash``; None for a user without a password."""
        if fields.get("Password") is not None:
            return cls(clear=str(fields["Password"]))
        if fields.get("PasswordHash") is not None:
            return cls(hashed=fields["PasswordHash"])
        return None

    def matches(self, given: object) -> bool:
        if not isinstance(given, str):
            return False
        if self._clear is not None:
            return hmac.compare_digest(self._clear.encode("utf-8"), given.encode("utf-8"))
        salt, digest, n, r, p = _parse(str(self._hashed))
        if not hmac.compare_digest(digest, _scrypt(given, salt, n, r, p)):
            return False
        self._clear = given  # later logins need not pay scrypt again
        return True

    def hashed(self) -> str:
        """What a saved state holds, computed once (saving many users costs one scrypt each, not one per save)."""
        if self._hashed is None:
            self._hashed = hash_password(str(self._clear))
        return self._hashed


def matches(stored: StoredPassword | None, given: object) -> bool:
    """Whether ``given`` is the user's password; never for a user without one."""
    return stored is not None and stored.matches(given)
