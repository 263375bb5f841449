# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local CyberArk Identity tenant simulator for tests, demos and offline playbook runs.

It speaks the wire contract in docs/api_sources.md (paths, envelopes, HTTP-200
errors, redirects, paging, throttling). Everything that exists only here lives
under ``/_sim/``.
"""
