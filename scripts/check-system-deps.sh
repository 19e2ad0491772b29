#!/usr/bin/env bash
# System packages the tests need: socat (pseudo-terminal pairs for serial tests), Chromium (UI tests),
# curl and jq (the README's POS walk-through is executed as a test), a CJK font (so screenshots show Chinese, not boxes) and
# PostgreSQL's server binaries (the store-ledger tests start a throw-away server: initdb, pg_ctl). Installs them with apt when run as root;
# otherwise fails and prints the exact command to run. Never skips silently.
set -euo pipefail

missing=()
command -v socat >/dev/null 2>&1 || missing+=(socat)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# PC/SC: the daemon and its headers (the optional PC/SC binding compiles against libpcsclite-dev at
# npm install, so this runs before npm ci), vsmartcard's virtual reader for the PC/SC tests, and a C
# compiler for the test vendor library of the 社保卡 reader-interface driver.
[ -x /usr/sbin/pcscd ] || missing+=(pcscd)
[ -f /usr/include/PCSC/winscard.h ] || missing+=(libpcsclite-dev)
[ -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || missing+=(vsmartcard-vpcd)
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
has_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
has_postgres || missing+=(postgresql)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then missing+=(fonts-noto-cjk fontconfig); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system dependencies: socat, curl, jq, chromium, CJK font, pcscd, libpcsclite-dev, vsmartcard-vpcd, cc, postgresql present"
  exit 0
fi

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "system dependencies missing: ${missing[*]}" >&2
  echo "run as root: sudo sh -c '$cmd'" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system dependencies missing: ${missing[*]}; this machine has no apt-get: install them with its package manager" >&2
  exit 1
fi
echo "installing system dependencies: ${missing[*]}"
sh -c "$cmd" >/tmp/ybjs-apt.log 2>&1 || { tail -20 /tmp/ybjs-apt.log >&2; echo "apt-get failed; see /tmp/ybjs-apt.log" >&2; exit 1; }
for c in socat curl jq; do command -v "$c" >/dev/null || { echo "$c still missing after install" >&2; exit 1; }; done
[ -x /usr/bin/chromium ] && [ -n "$(fc-list :lang=zh)" ] || { echo "chromium or a CJK font still missing after install" >&2; exit 1; }
[ -x /usr/sbin/pcscd ] && [ -f /usr/include/PCSC/winscard.h ] && [ -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] && command -v cc >/dev/null || { echo "pcscd, libpcsclite-dev, vsmartcard-vpcd or cc still missing after install" >&2; exit 1; }
has_postgres || { echo "postgresql (initdb) still missing after install" >&2; exit 1; }
echo "system dependencies installed"
