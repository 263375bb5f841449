# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's callback (tests/bench/many_tenants.py): each host's busy seconds (the sum of its tasks' run times) and the
time its first task started and its last ended, written as JSON to ``$BENCH_HOST_TIMES`` at the end of the run."""

from __future__ import annotations

DOCUMENTATION = r"""
name: host_times
type: aggregate
short_description: each host's task seconds, for the benchmark
description:
  - Writes each host's busy seconds and first and last task times to the file named by E(BENCH_HOST_TIMES).
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "host_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.started: dict = {}
        self.hosts: dict = {}

    def v2_runner_on_start(self, host, task) -> None:
        self.started[(host.get_name(), task._uuid)] = time.time()  # pylint: disable=protected-access

    def _ended(self, result, *_args, **_kwargs) -> None:
        name = result._host.get_name()  # pylint: disable=protected-access
        began = self.started.pop((name, result._task._uuid), None)  # pylint: disable=protected-access
        if began is None:
            return
        now = time.time()
        entry = self.hosts.setdefault(name, {"busy": 0.0, "first": began, "last": now})
        entry["busy"] += now - began
        entry["first"], entry["last"] = min(entry["first"], began), max(entry["last"], now)

    v2_runner_on_ok = v2_runner_on_failed = v2_runner_on_skipped = v2_runner_on_unreachable = _ended

    def v2_playbook_on_stats(self, stats) -> None:
        path = os.environ.get("BENCH_HOST_TIMES")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.hosts, handle)
