# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""openpyxl and xlrd are imported only when a spreadsheet is read or written: a CSV import or export never pays for them."""

from __future__ import annotations

import os
import subprocess
import sys

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _import_file

SCRIPT = """
import sys
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_file
records = _import_file.read_path(sys.argv[1])
_export.content([dict(row) for _n, row in records.rows], list(_import_file.HEADERS), "csv")
print(sorted(name for name in ("openpyxl", "xlrd") if name in sys.modules))
"""


def test_a_csv_import_and_export_import_no_spreadsheet_library(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Login Name,Email Address\nann@acme.com,ann@acme.com\n", encoding="utf-8")
    # The folder that holds ansible_collections, as this test process found it.
    root = _import_file.__file__.split(os.sep + "ansible_collections" + os.sep, maxsplit=1)[0]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root] + sys.path))
    completed = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, timeout=60, check=False, env=env)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == "[]"
