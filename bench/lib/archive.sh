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

# Segments between the WAL file being written (CUR) and the last archived one (LAST), minus one:
# 0 when the archiver keeps up, and 0 when nothing is archived yet (LAST empty or "-").
segment_lag() {
  local c=$1 l=$2
  case "$l" in ''|-) echo 0; return ;; esac
  local lag=$(( (16#${c:8:8} * 256 + 16#${c:16:8}) - (16#${l:8:8} * 256 + 16#${l:16:8}) - 1 ))
  echo $(( lag < 0 ? 0 : lag ))
}

# The stack's archive lag now, in segments.
archive_lag() {
  local cur last
  IFS='|' read -r cur last < <("$PGBIN/psql" -XtAc "select pg_walfile_name(pg_current_wal_lsn()), coalesce(last_archived_wal, '') from pg_stat_archiver" postgres)
  segment_lag "$cur" "$last"
}
