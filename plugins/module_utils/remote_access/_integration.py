# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What Remote Access shows of its integration with CyberArk Identity: the site the integration creates, its
applications, and the synchronization activities (``/v2-edge`` reads; docs/api_sources.md names their sources).

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from ansible_collections.cyberark_community.identity.plugins.module_utils.remote_access._remote_access import RemoteAccessClient

SITE_NAME = "Privilege Cloud"  # the site "Authenticate to Identity" creates
SYNC_TYPES = "IdaptiveVendorSync,IdaptiveRoleSync"  # the activities of an Identity synchronization


def integration_site(ra: RemoteAccessClient) -> dict[str, t.Any] | None:
    """The site the integration created (``GET /sites``), or None."""
    return next((s for s in ra.list("/sites", "sites") if s.get("displayName") == SITE_NAME), None)


def site_applications(ra: RemoteAccessClient, site_id: str) -> list[dict[str, t.Any]]:
    """The applications of a site (``GET /sites/<id>/applications``)."""
    return ra.list(f"/sites/{site_id}/applications", "applications")


def sync_activities(ra: RemoteAccessClient, since_ms: int) -> list[dict[str, t.Any]]:
    """Identity synchronization activities since ``since_ms`` (``GET /activities``)."""
    return ra.list("/activities", "activities", {"activityTypes": SYNC_TYPES, "fromTime": since_ms})
