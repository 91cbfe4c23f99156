#!/usr/bin/env bash
# A private nginx + nginx-rtmp on loopback: the lab's production-like HLS path (RTMP in, HLS out).
#
#   nginx-rtmp.sh start  [--dir DIR] [--rtmp-port 1935] [--http-port 8089] [--timeout 10]
#   nginx-rtmp.sh stop   [--dir DIR]
#   nginx-rtmp.sh status [--dir DIR]
#
# Publish to rtmp://127.0.0.1:RTMP_PORT/live/NAME; play http://127.0.0.1:HTTP_PORT/hls/NAME.m3u8.
# The instance uses only its own config (written to DIR/nginx.conf), never /etc/nginx, and is
# stopped by the PID it wrote. Settings follow docs/reference environment.md §3a:
#   * hls_fragment 1s with a 4 s playlist: nginx's default 30 s playlist puts players ~16 s behind;
#   * started as root, nginx runs its worker as nobody, which usually cannot reach a private DIR
#     (pytest's tmp folders are 0700) and nginx-rtmp then fails silently: only error.log says
#     "Permission denied".  So the worker runs as the owner of DIR (`user` directive);
#   * CORS and no-cache headers for the audience page (hls.js).
# Exit codes: 0 ok, 1 failure (message on stderr), 2 usage. `status` exits 0 when running, 3 when not.
set -euo pipefail

DIR="${TMPDIR:-/tmp}/pupitre-nginx-rtmp-$(id -u)"
RTMP_PORT=1935
HTTP_PORT=8089
TIMEOUT=10
MODULE="${NGINX_RTMP_MODULE:-/usr/lib/nginx/modules/ngx_rtmp_module.so}"

die() { echo "nginx-rtmp: $*" >&2; exit 1; }
usage() { sed -n '4,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
ACTION=$1; shift
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=${2:?}; shift 2 ;;
    --rtmp-port) RTMP_PORT=${2:?}; shift 2 ;;
    --http-port) HTTP_PORT=${2:?}; shift 2 ;;
    --timeout) TIMEOUT=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "nginx-rtmp: unknown argument $1" >&2; usage ;;
  esac
done
case "$RTMP_PORT$HTTP_PORT$TIMEOUT" in *[!0-9]*) echo "nginx-rtmp: ports and timeout are numbers" >&2; exit 2 ;; esac
PIDFILE="$DIR/nginx.pid"

nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

ensure_installed() {
  if [ -n "$(nginx_bin)" ] && [ -f "$MODULE" ]; then return 0; fi
  local apt=(apt-get install -y -q --no-install-recommends nginx libnginx-mod-rtmp)
  if ! command -v apt-get >/dev/null 2>&1; then
    die "nginx with the RTMP module is missing and this is not a Debian system; install them yourself"
  elif [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
  else
    die "nginx with the RTMP module is missing; run: sudo apt-get install nginx libnginx-mod-rtmp"
  fi
  [ -n "$(nginx_bin)" ] && [ -f "$MODULE" ] || die "nginx or $MODULE still missing after apt-get"
}

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  local user_line=""
  mkdir -p "$DIR/hls" "$DIR/tmp"
  # as root, the worker would be nobody: make it the owner of DIR, who can write there
  [ "$(id -u)" = 0 ] && user_line="user $(stat -c %U "$DIR") $(stat -c %G "$DIR");"
  cat > "$DIR/nginx.conf" <<CONF
load_module $MODULE;
$user_line
worker_processes 1;
pid $PIDFILE;
error_log $DIR/error.log warn;
events { worker_connections 256; }
rtmp {
    server {
        listen 127.0.0.1:$RTMP_PORT;
        chunk_size 4096;
        application live {
            live on;
            record off;
            hls on;
            hls_path $DIR/hls;
            hls_fragment 1s;
            hls_playlist_length 4s;
            hls_cleanup on;
        }
    }
}
http {
    access_log off;
    client_body_temp_path $DIR/tmp/body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
    server {
        listen 127.0.0.1:$HTTP_PORT;
        location /hls/ {
            alias $DIR/hls/;
            add_header Cache-Control no-cache always;
            add_header Access-Control-Allow-Origin * always;
        }
    }
}
CONF
}

start() {
  local pid nginx deadline
  if pid=$(running_pid); then echo "nginx-rtmp already running (pid $pid) in $DIR"; return 0; fi
  ensure_installed
  nginx=$(nginx_bin)
  for port in "$RTMP_PORT" "$HTTP_PORT"; do
    port_answers "$port" && die "port $port on 127.0.0.1 is already in use"
  done
  write_config
  rm -f "$PIDFILE"
  "$nginx" -t -q -c "$DIR/nginx.conf" -p "$DIR/" 2>"$DIR/config-test.log" ||
    die "the generated config is invalid: $(tr '\n' ' ' < "$DIR/config-test.log")"
  # daemon mode (the default): the master detaches and writes the PID file; a start failure
  # (port taken, module ABI mismatch) shows up in the exit status and error.log.
  "$nginx" -c "$DIR/nginx.conf" -p "$DIR/" 2>>"$DIR/error.log" ||
    die "nginx did not start: $(tail -n 3 "$DIR/error.log" | tr '\n' ' ')"
  deadline=$((SECONDS + TIMEOUT))
  until running_pid >/dev/null && port_answers "$RTMP_PORT" && port_answers "$HTTP_PORT"; do
    [ $SECONDS -lt $deadline ] || { stop >/dev/null 2>&1 || true; die "nginx did not answer on ports $RTMP_PORT/$HTTP_PORT within ${TIMEOUT}s"; }
    sleep 0.05
  done
  echo "nginx-rtmp running (pid $(running_pid)): rtmp://127.0.0.1:$RTMP_PORT/live/NAME -> http://127.0.0.1:$HTTP_PORT/hls/NAME.m3u8"
}

stop() {
  local pid deadline
  if ! pid=$(running_pid); then echo "nginx-rtmp not running in $DIR"; return 0; fi
  kill -TERM "$pid"
  deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.05
  done
  rm -f "$PIDFILE"
  echo "nginx-rtmp stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "nginx-rtmp running (pid $pid) in $DIR"
    if grep -q "Permission denied" "$DIR/error.log" 2>/dev/null; then
      echo "warning: $DIR/error.log reports 'Permission denied': HLS files are not being written" >&2
    fi
    return 0
  fi
  echo "nginx-rtmp not running in $DIR"; return 3
}

case "$ACTION" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
