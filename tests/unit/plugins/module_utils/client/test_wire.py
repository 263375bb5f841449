# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The contract between the transport and its HTTP session: the real session and the unit tests' fake both keep it."""

from __future__ import annotations

import inspect

from identity_fakes import FakeResponse, FakeSession  # pylint: disable=import-error

from ansible_collections.cyberark_community.identity.plugins.module_utils.client import _wire
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._http import HttpSession, Response


def test_the_http_session_and_the_fake_keep_the_session_contract():
    assert isinstance(HttpSession(), _wire.Session)
    assert isinstance(FakeSession({}), _wire.Session)


def test_the_http_answer_and_the_fake_keep_the_answer_contract():
    assert isinstance(Response(200, {}, b"{}"), _wire.Answer)
    assert isinstance(FakeResponse(200, {}), _wire.Answer)


def test_the_http_session_takes_every_argument_the_contract_names():
    contract = inspect.signature(_wire.Session.request).parameters
    real = inspect.signature(HttpSession.request).parameters
    assert list(contract) == list(real)
    assert all(contract[name].default == real[name].default for name in contract)
