#!/usr/bin/env bash
# Create the peers' venv at bench/.peers-venv and install bench/peers/requirements.txt into it.
# Idempotent: reinstalls only when requirements.txt changed (its sha256 is kept in the venv).
# Python: $PEERS_PYTHON, else python3 (3.11 or newer). Never touches the app's .venv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(dirname "$here")/.peers-venv"
req="$here/requirements.txt"
if [ ! -x "$venv/bin/python" ]; then
  "${PEERS_PYTHON:-python3}" -m venv "$venv"
fi
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$req"
  echo "$want" > "$venv/.requirements.sha256"
fi
echo "peers venv ready: $venv"
