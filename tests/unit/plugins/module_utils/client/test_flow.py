# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Flow control as a model: the tuning table, the limiter's phases, the learnt cap's states.

How the rate cap learns from 429s is tested through its behaviour in test_transport.py (TestRateCap)."""

from __future__ import annotations

import dataclasses

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils.client._flow import (
    TUNING,
    CapState,
    Limiter,
    LimiterPhase,
    RateCap,
)


def test_the_tuning_is_the_one_the_bench_figures_were_measured_with():
    assert dataclasses.asdict(TUNING) == {
        "limiter_start": 4, "latency_holds": 2.0, "latency_slack": 0.005, "limiter_wait": 1.0,
        "window": 10.0, "raise_every": 1.0, "enough": 20, "few": 5, "hold": 30.0, "clean_run": 0.5, "held": 0.3,
        "held_pace": 0.8, "held_after": 1.0, "climb": 1.5, "back": 1.10, "probe": 1.02, "under_ceiling": 0.93,
        "sustained_margin": 0.95, "clean_floor": 0.9, "held_floor": 0.8, "min_span": 0.05, "min_rate": 0.5,
        "lowering_pause": 0.5, "at_pace": 0.8, "slowed": 0.7,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        TUNING.hold = 1.0  # type: ignore[misc]


def test_the_limiter_grows_to_its_cap_then_is_full_and_backs_off_on_a_429():
    limiter = Limiter()
    assert limiter.phase is LimiterPhase.FULL  # one request in flight, not configured: nothing to learn
    limiter.configure(6)
    assert (limiter.limit, limiter.phase) == (TUNING.limiter_start, LimiterPhase.GROWING)
    for _i in range(4 + 5):
        limiter.acquire()
        limiter.release(throttled=False, latency=0.1)
    assert (limiter.limit, limiter.phase) == (6, LimiterPhase.FULL)
    limiter.acquire()
    limiter.release(throttled=True)
    assert (limiter.limit, limiter.phase) == (3, LimiterPhase.GROWING)


def test_a_slow_answer_ends_the_run_of_fast_ones():
    limiter = Limiter()
    limiter.configure(8)
    for latency in (0.1, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1):
        limiter.acquire()
        limiter.release(throttled=False, latency=latency)
    assert limiter.limit == 4  # three fast, one slow (more than twice the fastest), three fast: no run of four


def test_the_learnt_cap_climbs_then_returns_under_the_ceiling_holds_and_probes():
    cap = RateCap(None, clock=lambda: 0.0, sleep=lambda s: None)
    assert cap.state(0.0) is CapState.NONE
    cap.learnt = 1 / 50
    assert cap.state(0.0) is CapState.CLIMBING
    assert cap._raised_rate(0.0) == pytest.approx(50 * TUNING.climb)  # pylint: disable=protected-access
    cap.ceiling = 100.0
    assert cap.state(0.0) is CapState.RETURNING
    assert cap._raised_rate(0.0) == pytest.approx(50 * TUNING.back)  # pylint: disable=protected-access
    cap.learnt = 1 / 94  # at the plateau (93) or above it
    assert cap.state(TUNING.hold - 1) is CapState.HOLDING
    assert cap._raised_rate(TUNING.hold - 1) == pytest.approx(94)  # pylint: disable=protected-access
    assert cap.state(TUNING.hold) is CapState.PROBING
    assert cap._raised_rate(TUNING.hold) == pytest.approx(94 * TUNING.probe)  # pylint: disable=protected-access
