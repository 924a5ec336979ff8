#!/usr/bin/env bash
# Makes sure the services the test suite needs are present: a PostgreSQL server on 127.0.0.1:5432,
# Debian's Chromium for Playwright and a Java 17 runtime for the Spark tests (tests/spark, local mode). Installs them from apt where missing (needs root); otherwise says what is missing.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || echo "warning: no PostgreSQL on 127.0.0.1:5432 (run as root to install one); PostgreSQL tests will fail" >&2
  [ -x /usr/bin/chromium ] || echo "warning: /usr/bin/chromium missing (apt-get install chromium); browser tests will be skipped" >&2
  command -v java >/dev/null 2>&1 || echo "warning: no Java (apt-get install openjdk-17-jre-headless); Spark tests will fail" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL: use the one running on 127.0.0.1:5432; otherwise install and start one from apt.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # The tests connect as user postgres over TCP without a password (trust on loopback only).
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i -E 's#^(host\s+all\s+all\s+127\.0\.0\.1/32\s+)\S+#\1trust#' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

# Debian's Chromium for the Playwright end-to-end tests (Playwright never downloads a browser here).
[ -x /usr/bin/chromium ] || apt_install chromium

# Java 17 for PySpark's local mode (tests/spark); Debian's headless runtime is enough.
command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
