#!/usr/bin/env sh
# Prints the URL of a PostgreSQL database for the test suite, starting a local server on loopback
# first if needed (as root it installs Debian's postgresql package when missing). `make test` runs
# it, so the store tests run against SQLite and PostgreSQL alike.
set -eu
if [ -n "${NEWSWEAVE_TEST_PG:-}" ]; then echo "$NEWSWEAVE_TEST_PG"; exit 0; fi
URL="postgresql://newsweave:newsweave@127.0.0.1:5432/newsweave_test"
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "the tests need PostgreSQL: sudo apt-get install postgresql, or set NEWSWEAVE_TEST_PG=postgresql://..." >&2
    exit 1
  fi
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if [ "$(id -u)" = 0 ]; then
  # The first cluster Debian made (created by the package); started on loopback only.
  set -- $(pg_lsclusters -h | head -1)
  if [ "$#" -lt 4 ]; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$ver" main >&2
    set -- $(pg_lsclusters -h | head -1)
  fi
  ver=$1; name=$2
  if [ "$4" != online ]; then
    pg_ctlcluster "$ver" "$name" start -o "-c listen_addresses=127.0.0.1" >&2
  fi
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='newsweave'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE newsweave LOGIN PASSWORD 'newsweave' CREATEDB\"" >&2
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='newsweave_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O newsweave newsweave_test" >&2
  URL="postgresql://newsweave:newsweave@127.0.0.1:$3/newsweave_test"
fi
echo "$URL"
