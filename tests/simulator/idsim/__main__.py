# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the simulator: ``python -m idsim [--seed-file F] [--port N] [--info-file F]``.

Prints one JSON line with the tenant URLs, the CA bundle path and the info file's path, then the shell ``export`` lines that
point playbooks at it, then serves until interrupted. The info file (mode 0600) also holds the token every ``/_sim/`` call
needs.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time

from . import readings
from .exports import shell_exports
from .server import Simulator
from .state import World, load_seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="idsim", description="Local CyberArk Identity tenant simulator (loopback only).")
    parser.add_argument("--seed-file", help="JSON or YAML file with tenants, users, suffixes, roles and faults")
    parser.add_argument("--persist", help="save the state to this file when stopping")
    parser.add_argument("--scheme", choices=["https", "http"], default="https",
                        help="http serves the simulator's own tests only: no module accepts an http:// tenant URL")
    parser.add_argument("--port", type=int, default=0, help="port on every tenant address (0: a free one)")
    parser.add_argument("--cert-dir", help="where to write ca.pem, server.pem, server.key and the service account files (each 0600)")
    parser.add_argument("--info-file", help="where to write the start-up JSON and the /_sim/ token (0600; default: info.json in its own directory)")
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--random-seed", type=int, default=0)
    parser.add_argument("--reading", action="append", default=[], metavar="NAME=VALUE",
                        help="how the simulator reads a disputed detail, e.g. redrock_limit=total_before_paging (docs/simulator.md)")
    parser.add_argument("--idle-exit", type=float, default=0, metavar="SECONDS",
                        help="stop after this many seconds without a request (0: never), as test targets started in the background want")
    args = parser.parse_args(argv)

    seed = load_seed(args.seed_file)
    faults = dict(seed.get("faults") or {})
    if args.latency_ms:
        faults["latency_ms"] = args.latency_ms
    try:
        faults["readings"] = readings.checked(dict(faults.get("readings") or {}, **dict(readings.parse_option(r) for r in args.reading)))
    except ValueError as error:
        parser.error(str(error))
    try:
        world = World(seed)
    except ValueError as error:  # a seed it will not serve (a host outside loopback, a host used twice, ...)
        parser.error(str(error))
    try:
        sim = Simulator(world, scheme=args.scheme, port=args.port, cert_dir=args.cert_dir,
                        faults=faults, seed=args.random_seed, persist=args.persist)
    except ValueError as error:  # faults of a tenant the seed lacks, or a key no tenant may set
        parser.error(str(error))
    info = sim.start()
    # The token goes to the info file only (0600): standard output ends up in terminals' scrollback and CI logs.
    printed = dict(info, info_file=sim.write_info(args.info_file))
    # One write: the JSON line first (tools read it), then what a user exports.
    sys.stdout.write("\n".join([json.dumps(printed)] + shell_exports(printed, world)) + "\n")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1.0):
        if args.idle_exit and time.monotonic() - sim.last_request > args.idle_exit:
            break
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
