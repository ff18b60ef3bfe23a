#!/usr/bin/env bash
# Install the Debian packages a make target needs, when they are missing.
#   scripts/sysdeps.sh run   -> gettext (compilemessages)
#   scripts/sysdeps.sh test  -> + chromium, postgresql, redis-server (the scale-out run), fonts for Tibetan/Uyghur/Chinese
set -euo pipefail
want=(gettext)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium postgresql redis-server fonts-noto-core fonts-wqy-microhei)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
