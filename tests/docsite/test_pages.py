# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The docsite as users browse it (``make docsite`` builds it): every module, lookup, role and guide page opened in
headless Chromium, which renders it, scripts included; each shows its options and examples, and no local link is
broken. DOCSITE_HTML names the built site (default .tmp/docsite/build/html)."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import typing as t
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE = os.environ.get("DOCSITE_HTML") or os.path.join(ROOT, ".tmp", "docsite", "build", "html")
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE_SECONDS = 60


class Page(HTMLParser):
    """What a rendered page holds: element ids, local links, code blocks and the text of its headings."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.code_blocks = 0
        self.headings: list[str] = []
        self._heading = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag == "div" and "highlight" in (values.get("class") or "").split():
            self.code_blocks += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading += 1
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self._heading -= 1

    def handle_data(self, data: str) -> None:
        if self._heading:
            self.headings[-1] += data


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def rendered(path: str) -> Page:
    """The page's DOM after Chromium ran it (its scripts may add or move elements)."""
    completed = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--dump-dom", "file://" + path], capture_output=True, text=True, timeout=PAGE_SECONDS, check=False)
    assert completed.returncode == 0 and "<body" in completed.stdout, f"Chromium could not render {path}: {completed.stderr[-500:]}"
    return parsed(completed.stdout)


def documented(path: str) -> dict[str, t.Any]:
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    return yaml.safe_load(re.search(r'DOCUMENTATION = r?"""(.*?)"""', source, re.S).group(1))


def plugin_pages() -> list[tuple[str, str, list[str]]]:
    """(page, kind, options) for every module, lookup and role."""
    pages = []
    for kind, pattern in (("module", "plugins/modules/*.py"), ("lookup", "plugins/lookup/*.py")):
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            name = os.path.basename(path)[:-3]
            if not name.startswith("_"):
                pages.append((f"{name}_{kind}.html", kind, sorted(documented(path).get("options") or {})))
    for spec in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml"))):
        with open(spec, encoding="utf-8") as handle:
            options = (yaml.safe_load(handle)["argument_specs"].get("main") or {}).get("options") or {}
        pages.append((f"{spec.split(os.sep)[-3]}_role.html", "role", sorted(f"main--{o}" for o in options)))
    return pages


def guide_pages() -> list[tuple[str, int]]:
    """(page, code blocks its source holds) for every guide of docs/docsite/extra-docs.yml."""
    with open(os.path.join(ROOT, "docs", "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        names = [n for section in yaml.safe_load(handle)["sections"] for n in section["toctree"]]
    guides = []
    for name in names:
        with open(os.path.join(ROOT, "docs", "docsite", "rst", f"{name}.rst"), encoding="utf-8") as handle:
            guides.append((f"docsite/{name}.html", len(re.findall(r"^\s*\.\. code(?:-block)?::", handle.read(), re.M))))
    return guides


MISSING = ("no chromium: make docsite-check installs Debian's chromium" if BROWSER is None
           else f"no site at {SITE}: run make docsite" if not os.path.isfile(os.path.join(SITE, "index.html")) else None)


@pytest.fixture(autouse=True)
def browser_and_site():
    """make docsite-check sets DOCSITE_REQUIRED: there a missing browser or site fails every test instead of skipping."""
    if MISSING and os.environ.get("DOCSITE_REQUIRED"):
        pytest.fail(MISSING)
    if MISSING:
        pytest.skip(MISSING)


@pytest.mark.parametrize("page, kind, options", plugin_pages(), ids=lambda value: value if isinstance(value, str) and value.endswith(".html") else "")
def test_a_plugin_page_renders_its_options_and_examples(page, kind, options):
    shown = rendered(os.path.join(SITE, page))
    missing = [o for o in options if f"parameter-{o}" not in shown.ids]
    assert not missing, f"{page} does not show the options {missing}"
    if kind != "role":
        assert "examples" in shown.ids and shown.code_blocks >= 1, f"{page} shows no examples"
    assert_links(page, shown)


@pytest.mark.parametrize("page, blocks", guide_pages(), ids=lambda value: value if isinstance(value, str) else "")
def test_a_guide_renders_its_code_and_headings(page, blocks):
    shown = rendered(os.path.join(SITE, page))
    assert shown.headings and shown.headings[0].strip(), f"{page} has no title"
    assert shown.code_blocks >= blocks, f"{page} shows {shown.code_blocks} code blocks of the {blocks} its source holds"
    assert_links(page, shown)


_TARGETS: dict[str, set[str]] = {}


def assert_links(page: str, shown: Page) -> None:
    """Every local link of the page leads to a built file, and to an element with its fragment's id."""
    broken = []
    for href in shown.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # the web: out of this machine's reach, and not the site's own
        path = unquote(parts.path)
        if not path:
            target = os.path.join(SITE, page)
        elif path.startswith("/"):  # from the site's root, where the site is served (the theme's home link is /)
            target = os.path.normpath(os.path.join(SITE, path.lstrip("/")))
        else:
            target = os.path.normpath(os.path.join(os.path.dirname(os.path.join(SITE, page)), path))
        if path.endswith("/") or os.path.isdir(target):
            target = os.path.join(target, "index.html")
        if not os.path.isfile(target):
            broken.append(f"{href} (no file)")
            continue
        if parts.fragment and target.endswith(".html"):
            if target not in _TARGETS:
                with open(target, encoding="utf-8") as handle:
                    _TARGETS[target] = parsed(handle.read()).ids
            ids = shown.ids if target == os.path.join(SITE, page) else _TARGETS[target]
            if unquote(parts.fragment) not in ids:
                broken.append(f"{href} (no element {parts.fragment!r})")
    assert not broken, f"{page} has broken local links: {broken}"
