# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    """Remote Access connection options, for modules that read a Remote Access tenant."""

    DOCUMENTATION = r"""
options:
  ra_service_account_file:
    description:
      - The JSON file the Remote Access portal lets an administrator download once for a service account
        (Identities > Service accounts). It holds the service account ID and private key, or a client ID and secret,
        and the login host. Options given explicitly take precedence over the file.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_SERVICE_ACCOUNT_FILE) is used.
    type: path
  ra_tenant_id:
    description:
      - The Remote Access tenant ID (32 characters, shown in the portal's URL). Needed with a private key.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_TENANT_ID) is used.
    type: str
  ra_service_account_id:
    description:
      - The service account's ID. With O(ra_private_key), the login is a JWT-bearer assertion signed with that key.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_SERVICE_ACCOUNT_ID) is used.
    type: str
  ra_private_key:
    description:
      - The service account's private key (PEM).
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_PRIVATE_KEY) is used.
    type: str
  ra_client_id:
    description:
      - Client ID of a service account file of the client-secret form.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_CLIENT_ID) is used.
    type: str
  ra_client_secret:
    description:
      - Client secret of a service account file of the client-secret form.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_CLIENT_SECRET) is used.
    type: str
  ra_data_center:
    description:
      - The data center of the Remote Access tenant; its login host is C(auth.<domain>) and its API host C(api.<domain>).
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_DATA_CENTER) is used, then the login host the service
        account file names, and then V(us). When set, it wins over the file's host.
    type: str
    choices: [us, eu, ca, au, uk, in, sg]
  ra_auth_url:
    description:
      - The login host URL, instead of the one O(ra_data_center) or the service account file names.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_AUTH_URL) is used.
    type: str
  ra_api_url:
    description:
      - The API host URL, instead of the one derived from the login host.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_API_URL) is used.
    type: str
  ra_validate_certs:
    description:
      - Whether the Remote Access TLS certificates are verified.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_VALIDATE_CERTS) is used, and then the default.
    type: bool
    default: true
  ra_ca_path:
    description:
      - A PEM bundle of certificate authorities to trust for Remote Access.
      - If not set, the environment variable E(CYBERARK_REMOTE_ACCESS_CA_PATH) is used.
    type: path
"""
