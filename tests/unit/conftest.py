# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures over the fakes in identity_fakes."""

from __future__ import annotations

import typing as t

import pytest
from identity_fakes import FakeResponse, FakeSession, envelope  # pylint: disable=import-error,unused-import

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._secrets import Secrets
from ansible_collections.cyberark_community.identity.plugins.module_utils.client._transport import Transport


class Rig(t.NamedTuple):
    transport: Transport
    session: FakeSession
    slept: list


@pytest.fixture
def make_transport():
    """A Transport over a FakeSession, sleeping into a list instead of the clock."""
    def factory(answers: dict, retries: int = 3) -> Rig:
        session = FakeSession(answers)
        slept: list = []
        transport = Transport(retries=retries, session=session, sleep=slept.append, clock=lambda: sum(slept), secrets=Secrets())
        return Rig(transport, session, slept)
    return factory


@pytest.fixture
def ok():
    def factory(result: t.Any = None) -> FakeResponse:
        return FakeResponse(200, envelope(result))
    return factory
