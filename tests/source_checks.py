#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks of the source tree itself (make test runs them; make check too):
- layers: user/ is in folders, one per responsibility, ordered from the top (the commands) down
  (leaf helpers); a file includes headers of its own folder or of folders below it, never above.
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
USER = os.path.join(TOP, "user")
# From the top down; main.c (the command table) sits above them all.
LAYERS = ["cmd", "daemon", "cli", "render", "audit", "core", "stacks", "util"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_problems():
    """One line per include that runs upward or sideways out of the layering, or file outside it."""
    problems = []
    for root, _dirs, files in os.walk(USER):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, USER)
            folder = os.path.dirname(rel)
            if folder == "":
                if name != "main.c":
                    problems.append(f"user/{rel}: only main.c lives at the top of user/")
                continue
            if folder not in LAYERS:
                problems.append(f"user/{rel}: folder '{folder}' is not in the layer list "
                                f"(tests/source_checks.py LAYERS)")
                continue
            with open(path) as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                target = os.path.dirname(inc)
                if target == "":
                    continue  # its own folder, or bpf/ and the generated skeletons
                if target not in LAYERS:
                    problems.append(f"user/{rel}: includes \"{inc}\" from an unknown folder")
                elif LAYERS.index(target) < LAYERS.index(folder):
                    problems.append(f"user/{rel} ({folder}) includes \"{inc}\", a layer above it")
                elif target == folder:
                    problems.append(f"user/{rel}: includes \"{inc}\" of its own folder by folder")
    return problems


def run(build, tally):
    problems = layer_problems()
    if problems:
        tally.fail("source/layers", "\n".join(problems))
    else:
        tally.ok("source/layers")


def main():
    problems = layer_problems()
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
