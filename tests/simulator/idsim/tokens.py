# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""JWT-shaped tokens (HS256) with the claims the platform's tokens carry."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    """Issues and checks tokens; ``revoked_before`` lets tests invalidate every token issued so far."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or uuid.uuid4().bytes
        self.revoked_before = 0.0

    def issue(self, claims: dict, lifetime: int) -> str:
        now = time.time()
        payload = dict(claims, iat=int(now), nbf=int(now), exp=int(now + lifetime), jti=uuid.uuid4().hex, _iat=now)
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        signature = hmac.new(self.secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
        return f"{header}.{body}.{_b64(signature)}"

    def verify(self, token: str) -> dict | None:
        """The claims of a valid, unexpired, unrevoked token; None otherwise."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        expected = hmac.new(self.secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        try:
            if not hmac.compare_digest(expected, _unb64(parts[2])):
                return None
            claims = json.loads(_unb64(parts[1]))
        except ValueError:
            return None
        if claims.get("exp", 0) <= time.time() or claims.get("_iat", 0) < self.revoked_before:
            return None
        return claims
