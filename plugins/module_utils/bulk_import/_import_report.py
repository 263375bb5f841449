# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The import report: a CSV with one line per row and a human-readable summary (Markdown or HTML).

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Like the service's "Bulk Import Report": how many users the file named, how many
were added, updated or left alone, and why each failed row failed. No secret is
ever written (items hold none). Values come from the import file, so none may act:
CSV cells are neutralised as the export's are, Markdown and HTML show them as text.
"""

from __future__ import annotations

import csv
import html
import os
import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _cells

COLUMNS = ("row", "login_name", "action", "outcome", "message")
MODE = 0o600  # reports name users and what happened to them: readable by their owner only
# What Markdown would read as markup in a table cell: emphasis, code, links, images, HTML, entities, the cell's pipe, a
# URL's scheme (``https://`` is a link in GitHub's Markdown; ``Name: value`` stays readable) and ``www.`` (a link too).
_MARKDOWN_MARKUP = re.compile(r"[\\`*_{}\[\]()<>!|~&]|:(?=\S)|(?<=www)\.", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _open(path: str, newline: str | None = None) -> t.TextIO:
    """Open ``path`` for writing with mode 0600, whatever the umask, tightening a file that exists already."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, MODE)
    os.fchmod(descriptor, MODE)
    return open(descriptor, "w", encoding="utf-8", newline=newline)


def plan_path(report_path: str) -> str:
    """Where check mode writes its plan: ``report.csv`` becomes ``report.plan.csv``."""
    base, extension = os.path.splitext(report_path)
    return f"{base}.plan{extension}"


def summary_path(report_path: str, report_format: str) -> str:
    return os.path.splitext(report_path)[0] + (".html" if report_format == "html" else ".md")


def writable_error(report_path: str, report_format: str) -> str | None:
    """Why the report cannot be written, checked before the first write to the tenant; None when it can."""
    directory = os.path.dirname(os.path.abspath(report_path))
    existing = directory
    while not os.path.isdir(existing):
        parent = os.path.dirname(existing)
        if parent == existing or (os.path.exists(existing) and not os.path.isdir(existing)):
            return f"{existing} is not a folder"
        existing = parent
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"the folder {existing} cannot be written"
    for path in (report_path, summary_path(report_path, report_format)):
        if os.path.isdir(path):
            return f"{path} is a folder"
        if os.path.exists(path) and not os.access(path, os.W_OK):
            return f"{path} exists and cannot be written"
    return None


def markdown_text(value: t.Any) -> str:
    """``value`` as a Markdown table cell shows it: every markup character escaped, line breaks as spaces."""
    return _MARKDOWN_MARKUP.sub(lambda found: "\\" + found.group(0), _LINE_BREAK.sub(" ", "" if value is None else str(value)))


def markdown_row(*cells: t.Any) -> str:
    return "| " + " | ".join(markdown_text(cell) for cell in cells) + " |"


def write_csv(path: str, items: list[dict[str, t.Any]], removals: t.Sequence[dict[str, t.Any]] = ()) -> None:
    """One line per row; users the file no longer lists (removals) follow with an empty row number."""
    with _open(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for item in list(items) + [dict(r, row="") for r in removals]:
            writer.writerow([_cells.neutralise("" if item.get(c) is None else str(item[c])) for c in COLUMNS])


def removal_lines(removals: t.Sequence[dict[str, t.Any]]) -> list[str]:
    if not removals:
        return []
    lines = ["", "## Users in the scope that the file does not list", "",
             "| Login name | Action | Outcome | Message |", "| --- | --- | --- | --- |"]
    lines += [markdown_row(r["login_name"], r["action"], r["outcome"], r["message"]) for r in removals]
    return lines


def summary_lines(summary: dict[str, int], source: str, check_mode: bool) -> list[str]:
    """The title (with the file's name as given: the caller escapes it) and the counts."""
    title = "Bulk import plan" if check_mode else "Bulk import report"
    verbs = ("to create", "to update") if check_mode else ("created", "updated")
    return [
        f"{title} for {source}",
        f"Rows: {summary['rows']}; {verbs[0]}: {summary['create']}; {verbs[1]}: {summary['update']}; "
        f"unchanged: {summary['unchanged']}; invalid: {summary['invalid']}; failed: {summary['failed']}",
    ]


def write_markdown(path: str, summary: dict[str, int], items: list[dict[str, t.Any]], source: str, check_mode: bool,
                   removals: t.Sequence[dict[str, t.Any]] = ()) -> None:
    title, counts = summary_lines(summary, markdown_text(source), check_mode)
    problems = [i for i in items if i["outcome"] == "failed" or i["action"] == "invalid"]
    lines = [f"# {title}", "", counts, ""]
    if problems:
        lines += ["| Row | Login name | Action | Outcome | Message |", "| ---: | --- | --- | --- | --- |"]
        lines += [markdown_row(*(item[c] for c in COLUMNS)) for item in problems]
    else:
        lines.append("Every row was imported." if not check_mode else "Every row is valid.")
    lines += removal_lines(removals)
    with _open(path) as handle:
        handle.write("\n".join(lines) + "\n")


def write_html(path: str, summary: dict[str, int], items: list[dict[str, t.Any]], source: str, check_mode: bool,
               removals: t.Sequence[dict[str, t.Any]] = ()) -> None:
    title, counts = summary_lines(summary, source, check_mode)
    problems = [i for i in items if i["outcome"] == "failed" or i["action"] == "invalid"] + [dict(r, row="") for r in removals]
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(item[c]))}</td>" for c in COLUMNS) + "</tr>" for item in problems
    )
    table = (f"<table><thead><tr>{''.join(f'<th>{c}</th>' for c in COLUMNS)}</tr></thead><tbody>{rows}</tbody></table>"
             if problems else "<p>No row failed.</p>")
    document = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
                f"<body><h1>{html.escape(title)}</h1><p>{html.escape(counts)}</p>{table}</body></html>\n")
    with _open(path) as handle:
        handle.write(document)


def write(report_path: str, report_format: str, summary: dict[str, int], items: list[dict[str, t.Any]], source: str,
          check_mode: bool, removals: t.Sequence[dict[str, t.Any]] = ()) -> list[str]:
    """Write ``report_path`` (CSV) and the summary beside it; returns both paths."""
    directory = os.path.dirname(os.path.abspath(report_path))
    os.makedirs(directory, exist_ok=True)
    summary_file = summary_path(report_path, report_format)
    write_csv(report_path, items, removals)
    if report_format == "html":
        write_html(summary_file, summary, items, source, check_mode, removals)
    else:
        write_markdown(summary_file, summary, items, source, check_mode, removals)
    return [report_path, summary_file]
