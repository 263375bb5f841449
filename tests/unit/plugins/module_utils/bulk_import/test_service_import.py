# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service's import job (_service_import, _users.submit_import): the CSV it is given, and the answers that stop it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from identity_fakes import FakeSession, refused, success  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_file, _service_import
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import._import_rows import UserRow
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._client import ConnectionOptions, IdentityClient
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Secrets, Transport
from ansible_collections.cyberark_community.identity.plugins.module_utils.resources import _users


def test_the_csv_has_the_default_headers_and_quotes_roles():
    row = UserRow(row=2, name="jane@acme.com", email="jane@acme.com", display_name="Doe, Jane", roles=["Help Desk", "Auditors"],
                  password="Good-Passw0rd-1", force_password_change=True)
    lines = list(csv.reader(io.StringIO(_service_import.csv_bytes([row]).decode("utf-8"))))
    assert lines[0] == list(_import_file.HEADERS)
    values = dict(zip(lines[0], lines[1]))
    assert values["Login Name"] == "jane@acme.com" and values["Display Name"] == "Doe, Jane"
    assert values["Roles"] == "Help Desk, Auditors" and values["Password"] == "Good-Passw0rd-1"


def client_for(answers):
    session = FakeSession(answers)
    transport = Transport(retries=0, session=session, sleep=lambda s: None, secrets=Secrets())
    return IdentityClient(ConnectionOptions(tenant_url="abc.my.idaptive.app", access_token="tok-en-value"), transport), session


UPLOADED = success({"ReturnID": "up-1"})


@pytest.mark.parametrize("answers, words", [
    ({"/CDirectoryService/GetUsersFromCsvFile": success({})}, "GetUsersFromCsvFile answered without a ReturnID"),
    ({"/CDirectoryService/GetUsersFromCsvFile": UPLOADED,
      "/CDirectoryService/SubmitUploadedFile": success(json.dumps({"success": False, "Message": "AdminEmail is required."}))},
     "SubmitUploadedFile refused the job: AdminEmail is required."),
    ({"/CDirectoryService/GetUsersFromCsvFile": UPLOADED,
      "/CDirectoryService/SubmitUploadedFile": success(json.dumps({"success": "perhaps"}))},
     "the import job up-1 may have started"),
    ({"/CDirectoryService/GetUsersFromCsvFile": refused("Unsupported file.")}, "Unsupported file."),
])
def test_a_job_that_does_not_start_is_an_error(answers, words):
    client, session = client_for(answers)
    with pytest.raises(IdentityError) as info:
        _users.submit_import(client, "a.csv", b"Login Name,Email Address\r\n", "admin@acme.com", False)
    assert words in info.value.message
    assert session.calls[0]["files"]["Icon"] == ("a.csv", b"Login Name,Email Address\r\n", "text/csv")


def test_a_job_answered_as_an_object_starts_too():
    client, session = client_for({"/CDirectoryService/GetUsersFromCsvFile": UPLOADED,
                                  "/CDirectoryService/SubmitUploadedFile": success({"success": True})})
    assert _users.submit_import(client, "a.csv", b"x", "admin@acme.com", True) == "up-1"
    assert session.calls[1]["json"] == {"ReturnID": "up-1", "AdminEmail": "admin@acme.com", "SendSmsInvite": False, "SendEmailInvite": True}
