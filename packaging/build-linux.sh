#!/usr/bin/env bash
# Build Pupitre's Linux one-folder bundle (dist/pupitre/) with PyInstaller, then smoke-test it:
#   1. dist/pupitre/pupitre --version   prints Pupitre's, Qt's, libVLC's and the keyring lines
#   2. dist/pupitre/pupitre --help      lists every command group (found with pkgutil, frozen)
#   3. dist/pupitre/pupitre --lab       under Xvfb: a Pupitre window appears and the app is still
#                                       running a few seconds later; screenshot dist/smoke.png;
#                                       then it is stopped with SIGTERM and must exit.
# Exits non-zero if any step fails. `make bundle` runs it.
#
#   bash packaging/build-linux.sh            build + smoke test
#   bash packaging/build-linux.sh --no-build smoke-test the existing dist/pupitre
#   (--gui-session is internal: step 3, run by xvfb-run)
#
# The bundle uses the system's libVLC (libvlc5 vlc-plugin-base vlc-plugin-video-output), like
# the development set-up: see packaging/pyinstaller/pupitre.spec.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
DIST="$ROOT/dist"
BUNDLE="$DIST/pupitre"
ALIVE_SECONDS=${PUPITRE_SMOKE_SECONDS:-5}   # how long the GUI must keep running
WINDOW_TIMEOUT=${PUPITRE_SMOKE_WINDOW_TIMEOUT:-60}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[1;31mFAILED: %s\033[0m\n' "$*" >&2; exit 1; }
started=$SECONDS

build() {
  say "set-up (venv, hls.js, translations): packaging/dev.sh setup"
  bash packaging/dev.sh setup
  if ! "$VENV/bin/python" -c 'import PyInstaller, sys; sys.exit(int(PyInstaller.__version__.split(".")[0]) < 6)' 2>/dev/null; then
    say "installing the build extra (PyInstaller) into .venv"
    "$VENV/bin/python" -m pip install -q -e ".[build]"
  fi
  say "PyInstaller $("$VENV/bin/pyinstaller" --version): building $BUNDLE"
  local t0=$SECONDS
  rm -rf "$BUNDLE"
  "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$ROOT/build/pyinstaller" packaging/pyinstaller/pupitre.spec
  [ -x "$BUNDLE/pupitre" ] || fail "PyInstaller produced no $BUNDLE/pupitre"
  say "built in $((SECONDS - t0)) s: $(du -sh "$BUNDLE" | cut -f1)"
}

need_tools() {
  local missing=() tool
  for tool in xvfb-run import xwininfo xprop; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local apt=(apt-get install -y -q --no-install-recommends xvfb xauth imagemagick x11-utils)
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
  else
    fail "missing ${missing[*]}: run  sudo ${apt[*]}"
  fi
}

smoke_version() {
  say "smoke 1/3: pupitre --version"
  local out
  out=$("$BUNDLE/pupitre" --version) || fail "pupitre --version exited $?"
  printf '%s\n' "$out" | sed 's/^/    /'
  local version
  version=$("$VENV/bin/python" -c 'import desktop; print(desktop.__version__)')
  grep -qx "Pupitre $version" <<<"$out" || fail "--version does not print 'Pupitre $version'"
  grep -q '^Qt [0-9]' <<<"$out" || fail "--version has no Qt line"
  grep -q '^libVLC [0-9]' <<<"$out" || fail "--version: libVLC not found (install libvlc5 vlc-plugin-base vlc-plugin-video-output)"
  grep -q '^Keyring: ' <<<"$out" || fail "--version has no keyring line"
}

smoke_help() {
  say "smoke 2/3: pupitre --help lists every command group"
  local out name
  out=$("$BUNDLE/pupitre" --help) || fail "pupitre --help exited $?"
  for name in $("$VENV/bin/python" -c '
import desktop.cli as cli
for action in cli.build_parser()._subparsers._group_actions:
    print(" ".join(action.choices))'); do
    grep -qw -- "$name" <<<"$out" || fail "the bundle's --help lacks the command '$name'"
  done
  echo "    every command of the source tree is in the bundle"
}

# A mapped top-level window of ours (a direct child of the root window: there is no window
# manager under Xvfb), or nothing.
viewable_top_level_window() {
  local id
  for id in $(xwininfo -root -children 2>/dev/null | awk '/"Pupitre/ {print $1}'); do
    if xwininfo -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'; then
      echo "$id"; return 0
    fi
  done
}

# Runs inside xvfb-run: start the GUI on the lab, wait for its window, keep it alive, screenshot.
gui_session() {
  local log="$DIST/smoke-gui.log" pid wid="" deadline status
  "$BUNDLE/pupitre" --lab >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + WINDOW_TIMEOUT))
  while [ -z "$wid" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "pupitre --lab exited before showing a window"; }
    [ $SECONDS -lt $deadline ] || { kill "$pid"; cat "$log" >&2; fail "no Pupitre window after ${WINDOW_TIMEOUT} s"; }
    wid=$(viewable_top_level_window)
    [ -n "$wid" ] || sleep 0.2   # polling for the window: the condition, with a deadline above
  done
  local wm_class expected
  wm_class=$(xprop -id "$wid" WM_CLASS | sed -n 's/.*= "\(.*\)", "\(.*\)"/\2/p')
  expected=$(sed -n 's/^StartupWMClass=//p' "$ROOT/resources/io.github.pupitre_app.Pupitre.desktop")
  echo "    window $wid \"$(xprop -id "$wid" _NET_WM_NAME | cut -d'"' -f2)\", WM_CLASS class \"$wm_class\""
  [ "$wm_class" = "$expected" ] || fail "WM_CLASS class '$wm_class' is not the .desktop's StartupWMClass '$expected'"
  # the property under test: the app keeps running (event loop, lab, preview) for a while
  sleep "$ALIVE_SECONDS"
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "pupitre --lab died within ${ALIVE_SECONDS} s"; }
  import -window root "$DIST/smoke.png"
  local spread
  spread=$(convert "$DIST/smoke.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  echo "    screenshot dist/smoke.png (grey level spread $spread)"
  awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }' || fail "the screenshot is blank"
  kill -TERM "$pid"
  deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { kill -KILL "$pid"; fail "pupitre did not exit within 15 s of SIGTERM"; }
    sleep 0.2
  done
  status=0; wait "$pid" || status=$?
  echo "    stopped with SIGTERM (exit status $status)"
  [ "$status" = 0 ] || [ "$status" = 143 ] || { cat "$log" >&2; fail "pupitre exited with status $status"; }
  if grep -q 'Traceback' "$log"; then cat "$log" >&2; fail "a traceback was logged"; fi
}

smoke_gui() {
  say "smoke 3/3: pupitre --lab under Xvfb for ${ALIVE_SECONDS} s"
  need_tools
  # this script again, inside the virtual display (xvfb-run is a POSIX sh script: exported bash
  # functions would not survive it)
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash "$0" --gui-session
}

if [ "${1:-}" = --gui-session ]; then gui_session; exit 0; fi
[ "${1:-}" = --no-build ] || build
[ -x "$BUNDLE/pupitre" ] || fail "no bundle at $BUNDLE (run without --no-build)"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export PUPITRE_HOME="$home"   # the smoke test never touches the user's settings
smoke_version
smoke_help
smoke_gui
say "bundle OK in $((SECONDS - started)) s: $BUNDLE (screenshot: dist/smoke.png)"
