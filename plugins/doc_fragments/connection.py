# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

class ModuleDocFragment:
    """Connection options shared by every module of the collection."""
    DOCUMENTATION = r"""
options:
  tenant_url:
    description:
      - URL of the CyberArk Identity tenant, with or without C(https://). Only C(https://) is accepted, since the service
        answers over https only and credentials are never sent in clear text.
      - The system URL (V(abc1234.id.cyberark.cloud), or V(abc1234.my.idaptive.app) on a legacy tenant)
        or a custom URL of the tenant.
      - Calls made through the Shared Services platform URL need its path too, for example
        V(https://acme.cyberark.cloud/api/idadmin); the direct Identity URL is recommended because long
        calls through the platform can time out.
      - When a username and password login is redirected (the system URL redirects to the preferred URL),
        every later call of the task goes to the URL it was redirected to. A redirect is followed only over https,
        on the port of O(tenant_url), and only to a host under CyberArk's service domains (C(idaptive.app),
        C(cyberark.cloud), C(cyberarkgov.cloud)) or listed in O(allowed_redirect_hosts); any other redirect fails the
        task before the password is sent. HTTP redirects (3xx answers) are never followed.
      - If not set, the environment variable E(CYBERARK_IDENTITY_TENANT_URL) is used.
    type: str
  client_id:
    description:
      - Login name, with its suffix, of a service user that is an OAuth confidential client, for example
        V(ansible-svc@acme.com). With O(client_secret), this is the recommended way to authenticate
        (OAuth2 client credentials at C(/oauth2/platformtoken)).
      - With O(oauth_app_id), the client ID sent to that OAuth2 app instead.
      - If not set, the environment variable E(CYBERARK_IDENTITY_CLIENT_ID) is used.
    type: str
  client_secret:
    description:
      - Password (secret) of O(client_id).
      - If not set, the environment variable E(CYBERARK_IDENTITY_CLIENT_SECRET) is used.
    type: str
  login_username:
    description:
      - Login name, with its suffix, for a username and password login
        (C(Security/StartAuthentication) then C(Security/AdvanceAuthentication)).
      - Works only for a user whose login asks for a password alone; a user with multi-factor authentication
        fails with an error that names the mechanism asked for. Prefer a service user.
      - Named C(username) before 2.0.0. No module option shares a name with a connection option, so the login never
        mixes with the user a module manages (the O(cyberark_community.identity.identity_user#module:password) of
        M(cyberark_community.identity.identity_user) is the new user's).
      - If not set, the environment variable E(CYBERARK_IDENTITY_LOGIN_USERNAME) is used. E(CYBERARK_IDENTITY_USERNAME)
        is no longer read; a task warns when it is set alone.
    type: str
  login_password:
    description:
      - Password of O(login_username).
      - Named C(password) before 2.0.0.
      - If not set, the environment variable E(CYBERARK_IDENTITY_LOGIN_PASSWORD) is used. E(CYBERARK_IDENTITY_PASSWORD)
        is no longer read; a task warns when it is set alone.
    type: str
  oauth_app_id:
    description:
      - Application ID of a confidential OAuth2 client app on the tenant. With O(client_id) and O(client_secret),
        the token comes from C(/OAuth2/Token/<oauth_app_id>) instead of C(/oauth2/platformtoken).
      - If not set, the environment variable E(CYBERARK_IDENTITY_OAUTH_APP_ID) is used.
    type: str
  access_token:
    description:
      - A bearer token obtained beforehand, used as is (white space around it, such as a file's last line break, is
        dropped; a token with spaces, control or non-ASCII characters inside is refused). It is never refreshed; when
        the tenant refuses it, the task fails.
      - "Which login is used, from the options given: O(access_token); else O(client_id) and O(client_secret)
        (through O(oauth_app_id) when set); else O(login_username) and O(login_password)."
      - If not set, the environment variable E(CYBERARK_IDENTITY_ACCESS_TOKEN) is used.
    type: str
  ca_path:
    description:
      - Path to a PEM bundle of the certificate authorities to trust instead of the system ones.
      - If not set, the environment variable E(CYBERARK_IDENTITY_CA_PATH) is used.
    type: path
  allowed_redirect_hosts:
    description:
      - Host names outside CyberArk's service domains (C(idaptive.app), C(cyberark.cloud), C(cyberarkgov.cloud)) that a
        login may be redirected to, for example the hosts of a test tenant or of the collection's tenant simulator.
      - Exact host names, compared case-insensitively; no scheme, port or wildcard.
      - The Remote Access token URL read from a service account file (C(ra_service_account_file) of
        M(cyberark_community.identity.remote_access_integration)) must lie under a Remote Access data center's
        domain or be listed here too.
      - If not set, the environment variable E(CYBERARK_IDENTITY_ALLOWED_REDIRECT_HOSTS) (comma-separated) is used.
    type: list
    elements: str
  max_requests_per_second:
    description:
      - The most requests a second this task sends to the tenant, across all the requests it keeps in flight, so that
        a bulk operation never uses up an API quota the tenant shares with other applications.
      - Unset (the default) means no cap; the task still slows down whenever the tenant answers HTTP 429.
      - If not set, the environment variable E(CYBERARK_IDENTITY_MAX_REQUESTS_PER_SECOND) is used.
    type: float
notes:
  - Proxies are taken from the standard C(HTTPS_PROXY), C(HTTP_PROXY), C(ALL_PROXY) and C(NO_PROXY) environment
    variables, and a CA bundle from C(REQUESTS_CA_BUNDLE) when neither O(ca_path) nor O(validate_certs=false) is given
    (else certifi's bundle when installed, else the system's); they are read once per task. A C(.netrc) file is not
    used (its credentials would replace the bearer token).
  - An environment variable set to an empty string counts as unset (an AWX credential injects a field left empty so).
  - No secret (password, client secret, token) is returned, logged or placed in an error message. Secrets are kept
    out of messages by masking their values, so a secret option (a password, client secret or token, the login's or
    a user's) of 1 to 3 characters is refused before any request.
  - "With the environment variable E(CYBERARK_IDENTITY_TRACE) set to a file name, each request (Identity and Remote
    Access) appends one JSON line to that file (created mode 0600): the endpoint path, the names of the query
    parameters, the method, the HTTP status, the answer's C(success), C(MessageID) and C(ErrorCode), and the shape of the
    request and answer bodies (keys, value types, list lengths). It holds no value (no login name, identifier, tenant,
    host, token or password), so it can be attached to an issue; C(playbooks/verify_tenant.yml) writes one. A trace that
    cannot be written gives a warning, never a failure. For a lookup, set it in the environment of C(ansible-playbook)."
requirements:
  - urllib3 >= 2.8.0
"""

    # The options with a default, for modules: the argument spec's defaults, declared (validate-modules holds them equal)
    MODULES = r"""
options:
  validate_certs:
    description:
      - Whether the tenant's TLS certificate is verified. Set to V(false) only for a test tenant; the module
        then warns.
      - If not set, the environment variable E(CYBERARK_IDENTITY_VALIDATE_CERTS) is used, and then the default.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each answer (of Remote Access too, with M(cyberark_community.identity.remote_access_integration)).
      - If not set, the environment variable E(CYBERARK_IDENTITY_TIMEOUT) is used, and then the default.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried when the tenant throttles (HTTP 429) or is briefly unavailable
        (HTTP 502, 503, 504, dropped connections), with exponential backoff and jitter, honouring C(Retry-After).
        Remote Access requests too, with M(cyberark_community.identity.remote_access_integration).
      - A write that must not apply twice is retried only when the tenant refused it (HTTP 429) or after a read
        shows it did not land.
      - If not set, the environment variable E(CYBERARK_IDENTITY_RETRIES) is used, and then the default.
    type: int
    default: 5
"""

    # The same options for lookups, each default said in words, not declared: ansible-core would fill a declared default
    # into a lookup's options and, before 2.19, cannot tell it from a keyword the task gave, so the CYBERARK_IDENTITY_*
    # variable could not apply before it. The lookups apply the argument spec's defaults themselves.
    PLUGINS = r"""
options:
  validate_certs:
    description:
      - Whether the tenant's TLS certificate is verified. Set to V(false) only for a test tenant; the module
        then warns.
      - If not set, the environment variable E(CYBERARK_IDENTITY_VALIDATE_CERTS) is used, and then V(true).
    type: bool
  timeout:
    description:
      - Seconds to wait for each answer (of Remote Access too, with M(cyberark_community.identity.remote_access_integration)).
      - If not set, the environment variable E(CYBERARK_IDENTITY_TIMEOUT) is used, and then V(30).
    type: int
  retries:
    description:
      - How many times a request is retried when the tenant throttles (HTTP 429) or is briefly unavailable
        (HTTP 502, 503, 504, dropped connections), with exponential backoff and jitter, honouring C(Retry-After).
        Remote Access requests too, with M(cyberark_community.identity.remote_access_integration).
      - A write that must not apply twice is retried only when the tenant refused it (HTTP 429) or after a read
        shows it did not land.
      - If not set, the environment variable E(CYBERARK_IDENTITY_RETRIES) is used, and then V(5).
    type: int
"""
