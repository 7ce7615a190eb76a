# Shared by the benches that run on the stack's PostgreSQL, whose cluster archives its WAL
# through Lifeboat (spool + shipper). Needs PGBIN and the PG* connection variables.

# Waits until the archive holds everything written so far. Creating a 2 GB database writes
# about as much WAL, which the shipper compresses, encrypts and uploads for a minute or two
# after; timed while it ran, plain pg_dump took 14.4 s instead of 8.1 s (2026-12-07). So timed
# runs start once the archive has caught up.
archive_settle() {
  local who=$1 seg t0=$SECONDS
  seg=$("$PGBIN/psql" -XtAc "select pg_walfile_name(pg_switch_wal())" postgres)
  until [ "$("$PGBIN/psql" -XtAc "select coalesce(last_archived_wal >= '$seg', false) from pg_stat_archiver" postgres)" = t ]; do
    if [ $((SECONDS - t0)) -gt 900 ]; then
      echo "$who: the stack's archive did not reach $seg in 15 min (is the worker up?)" >&2; exit 1
    fi
    sleep 2
  done
  sleep 5 # the shipper's last upload and the load it left
  echo "== archive caught up with $seg after $((SECONDS - t0)) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The archive lag now, in segments: the segment being written minus the last archived one,
# minus one (0 when the archiver is keeping up).
archive_lag() {
  "$PGBIN/psql" -XtAc "select pg_walfile_name(pg_current_wal_lsn()), coalesce(last_archived_wal, '') from pg_stat_archiver" postgres \
    | python3 -c '
import sys
c, l = sys.stdin.read().strip().split("|")
n = lambda s: int(s[8:16], 16) * 256 + int(s[16:24], 16)
print(max(0, n(c) - n(l) - 1) if l else 0)'
}
