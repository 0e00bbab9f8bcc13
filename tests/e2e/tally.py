# SPDX-License-Identifier: GPL-2.0-only
"""Counting of test results for the drivers (tests/run.py, tools/vmtest.py): one line per test,
and the totals for the closing `N passed, N failed` line. A skip never counts as a pass."""


class Tally:
    def __init__(self, echo=True):
        self.passed = self.failed = self.skipped = 0
        self.failures = []
        self.echo = echo  # the driver's self-test counts quietly

    def _print(self, line):
        if self.echo:
            print(line, flush=True)

    def ok(self, name):
        self.passed += 1
        self._print(f"PASS {name}")

    def fail(self, name, why):
        self.failed += 1
        self.failures.append(name)
        self._print(f"FAIL {name}: {why}")

    def skip(self, name, why):
        self.skipped += 1
        self._print(f"SKIP {name}: {why}")

    def summary(self):
        line = f"{self.passed} passed, {self.failed} failed"
        return line + (f", {self.skipped} skipped" if self.skipped else "")
