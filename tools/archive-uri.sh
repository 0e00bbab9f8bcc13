#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Prints the Debian archive address this machine's apt already uses (from the URIs: field of a
# deb822 .sources file, or the first deb line of /etc/apt/sources.list). Read at run time so the
# project never names a mirror. Exit 1 with one line when apt has none configured.
set -euo pipefail

uri=""
if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
	uri=$(awk '/^URIs:/ { print $2 }' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v security | head -n 1 || true)
fi
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
	uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
		/etc/apt/sources.list | grep -v security | head -n 1 || true)
fi
if [ -z "$uri" ]; then
	echo "archive-uri: no Debian archive address in /etc/apt/sources.list{,.d}: configure apt first" >&2
	exit 1
fi
echo "$uri"
