#!/bin/bash
# A hot-standby streaming replica of the compose primary. On the first start (empty data directory) it clones
# the primary with pg_basebackup -R (which writes primary_conninfo and standby.signal); afterwards it just
# starts and catches up from the primary's WAL (the primary keeps wal_keep_size of it).
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -p 5432 -q; do
    echo "replica: waiting for the primary at $PRIMARY_HOST"; sleep 2
  done
  echo "replica: cloning the primary"
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -p 5432 -U replicator \
    -D "$PGDATA" -X stream -R --checkpoint=fast --progress
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
