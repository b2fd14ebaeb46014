#!/usr/bin/env bash
# Sets up Bình Đẳng for production on a fresh Debian 12 machine: PostgreSQL, gunicorn and the background-job
# workers under systemd, nginx, cron.
# Run as root from a checkout (or an unpacked release) of the project:  deploy/setup-debian.sh (or with sudo)
# Idempotent: every step checks what is already there; the secret key and database password are generated once
# and kept in /etc/binhdang/env. Documented step by step in docs/deployment.md.
#
# Overridable (environment): BINHDANG_HOST (server name, default: hostname -f), BINHDANG_APP_DIR (/opt/binhdang),
# BINHDANG_DATA_DIR (/var/lib/binhdang), BINHDANG_PORTS ("8001": one gunicorn per port, e.g. "8001 8002"),
# BINHDANG_WORKERS (2*CPUs+1), BINHDANG_JOB_WORKERS (background-job workers on this server, default 1; 0 for a
# web-only server), DRY_RUN=1 (print the commands, change nothing).
set -euo pipefail

SRC_DIR="$(cd "$(dirname "$0")/.." && pwd)"
# Every path below is absolute; leaving root's folder keeps psql (as postgres) and the app commands (as binhdang)
# from complaining that they cannot enter it.
cd /
APP_DIR="${BINHDANG_APP_DIR:-/opt/binhdang}"
DATA_DIR="${BINHDANG_DATA_DIR:-/var/lib/binhdang}"
ETC_DIR=/etc/binhdang
ENV_FILE="$ETC_DIR/env"
HOST_NAME="${BINHDANG_HOST:-$(hostname -f 2>/dev/null || hostname)}"
PORTS="${BINHDANG_PORTS:-8001}"
WORKERS="${BINHDANG_WORKERS:-$(( $(nproc) * 2 + 1 ))}"
JOB_WORKERS="${BINHDANG_JOB_WORKERS:-1}"
case "$JOB_WORKERS" in ''|*[!0-9]*) echo "BINHDANG_JOB_WORKERS must be a number, got '$JOB_WORKERS'" >&2; exit 2 ;; esac
DB_NAME=binhdang
DB_USER=binhdang
APT_PACKAGES=(postgresql nginx ssl-cert rsync python3 python3-venv python3-dev build-essential cron logrotate gettext
  tesseract-ocr tesseract-ocr-vie poppler-utils libreoffice-writer-nogui fonts-liberation2)

run() { if [ "${DRY_RUN:-0}" = 1 ]; then echo "+ $*"; else "$@"; fi; }
say() { echo "setup-debian: $*"; }

if [ "${DRY_RUN:-0}" != 1 ] && [ "$(id -u)" -ne 0 ]; then
  echo "setup-debian: run as root (sudo $0)" >&2; exit 1
fi

# 1. System packages.
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# 2. System user and folders.
if ! id binhdang >/dev/null 2>&1; then
  say "creating system user binhdang"
  run adduser --system --group --home "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin binhdang
fi
# The data folder is 0711: nginx (www-data) must traverse it to serve static/ (0755, written by collectstatic), and
# nobody else may list it; backups/ is private (mode kept by `binhdang backup`, which only creates it if missing).
run install -d -o binhdang -g binhdang -m 0711 "$DATA_DIR"
run install -d -o binhdang -g binhdang -m 0700 "$DATA_DIR/backups"
run install -d -o binhdang -g binhdang -m 0750 /var/log/binhdang
run install -d -o root -g binhdang -m 0750 "$ETC_DIR"

# 3. Code and virtual environment (the code is copied so the checkout can be removed or updated separately).
if [ "$SRC_DIR" != "$APP_DIR" ]; then
  say "copying the code to $APP_DIR"
  run install -d -m 0755 "$APP_DIR"
  # Anchored (leading /): only the checkout's own data/, .venv/, ... are left out, not the package's
  # binhdang/*/data/ folders that the installed package needs.
  run rsync -a --delete --exclude /.git --exclude /.venv --exclude /data --exclude /node_modules \
    --exclude /test-artifacts "$SRC_DIR/" "$APP_DIR/"
