# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every key a module returns is documented with a sample (the module reference shows them), its type's shape."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import yaml

from ansible_collections.cyberark_community.identity.plugins import modules

TYPES = {"str": (str, type(None)), "bool": (bool,), "int": (int,), "list": (list,), "dict": (dict,), "float": (float, int), "raw": (object,)}
MODULES = sorted(info.name for info in pkgutil.iter_modules(modules.__path__))


def keys(doc, prefix=""):
    for name, spec in (doc or {}).items():
        yield prefix + name, spec
        yield from keys(spec.get("contains"), prefix + name + ".")


@pytest.mark.parametrize("name", MODULES)
def test_every_returned_key_has_a_sample_of_its_type(name):
    doc = yaml.safe_load(importlib.import_module(f"{modules.__name__}.{name}").RETURN)
    for key, spec in keys(doc):
        if spec.get("contains"):
            continue  # a dict or list of dicts is shown by its keys' samples
        assert "sample" in spec, f"{name}: {key} has no sample"
        assert isinstance(spec["sample"], TYPES[spec["type"]]) or spec["sample"] is None, f"{name}: {key} sample is not a {spec['type']}"


@pytest.mark.parametrize("name", MODULES)
def test_every_doc_block_parses(name):
    module = importlib.import_module(f"{modules.__name__}.{name}")
    for block in ("DOCUMENTATION", "EXAMPLES", "RETURN"):
        assert yaml.safe_load(getattr(module, block)), f"{name}: {block} is empty"


# Result keys ansible-core reads for itself: a module may return them only for their meaning ("skipped" as a list of
# users once showed a successful export as skipped). ansible_facts is tenant_url_facts' facts, its meaning.
RESERVED = {"skipped", "failed", "changed", "msg", "rc", "results", "invocation", "warnings", "deprecations", "diff",
            "exception", "stdout", "stderr", "stdout_lines", "stderr_lines", "skip_reason", "unreachable", "item",
            "ansible_loop_var", "ansible_index_var", "censored", "ansible_no_log"}
RESERVED_MEANINGS = {("tenant_url_facts", "ansible_facts")}
# A key named like a dict method cannot be read with dot notation in Jinja (result.import.items is the method)
DICT_METHODS = {name for name in dir(dict) if not name.startswith("_")}


@pytest.mark.parametrize("name", MODULES)
def test_no_returned_key_collides_with_a_reserved_key_or_a_dict_method(name):
    doc = yaml.safe_load(importlib.import_module(f"{modules.__name__}.{name}").RETURN) or {}
    for key in doc:
        assert key not in RESERVED and (key.startswith("ansible_") is False or (name, key) in RESERVED_MEANINGS), f"{name}: {key} is reserved"
    for key, _spec in keys(doc):
        assert key.rsplit(".", 1)[-1] not in DICT_METHODS, f"{name}: {key} is a dict method's name in Jinja"
