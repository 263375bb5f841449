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
import io
import os
import re
import typing as t

from ansible_collections.cyberark_community.identity.plugins.module_utils import _files
from ansible_collections.cyberark_community.identity.plugins.module_utils.bulk_import import _cells

COLUMNS = ("row", "login_name", "action", "outcome", "message")
# What Markdown would read as markup in a table cell: emphasis, code, links, images, HTML, entities, the cell's pipe, a
# URL's scheme (``https://`` is a link in GitHub's Markdown; ``Name: value`` stays readable) and ``www.`` (a link too).
_MARKDOWN_MARKUP = re.compile(r"[\\`*_{}\[\]()<>!|~&]|:(?=\S)|(?<=www)\.", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def plan_path(report_path: str) -> str:
    """Where check mode writes its plan: ``report.csv`` becomes ``report.plan.csv``."""
    base, extension = os.path.splitext(report_path)
    return f"{base}.plan{extension}"


def summary_path(report_path: str, report_format: str) -> str:
    return os.path.splitext(report_path)[0] + (".html" if report_format == "html" else ".md")


def writable_error(report_path: str, report_format: str) -> str | None:
    """Why the report or its summary cannot be written (a symbolic link there too), checked before the first write to
    the tenant; None when both can."""
    return _files.writable_error([report_path, summary_path(report_path, report_format)])


def markdown_escaped(value: t.Any) -> str:
    """``value`` as a Markdown table cell shows it: every markup character escaped, line breaks as spaces."""
    return _MARKDOWN_MARKUP.sub(lambda found: "\\" + found.group(0), _LINE_BREAK.sub(" ", "" if value is None else str(value)))


def markdown_row(*cells: t.Any) -> str:
    return "| " + " | ".join(markdown_escaped(cell) for cell in cells) + " |"


def csv_document(items: list[dict[str, t.Any]], removals: t.Sequence[dict[str, t.Any]] = ()) -> str:
    """One line per row; users the file no longer lists (removals) follow with an empty row number."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in list(items) + [dict(r, row="") for r in removals]:
        writer.writerow([_cells.neutralise("" if item.get(c) is None else str(item[c])) for c in COLUMNS])
    return buffer.getvalue()


def removal_lines(removals: t.Sequence[dict[str, t.Any]]) -> list[str]:
    if not removals:
        return []
    lines = ["", "## Users in the scope that the file does not list", "",
             "| Login name | Action | Outcome | Message |", "| --- | --- | --- | --- |"]
    lines += [markdown_row(r["login_name"], r["action"], r["outcome"], r["message"]) for r in removals]
    return lines


def _counts(items: list[dict[str, t.Any]]) -> dict[str, int]:
    """What happened to the rows, by outcome: a row counts as created or updated only once the tenant shows it."""
    counts = {"rows": len(items), "ok": {"create": 0, "update": 0, "unchanged": 0}, "not_applied": 0, "invalid": 0, "failed": 0}
    for item in items:
        if item["action"] == "invalid":
            counts["invalid"] += 1
        elif item["outcome"] == "failed":
            counts["failed"] += 1
        elif item["outcome"] == "planned" and item["action"] in ("create", "update"):
            counts["not_applied"] += 1
        elif item["action"] in counts["ok"]:
            counts["ok"][item["action"]] += 1
    return counts


def summary_lines(summary: dict[str, int], items: list[dict[str, t.Any]], source: str, check_mode: bool,
                  removals: t.Sequence[dict[str, t.Any]] = ()) -> list[str]:
    """The title (with the file's name as given: the caller escapes it), the counts and a closing sentence. A plan counts
    rows by action; a report by what the tenant shows, so a run stopped before its writes reports nothing created."""
    if check_mode:
        return [f"Bulk import plan for {source}",
                f"Rows: {summary['rows']}; to create: {summary['create']}; to update: {summary['update']}; "
                f"unchanged: {summary['unchanged']}; invalid: {summary['invalid']}",
                "Every row is valid." if not summary["invalid"] else
                f"{summary['invalid']} {'row is' if summary['invalid'] == 1 else 'rows are'} invalid."]
    counts = _counts(items)
    done = counts["ok"]
    line = (f"Rows: {counts['rows']}; created: {done['create']}; updated: {done['update']}; unchanged: {done['unchanged']}; "
            f"invalid: {counts['invalid']}; failed: {counts['failed']}")
    if counts["not_applied"]:
        line += f"; not applied: {counts['not_applied']}"
        closing = (f"{counts['not_applied']} {'row was' if counts['not_applied'] == 1 else 'rows were'} not applied: "
                   "the run stopped before writing them.")
    elif counts["failed"] or counts["invalid"]:
        closing = "Some rows were not imported: see below."
    elif done["create"] or done["update"]:
        closing = "Every row was imported."
    elif not removals:
        closing = "Nothing changed: every row already matched the tenant."
    else:
        closing = "Every row already matched the tenant."
    if removals:  # users the file no longer lists: what the tenant shows of them too
        removed = sum(r["outcome"] == "ok" for r in removals)
        line += f"; removed: {removed}; removals failed: {sum(r['outcome'] == 'failed' for r in removals)}"
        verb = "deleted" if removals[0]["action"] == "delete" else "disabled"
        closing += f" {removed} of the {len(removals)} users in the scope that the file does not list {'was' if removed == 1 else 'were'} {verb}."
    return [f"Bulk import report for {source}", line, closing]


def markdown_document(summary: dict[str, int], items: list[dict[str, t.Any]], source: str, check_mode: bool,
                      removals: t.Sequence[dict[str, t.Any]] = ()) -> str:
    title, counts, closing = summary_lines(summary, items, markdown_escaped(source), check_mode, removals)
    problems = [i for i in items if i["outcome"] == "failed" or i["action"] == "invalid"]
    lines = [f"# {title}", "", counts, "", closing]
    if problems:
        lines += ["", "| Row | Login name | Action | Outcome | Message |", "| ---: | --- | --- | --- | --- |"]
        lines += [markdown_row(*(item[c] for c in COLUMNS)) for item in problems]
    lines += removal_lines(removals)
    return "\n".join(lines) + "\n"


def html_document(summary: dict[str, int], items: list[dict[str, t.Any]], source: str, check_mode: bool,
                  removals: t.Sequence[dict[str, t.Any]] = ()) -> str:
    title, counts, closing = summary_lines(summary, items, source, check_mode, removals)
    problems = [i for i in items if i["outcome"] == "failed" or i["action"] == "invalid"] + [dict(r, row="") for r in removals]
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(item[c]))}</td>" for c in COLUMNS) + "</tr>" for item in problems
    )
    table = (f"<table><thead><tr>{''.join(f'<th>{c}</th>' for c in COLUMNS)}</tr></thead><tbody>{rows}</tbody></table>"
             if problems else "<p>No row failed.</p>")
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(counts)}</p><p>{html.escape(closing)}</p>{table}</body></html>\n")


def write(report_path: str, report_format: str, summary: dict[str, int], items: list[dict[str, t.Any]], source: str,
          check_mode: bool, removals: t.Sequence[dict[str, t.Any]] = ()) -> list[str]:
    """Write ``report_path`` (CSV) and the summary beside it (``_files``: whole, mode 0600, never through a link);
    returns both paths. Raises OSError (``_files.UnsafePathError`` for a link) before writing either when one is a link."""
    summary_file = summary_path(report_path, report_format)
    for path in (report_path, summary_file):
        problem = _files.symlink_error(path)
        if problem:
            raise _files.UnsafePathError(problem, path)
    if report_format == "html":
        summary_text = html_document(summary, items, source, check_mode, removals)
    else:
        summary_text = markdown_document(summary, items, source, check_mode, removals)
    _files.write_file(report_path, csv_document(items, removals).encode("utf-8"))
    _files.write_file(summary_file, summary_text.encode("utf-8"))
    return [report_path, summary_file]
