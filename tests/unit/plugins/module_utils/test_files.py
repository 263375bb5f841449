# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The files the collection writes (the export's dest, the import report, its summary and the check-mode plan): a new
file with a random name in the destination's folder, mode 0600, renamed into place; never through a symbolic link."""

from __future__ import annotations

import os
import stat
from unittest import mock

import pytest

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _export, _import_report

SUMMARY = {"rows": 1, "create": 1, "update": 0, "unchanged": 0, "invalid": 0, "failed": 0}
ITEMS = [{"row": 2, "login_name": "a@acme.com", "action": "create", "outcome": "ok", "message": "created"}]


def files():
    from ansible_collections.cyberark_community.identity.plugins.module_utils import _files  # pylint: disable=import-outside-toplevel
    return _files


def write_report(path, check_mode=False):
    return _import_report.write(str(path), "markdown", SUMMARY, ITEMS, "users.csv", check_mode)


def victim(tmp_path):
    """A file elsewhere that a planted link points at: its content and mode must never change."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    target = folder / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    target.chmod(0o644)
    return target


def untouched(target):
    return target.read_text(encoding="utf-8") == "keep me\n" and stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize("planted", ["r.csv", "r.md", "r.plan.csv", "r.plan.md"])
def test_a_symlink_at_a_report_file_is_refused_by_the_check_and_the_write(tmp_path, planted):
    target = victim(tmp_path)
    link = tmp_path / planted
    link.symlink_to(target)
    check_mode = ".plan." in planted
    path = _import_report.plan_path(str(tmp_path / "r.csv")) if check_mode else str(tmp_path / "r.csv")
    problem = _import_report.writable_error(path, "markdown")
    assert problem is not None and str(link) in problem and "symbolic link" in problem
    with pytest.raises(OSError) as raised:
        write_report(path, check_mode)
    assert str(link) in raised.value.strerror and "symbolic link" in raised.value.strerror
    assert untouched(target) and link.is_symlink()


def test_a_symlink_at_the_export_dest_is_refused_and_its_target_untouched(tmp_path):
    target = victim(tmp_path)
    dest = tmp_path / "export.csv"
    dest.symlink_to(target)
    with pytest.raises(OSError) as raised:
        _export.write(str(dest), b"Login Name,Email Address\r\n")
    assert str(dest) in raised.value.strerror and "symbolic link" in raised.value.strerror
    assert untouched(target) and dest.is_symlink() and sorted(os.listdir(tmp_path)) == ["elsewhere", "export.csv"]


def test_the_export_writes_no_file_at_a_name_known_in_advance(tmp_path):
    """The old temporary name was dest.tmp<pid>: a link planted there was followed. Every name used is random."""
    target = victim(tmp_path)
    dest = tmp_path / "export.csv"
    (tmp_path / f"export.csv.tmp{os.getpid()}").symlink_to(target)
    renamed = []
    real_replace = os.replace

    def spy(source, destination):
        renamed.append(source)
        real_replace(source, destination)
    with mock.patch("os.replace", side_effect=spy):
        _export.write(str(dest), b"first\r\n")
        _export.write(str(dest), b"second\r\n")
    assert untouched(target) and dest.read_bytes() == b"second\r\n"
    assert len(renamed) == 2 and len(set(renamed)) == 2
    assert all(os.path.dirname(os.path.abspath(name)) == str(tmp_path) for name in renamed)
    assert not any(name.endswith(f".tmp{os.getpid()}") for name in renamed)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_a_report_is_a_new_file_of_mode_0600_renamed_into_place(tmp_path, umask):
    """A report written in place would change every file hard-linked to it, and keep a wider mode until the write."""
    other = tmp_path / "other.csv"
    other.write_text("someone else's\n", encoding="utf-8")
    other.chmod(0o644)
    os.link(other, tmp_path / "r.csv")
    previous = os.umask(umask)
    try:
        files_written = write_report(tmp_path / "r.csv")
    finally:
        os.umask(previous)
    assert other.read_text(encoding="utf-8") == "someone else's\n" and stat.S_IMODE(other.stat().st_mode) == 0o644
    assert [stat.S_IMODE(os.stat(f).st_mode) for f in files_written] == [0o600, 0o600]
    assert sorted(os.listdir(tmp_path)) == ["other.csv", "r.csv", "r.md"]


def test_a_report_that_cannot_be_renamed_into_place_leaves_the_old_one_whole_and_no_temporary(tmp_path):
    (tmp_path / "r.csv").write_text("the last run's report\n", encoding="utf-8")
    with mock.patch("os.replace", side_effect=OSError(28, "No space left on device")):
        with pytest.raises(OSError):
            write_report(tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == "the last run's report\n"
    assert sorted(os.listdir(tmp_path)) == ["r.csv"]


def test_write_file_creates_the_folder_and_refuses_a_link_to_a_folder(tmp_path):
    path = tmp_path / "new" / "deeper" / "out.csv"
    files().write_file(str(path), b"x")
    assert path.read_bytes() == b"x" and stat.S_IMODE(path.stat().st_mode) == 0o600
    (tmp_path / "linked.csv").symlink_to(tmp_path / "new")
    with pytest.raises(OSError) as raised:
        files().write_file(str(tmp_path / "linked.csv"), b"y")
    assert "symbolic link" in raised.value.strerror
    assert files().writable_error([str(tmp_path / "dangling.csv")]) is None
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere")
    assert "symbolic link" in files().writable_error([str(tmp_path / "dangling.csv")])


def test_writable_error_names_what_stands_in_the_way(tmp_path):
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    assert files().writable_error([str(tmp_path / "plain.txt" / "sub" / "out.csv")]) == f"{tmp_path / 'plain.txt'} is not a folder"
    (tmp_path / "folder").mkdir()
    assert files().writable_error([str(tmp_path / "ok.csv"), str(tmp_path / "folder")]) == f"{tmp_path / 'folder'} is a folder"
    assert files().writable_error([str(tmp_path / "new" / "deeper" / "out.csv")]) is None  # created when written
    # the tests may run as root, whom every permission lets through: the refusals are asked of os.access
    with mock.patch.object(files().os, "access", return_value=False):
        assert files().writable_error([str(tmp_path / "new" / "out.csv")]) == f"the folder {tmp_path} cannot be written"
    with mock.patch.object(files().os, "access", side_effect=lambda path, mode: os.path.isdir(path)):
        assert files().writable_error([str(tmp_path / "plain.txt")]) == f"{tmp_path / 'plain.txt'} exists and cannot be written"


def test_a_write_that_fails_after_its_temporary_was_moved_away_still_raises(tmp_path):
    def vanish(temporary, _path):
        os.unlink(temporary)
        raise OSError(5, "Input/output error")
    with mock.patch.object(files().os, "replace", side_effect=vanish), pytest.raises(OSError, match="Input/output error"):
        files().write_file(str(tmp_path / "out.csv"), b"x")
    assert os.listdir(tmp_path) == []
