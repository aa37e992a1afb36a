#!/bin/sh
# Starts a streaming replica of the local PostgreSQL 15 (127.0.0.1:5432) on 127.0.0.1:5433, for the
# replica-routing tests of the Results API (upload-service ReplicaRoutingIT).
#
# Idempotent: does nothing when the replica cluster is already streaming. Meant for Debian 12 with the
# postgresql-15 packages, run as root. When the replica cannot be set up it says why and exits 0: the
# replica tests then skip themselves with a printed reason; nothing else depends on the replica.
#
# Environment: REPLICA_PORT (5433), PRIMARY_PORT (5432), PG_VERSION (15), REPLICA_CLUSTER (replica).
set -u

VERSION=${PG_VERSION:-15}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PORT=${REPLICA_PORT:-5433}
CLUSTER=${REPLICA_CLUSTER:-replica}
BIN=/usr/lib/postgresql/$VERSION/bin
PRIMARY_CONF=/etc/postgresql/$VERSION/main
CONF=/etc/postgresql/$VERSION/$CLUSTER
DATA=/var/lib/postgresql/$VERSION/$CLUSTER

skip() {
	echo "setup-replica: no replica ($*); replica tests will be skipped" >&2
	exit 0
}

streaming() {
	[ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc 'select pg_is_in_recovery()' 2>/dev/null)" = t ] &&
		[ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc 'select status from pg_stat_wal_receiver' 2>/dev/null)" = streaming ]
}

[ "$(id -u)" = 0 ] || skip "must run as root"
command -v pg_ctlcluster >/dev/null 2>&1 && [ -x "$BIN/pg_basebackup" ] || skip "PostgreSQL $VERSION server packages not installed"
psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1 || skip "no primary on 127.0.0.1:$PRIMARY_PORT"

if streaming; then
	echo "setup-replica: replica already streaming on 127.0.0.1:$PORT"
	exit 0
fi

# The primary must accept replication connections from 127.0.0.1 (its "all" lines do not cover them).
HBA=$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc 'show hba_file')
if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$HBA"; then
	printf '%s\n' "# added by dicomflow .ci/setup-replica.sh: streaming replica on 127.0.0.1:$PORT" \
		"host    replication     postgres        127.0.0.1/32            trust" >>"$HBA" || skip "cannot edit $HBA"
	psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc 'select pg_reload_conf()' >/dev/null ||
		skip "cannot reload the primary's configuration"
fi
[ "$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atc 'show wal_level')" != minimal ] ||
	skip "the primary has wal_level=minimal"

# A cluster left in a broken state by an earlier run is rebuilt from scratch.
if [ -d "$CONF" ]; then
	pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" stop -m fast >/dev/null 2>&1
	pg_dropcluster "$VERSION" "$CLUSTER" >/dev/null 2>&1 || rm -rf "$CONF" "$DATA"
fi
pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >/dev/null || skip "pg_createcluster failed"
cp "$PRIMARY_CONF/pg_hba.conf" "$CONF/pg_hba.conf"
# hot_standby is on by default; said explicitly because the tests read from this server
printf '%s\n' "hot_standby = on" "listen_addresses = '127.0.0.1'" >>"$CONF/postgresql.conf"
rm -rf "$DATA" && mkdir -p "$DATA" && chown postgres:postgres "$DATA" && chmod 700 "$DATA"
if ! su postgres -s /bin/sh -c "$BIN/pg_basebackup -h 127.0.0.1 -p $PRIMARY_PORT -U postgres -D $DATA -R -X stream -c fast" >&2; then
	skip "pg_basebackup failed"
fi
pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" start || skip "the replica did not start (see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log)"

i=0
while ! streaming; do
	i=$((i + 1))
	[ "$i" -le 30 ] || skip "the replica started but is not streaming after 30 s"
	sleep 1
done
echo "setup-replica: replica streaming on 127.0.0.1:$PORT"
