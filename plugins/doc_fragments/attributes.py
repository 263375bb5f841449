# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    """Attributes shared by the collection's modules."""

    DOCUMENTATION = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/cyberark_community.identity.identity) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - cyberark_community.identity.identity
"""

    FACTS = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: The module reads only; it runs the same in check mode.
  diff_mode:
    support: N/A
    description: The module changes nothing, so it has no diff.
  facts:
    support: full
    description: The module returns facts under C(ansible_facts).
  idempotent:
    support: full
    description: The module changes nothing.
"""

    WRITER = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: In check mode the module reads the tenant, reports what it would change and the predicted result, and sends no write.
  diff_mode:
    support: full
    description: Returns the state before and after, without secrets.
  idempotent:
    support: full
    description: A second identical run reports no change and sends no write request (except where an option says it always sends).
"""

    INFO = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: The module reads only; it runs the same in check mode.
  diff_mode:
    support: N/A
    description: The module changes nothing, so it has no diff.
  idempotent:
    support: full
    description: The module changes nothing.
"""
