#!/usr/bin/env bash
# Pupitre's set-up for a fresh Debian/Ubuntu machine, in one script:
#   bash packaging/dev.sh run [pupitre args]   install everything, then run the app
#   bash packaging/dev.sh test [pytest args]   install everything, then lint, type-check and test
#   bash packaging/dev.sh setup                install everything only
#   bash packaging/dev.sh translations         compile the translations only (.qm and .mo)
# System packages are installed with apt when we are root or have password-less sudo; otherwise
# the script prints the exact apt-get line to run and carries on (tests that need a missing
# package are skipped with the reason).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

# libVLC for the preview (vlc-plugin-video-output: needed to draw into a Qt window), the X/xcb
# libraries Qt's xcb platform needs, fonts for the lab's video.
APT_RUNTIME=(libvlc5 vlc-plugin-base vlc-plugin-video-output libvlc-bin fonts-dejavu-core
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1
  libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libegl1 libgl1 libfontconfig1
  libdbus-1-3)
# Tests: a virtual screen, nginx with the RTMP module (production path of the lab), Chromium for
# the audience page, screenshot tools, Node for hls.js, the validators of the .desktop file and
# the AppStream metainfo (tests/distribution), and a real Secret Service for the keyring tests
# (gnome-keyring in a private D-Bus session, tests/system_keyring).
APT_TEST=(xvfb xauth nginx libnginx-mod-rtmp chromium x11-apps imagemagick appstream desktop-file-utils tesseract-ocr
  gnome-keyring dbus at-spi2-core libglib2.0-bin)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

install_system() {
  local wanted=("$@") missing
  command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
  command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian system: install libVLC, Xvfb and nginx-rtmp yourself"; return 0; }
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  [ ${#missing[@]} -eq 0 ] && return 0
  local apt=(apt-get install -y -q --no-install-recommends "${missing[@]}")
  if [ "$(id -u)" = 0 ]; then
    say "installing system packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    say "installing system packages with sudo: ${missing[*]}"
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
  else
    say "cannot install system packages (not root, no password-less sudo). Please run:"
    echo "    sudo apt-get update && sudo ${apt[*]}"
  fi
}

pick_python() {
  local candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  say "Python 3.11 or newer is needed (apt-get install python3 python3-venv)" >&2
  exit 1
}

install_python() {
  local stamp="$VENV/.pupitre-installed" want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment in .venv"
    "$(pick_python)" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Python packages"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test]"
    echo "$want" > "$stamp"
  fi
}

install_web() {
  # hls.js for the lab's audience page, from the npm registry (package.json + lockfile)
  local web="$ROOT/desktop/lab/web"
  [ -f "$web/package.json" ] || return 0
  command -v npm >/dev/null 2>&1 || { say "npm is missing: the lab's audience page will use native HLS only"; return 0; }
  if [ ! -d "$web/node_modules/hls.js" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    say "installing hls.js from the npm registry"
    (cd "$web" && npm ci --no-audit --no-fund --silent)
  fi
}

build_translations() {
  # compile the GUI's .ts sources into .qm and the core's .po into .mo (both git-ignored) so the
  # app starts translated; the runtime needs only the compiled files (gettext is in the stdlib)
  local ts po lang
  mkdir -p "$ROOT/desktop/ui/translations"
  for ts in "$ROOT"/resources/translations/pupitre_*.ts; do
    [ -f "$ts" ] || continue
    "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$ROOT/desktop/ui/translations/$(basename "${ts%.ts}").qm"
  done
  for po in "$ROOT"/resources/translations/pupitre_core_*.po; do
    [ -f "$po" ] || continue
    lang=${po##*pupitre_core_}; lang=${lang%.po}
    mkdir -p "$ROOT/desktop/locale/$lang/LC_MESSAGES"
    "$VENV/bin/pybabel" -q compile -D pupitre -l "$lang" -i "$po" \
      -o "$ROOT/desktop/locale/$lang/LC_MESSAGES/pupitre.mo" >/dev/null
  done
}

setup() {
  local extra=()
  [ "${1:-}" = test ] && extra=("${APT_TEST[@]}")
  install_system "${APT_RUNTIME[@]}" "${extra[@]}"
  install_python
  install_web
  build_translations
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup test ;;
  translations) build_translations ;;
  run)
    setup run
    if [ $# -eq 0 ] && ! "$VENV/bin/python" -c 'import sys
from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
sys.exit(0 if Settings.load(AppPaths.from_environment().settings_file).is_configured else 1)' 2>/dev/null; then
      say "nothing is configured yet: starting the lab demo (pupitre --lab)"
      set -- --lab
    fi
    exec "$VENV/bin/pupitre" "$@"
    ;;
  test)
    setup test
    say "ruff"
    "$VENV/bin/ruff" check desktop tests
    say "mypy"
    "$VENV/bin/mypy" desktop
    say "pytest"
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
      exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$VENV/bin/python" -m pytest "$@"
    fi
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *) echo "usage: $0 run|test|setup|translations [args]" >&2; exit 2 ;;
esac