fi
if [ ! -x "$APP_DIR/.venv/bin/python" ]; then
  say "creating $APP_DIR/.venv"
  run python3 -m venv "$APP_DIR/.venv"
fi
# Compile the translations before installing: the installed package carries the .mo files it finds.
if command -v msgfmt >/dev/null 2>&1; then
  for po in "$APP_DIR"/binhdang/locale/*/LC_MESSAGES/django.po; do
    if [ -f "$po" ]; then run msgfmt --check-format -o "${po%.po}.mo" "$po"; fi
  done
fi
say "installing the package into $APP_DIR/.venv"
run "$APP_DIR/.venv/bin/pip" install -q --upgrade pip
# vietnam-provinces 2026.x declares Python>=3.12 but works on 3.11 (docs/decisions.md).
run "$APP_DIR/.venv/bin/pip" install -q --ignore-requires-python "$APP_DIR"

# 4. PostgreSQL role and database (password generated once, kept in the env file).
run systemctl enable --now postgresql
DB_PASSWORD=""
if [ -f "$ENV_FILE" ]; then
  DB_PASSWORD="$(sed -n 's#^DATABASE_URL=postgres://[^:]*:\([^@]*\)@.*#\1#p' "$ENV_FILE")"
fi
if [ -z "$DB_PASSWORD" ]; then DB_PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"; fi
if [ "${DRY_RUN:-0}" != 1 ]; then
  if ! runuser -u postgres -- psql -tAc "select 1 from pg_roles where rolname='$DB_USER'" | grep -q 1; then
    say "creating PostgreSQL role $DB_USER"
    runuser -u postgres -- psql -q -c "create role $DB_USER login password '$DB_PASSWORD'"
  fi
  if ! runuser -u postgres -- psql -tAc "select 1 from pg_database where datname='$DB_NAME'" | grep -q 1; then
    say "creating database $DB_NAME"
    runuser -u postgres -- createdb -O "$DB_USER" -E UTF8 -T template0 "$DB_NAME"
  fi
fi

# 5. The environment file: every setting the app reads (see .env.example); a generated secret key.
if [ ! -f "$ENV_FILE" ]; then
  say "writing $ENV_FILE (generated secret key)"
  SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
  if [ "${DRY_RUN:-0}" != 1 ]; then
    # Private from its first byte; the umask is put back after, or every later step (collectstatic's static/
    # folders, which nginx must read) would inherit it.
    saved_umask="$(umask)"
    umask 027
    cat > "$ENV_FILE" <<ENV
# Bình Đẳng production settings (read by systemd's EnvironmentFile and by the cron jobs). See .env.example.
DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:5432/$DB_NAME
BINHDANG_DATA_DIR=$DATA_DIR
BINHDANG_SECRET_KEY=$SECRET
BINHDANG_REQUIRE_SECRET=1
BINHDANG_DEBUG=0
BINHDANG_ALLOWED_HOSTS=$HOST_NAME,127.0.0.1,localhost
BINHDANG_CSRF_TRUSTED_ORIGINS=https://$HOST_NAME
BINHDANG_SECURE=1
# HSTS for one hour until the real certificate is in place; then remove this line (one year, docs/security.md).
BINHDANG_HSTS_SECONDS=3600
BINHDANG_SECURE_COOKIES=1
# Several gunicorn workers share Django's cache through the database (the sign-in throttle, docs/security.md,
# keeps its counts in the database in any case).
BINHDANG_CACHE=db
BINHDANG_MANIFEST_STATIC=1
BINHDANG_TIME_ZONE=Asia/Ho_Chi_Minh
BINHDANG_LOG_LEVEL=WARNING
BINHDANG_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
BINHDANG_EMAIL_HOST=localhost
BINHDANG_EMAIL_PORT=25
BINHDANG_FROM_EMAIL=binhdang@$HOST_NAME
BINHDANG_WORKERS=$WORKERS
BINHDANG_MAX_UPLOAD_BYTES=20971520
BINHDANG_SITE_URL=https://$HOST_NAME
ENV
    umask "$saved_umask"
    chgrp binhdang "$ENV_FILE"
    chmod 0640 "$ENV_FILE"
  fi
fi

# 6. Database schema and static files, as the app user with the production settings.
# umask 022 whatever root's is: nginx (www-data) must read what collectstatic writes into static/.
as_app() { run runuser -u binhdang -- env -i PATH=/usr/bin:/bin bash -c \
  "umask 022; set -a; . '$ENV_FILE'; set +a; cd '$APP_DIR'; exec .venv/bin/binhdang $*"; }
say "migrating the database and collecting static files"
as_app migrate --noinput
as_app collectstatic --noinput -v0
as_app createcachetable

# The unit and the cron file name the default folders; write them with the ones chosen here.
render() {  # render SOURCE TARGET MODE
  if [ "${DRY_RUN:-0}" = 1 ]; then echo "+ render $1 > $2"; return; fi
  sed -e "s#/opt/binhdang#$APP_DIR#g" -e "s#/var/lib/binhdang#$DATA_DIR#g" -e "s#/etc/binhdang#$ETC_DIR#g" "$1" > "$2"
  chmod "$3" "$2"
}

# 7. systemd: one gunicorn per port.
render "$SRC_DIR/deploy/binhdang@.service" /etc/systemd/system/binhdang@.service 0644
run systemctl daemon-reload
for port in $PORTS; do
  run systemctl enable "binhdang@$port"
  run systemctl restart "binhdang@$port"
done

# 7b. systemd: the background-job workers (binhdang-worker@1 ... @N); extra ones from an earlier run are stopped.
render "$SRC_DIR/deploy/binhdang-worker@.service" /etc/systemd/system/binhdang-worker@.service 0644
run systemctl daemon-reload
for n in $(seq 1 "$JOB_WORKERS"); do
  run systemctl enable "binhdang-worker@$n"
  run systemctl restart "binhdang-worker@$n"
done
for unit in $(systemctl list-units --all --plain --no-legend 'binhdang-worker@*' 2>/dev/null | awk '{print $1}'); do
  n="${unit#binhdang-worker@}"; n="${n%.service}"
  if [ "$n" -gt "$JOB_WORKERS" ] 2>/dev/null; then run systemctl disable --now "$unit"; fi
done

# 8. nginx: the site with this host name and the chosen upstream ports.
say "installing the nginx site for $HOST_NAME"
if [ "${DRY_RUN:-0}" != 1 ]; then
  python3 - "$SRC_DIR/deploy/nginx-binhdang.conf" "$HOST_NAME" "$DATA_DIR" "$PORTS" \
    > /etc/nginx/sites-available/binhdang <<'PY'
import sys
conf, host, data_dir, ports = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/"), sys.argv[4].split()
text = open(conf, encoding="utf-8").read().replace("binhdang.example.org", host).replace("/var/lib/binhdang/static/", data_dir + "/static/")
line = "    server 127.0.0.1:8001 fail_timeout=10s;\n"
text = text.replace(line, "".join(line.replace("8001", p) for p in ports))
sys.stdout.write(text)
PY
  ln -sf /etc/nginx/sites-available/binhdang /etc/nginx/sites-enabled/binhdang
  rm -f /etc/nginx/sites-enabled/default
fi
run nginx -t
run systemctl enable nginx
run systemctl reload-or-restart nginx

# 9. cron: the nightly backup (reminders are a scheduled job run by the workers, once for the whole cluster).
render "$SRC_DIR/deploy/binhdang.cron" /etc/cron.d/binhdang 0644
render "$SRC_DIR/deploy/binhdang.logrotate" /etc/logrotate.d/binhdang 0644
run systemctl enable --now cron

say "done. Site: https://$HOST_NAME/ (replace the snakeoil certificate, see docs/deployment.md);" \
    "create the first administrator with: runuser -u binhdang -- bash -c 'cd /; set -a; . $ENV_FILE; set +a; $APP_DIR/.venv/bin/binhdang createsuperuser'"
