#!/usr/bin/env bash
# Installs Debian's Chromium and its ChromeDriver (packages chromium, chromium-driver) when missing, for the
# browser test (ops: BrowserChatIT). Needs root (CI runs as root) and apt-get; does nothing when both
# /usr/bin/chromium and /usr/bin/chromedriver are already there. Browsers that tools download themselves
# cannot be fetched here: Debian's packages are the only source.
#
#   .ci/install-browser.sh          install if missing, print the versions
#   PARLEY_SKIP_BROWSER_INSTALL=1   do nothing (the browser test then skips with a loud message)
set -euo pipefail

if [[ "${PARLEY_SKIP_BROWSER_INSTALL:-}" == 1 ]]; then
  echo "install-browser: PARLEY_SKIP_BROWSER_INSTALL=1, not installing" >&2
  exit 0
fi

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "install-browser: already installed" >&2
else
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; install Chromium and ChromeDriver yourself" \
      "(the browser test skips without them)" >&2
    exit 1
  fi
  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
      echo "install-browser: not root and no sudo; cannot install chromium chromium-driver" >&2
      exit 1
    fi
  fi
  echo "install-browser: apt-get install chromium chromium-driver" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q >&2
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver >&2
fi

/usr/bin/chromium --version
/usr/bin/chromedriver --version
