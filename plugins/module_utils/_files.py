# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writing a file on the controller safely: whole or not at all, readable by its owner only, never through a link.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

The files the collection writes (an export, an import report, its summary, a check-mode plan) name people, and their
folders may be shared. So each is written as a new file with a random name in the destination's folder
(``tempfile.mkstemp``: created exclusively, mode 0600), then renamed over the final path, which replaces a file, or a
link planted meanwhile, without ever writing through it. A final path that is a symbolic link is refused: a link there
is someone's attempt to make the task replace another file, or a mistake worth a clear error.
"""

from __future__ import annotations

import errno
import os
import tempfile
import typing as t

MODE = 0o600  # readable by the file's owner only, whatever the umask


class UnsafePathError(OSError):
    """The final path is a symbolic link; ``strerror`` names it."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(errno.ELOOP, message, path)


def symlink_error(path: str) -> str | None:
    if os.path.islink(path):
        return f"{path} is a symbolic link: the collection never writes through one (remove it or choose another path)"
    return None


def folder_error(path: str) -> str | None:
    """Why no file can be created in ``path``'s folder (the nearest folder that exists, when it must be created)."""
    existing = os.path.dirname(os.path.abspath(path))
    while not os.path.isdir(existing):
        parent = os.path.dirname(existing)
        if parent == existing or (os.path.exists(existing) and not os.path.isdir(existing)):
            return f"{existing} is not a folder"
        existing = parent
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"the folder {existing} cannot be written"
    return None


def writable_error(paths: t.Sequence[str]) -> str | None:
    """Why one of ``paths`` cannot be written, checked before the tenant is changed; None when all can."""
    for path in paths:
        problem = symlink_error(path) or folder_error(path)
        if problem:
            return problem
        if os.path.isdir(path):
            return f"{path} is a folder"
        # Renaming would replace it anyway: a file its owner made read-only is not for the collection to replace.
        if os.path.exists(path) and not os.access(path, os.W_OK):
            return f"{path} exists and cannot be written"
    return None


def write_file(path: str, data: bytes, mode: int = MODE) -> None:
    """Replace ``path`` whole with ``data`` (mode ``mode``), creating its folder; raises UnsafePathError for a link."""
    staged = StagedFile(path, mode)
    with staged:
        staged.write(data)
        staged.commit()


class StagedFile:
    """A new file beside ``path``, written piece by piece (so that a large file is never whole in memory), which replaces
    ``path`` only on :meth:`commit`; left without it (or on an error) it is removed. Use as a context manager."""

    def __init__(self, path: str, mode: int = MODE) -> None:
        self.path = path
        self._mode = mode
        self._temporary: str | None = None
        self._handle: t.BinaryIO | None = None

    def __enter__(self) -> StagedFile:
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        problem = symlink_error(self.path)
        if problem:
            raise UnsafePathError(problem, self.path)
        descriptor, self._temporary = tempfile.mkstemp(prefix=f".{os.path.basename(self.path)}.", suffix=".tmp", dir=directory)
        self._handle = open(descriptor, "wb")  # pylint: disable=consider-using-with  # closed by commit or __exit__
        os.fchmod(self._handle.fileno(), self._mode)
        return self

    def write(self, data: bytes) -> None:
        if self._handle is None:
            raise RuntimeError("StagedFile.write outside its with block")
        self._handle.write(data)

    def commit(self) -> None:
        """Replace ``path`` with what was written; a link planted there while it was written is refused too."""
        if self._handle is None or self._temporary is None:
            raise RuntimeError("StagedFile.commit outside its with block")
        self._handle.close()
        problem = symlink_error(self.path)
        if problem:
            raise UnsafePathError(problem, self.path)
        os.replace(self._temporary, self.path)
        self._temporary = None

    def __exit__(self, *_exc: t.Any) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._temporary is not None:
            try:
                os.unlink(self._temporary)
            except FileNotFoundError:
                pass
