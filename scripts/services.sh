#!/usr/bin/env bash
# Starts the local services the test suites talk to, when they are not
# already running, and waits until each answers. Safe to run repeatedly.
set -euo pipefail

wait_for() { # name, command
  for _ in $(seq 1 60); do
    if eval "$2" >/dev/null 2>&1; then echo "$1 is up"; return 0; fi
    sleep 1
  done
  echo "$1 did not come up" >&2
  return 1
}

# PostgreSQL (production engine): 127.0.0.1:5432, trust auth, database "test".
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
wait_for PostgreSQL "pg_isready -h 127.0.0.1 -p 5432"
psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c "create database test"

# MariaDB (SQL pull tests): 127.0.0.1:3306, root without a password, database "test".
if ! mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; then
  install -d -o mysql -g mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
wait_for MariaDB "mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -u root ping"
mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u root -e "create database if not exists test"

# Mosquitto (MQTT channel tests): 127.0.0.1:1883, anonymous.
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi
wait_for Mosquitto "(exec 3<>/dev/tcp/127.0.0.1/1883)"
