#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks of the source tree itself (make test runs them; make check runs the layers):
- layers: user/ is in folders, one per responsibility, ordered from the top (the commands) down
  (leaf helpers); a file includes headers of its own folder or of folders below it, never above.
- cli: each command's options agree between its --help (written from the option table), the
  man page and the bash completion the build wrote, and every option the README and docs/ show
  in a command line exists for that command.
"""
import glob
import os
import re
import subprocess
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


def help_options(procscope):
    """{command: set of long options} from each command's --help."""
    out = subprocess.run([procscope, "--help"], capture_output=True, text=True, check=True).stdout
    commands = re.findall(r"^  (\w+) ", out.split("Commands:\n")[1], re.M)
    opts = {}
    for c in commands:
        text = subprocess.run([procscope, c, "--help"], capture_output=True, text=True,
                              check=True).stdout
        section = text.split("\nOptions:\n")[1].split("\nExamples:\n")[0]
        opts[c] = set(re.findall(r"^  (?:-\w, |    )--([\w.-]+)", section, re.M))
    return opts


def man_options(manpage):
    """{command: set of long options} from the man page's COMMANDS section."""
    opts, cmd = {}, None
    with open(manpage) as f:
        for line in f:
            m = re.match(r"\.SS procscope (\w+)", line)
            if m:
                cmd = m.group(1)
                opts[cmd] = set()
            elif line.startswith(".SH") and cmd:
                cmd = None
            elif cmd and line.startswith(".B ") and "\\-\\-" in line:
                m = re.search(r"\\-\\-((?:[\w.]|\\-)+)", line)
                if m and not line.startswith(".B procscope"):
                    opts[cmd].add(m.group(1).replace("\\-", "-"))
    return opts


def completion_options(script, command):
    """The options bash completes after 'procscope COMMAND --'."""
    p = subprocess.run(["bash", "-c", f"source {script}; COMP_WORDS=(procscope {command} --); "
                        "COMP_CWORD=2; _procscope; printf '%s\\n' \"${COMPREPLY[@]}\""],
                       capture_output=True, text=True, check=True)
    return {w[2:] for w in p.stdout.split() if w.startswith("--")}


def docs_problems(opts):
    """Options shown in command lines of the README and docs/ that the command does not take."""
    problems = []
    for path in [os.path.join(TOP, "README.md")] + sorted(glob.glob(os.path.join(TOP, "docs",
                                                                             "*.md"))):
        fence = False
        with open(path) as f:
            for n, line in enumerate(f, 1):
                if line.startswith("```"):
                    fence = not fence
                    continue
                for m in re.finditer(r"(?:^|[`$#] ?)(?:sudo )?procscope (\w+)([^`|]*)", line
                                     if fence else " ".join(re.findall(r"`([^`]*)`", line))):
                    cmd, rest = m.group(1), m.group(2)
                    if cmd not in opts:
                        continue
                    for o in re.findall(r"(?:^|\s)--([a-z][\w.-]*)", rest):
                        if o not in opts[cmd]:
                            problems.append(f"{os.path.relpath(path, TOP)}:{n}: procscope "
                                            f"{cmd} has no --{o}")
    return problems


def cli_problems(build):
    procscope = os.path.join(build, "procscope")
    opts = help_options(procscope)
    man = man_options(os.path.join(build, "procscope.8"))
    problems = []
    for cmd, want in opts.items():
        if man.get(cmd) != want:
            problems.append(f"man page, {cmd}: {sorted(man.get(cmd, set()) ^ want)} differ "
                            "from --help")
        got = completion_options(os.path.join(build, "procscope.bash"), cmd)
        if got != want:
            problems.append(f"bash completion, {cmd}: {sorted(got ^ want)} differ from --help")
    if set(man) != set(opts):
        problems.append(f"man page commands {sorted(man)} != {sorted(opts)}")
    return problems + docs_problems(opts)


def run(build, tally):
    for name, check in (("source/layers", layer_problems),
                        ("source/cli_agrees", lambda: cli_problems(build))):
        problems = check()
        if problems:
            tally.fail(name, "\n".join(problems))
        else:
            tally.ok(name)


def main():
    problems = layer_problems()
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
