# Sourced by ../lifeboat: ./lifeboat demo.

cmd_demo() {
  "$ROOT/lifeboat" up "$@" || exit $?   # up already said why, in one line
  ensure_tools
  build
  load_cached_stack_env
  local ns=$SE_TEMPORAL_NAMESPACE
  say ""
  say "\$ lifeboat schedules apply"
  cli schedules apply --config "$CONFIG" || exit $?
  say "\$ lifeboat backup db $SE_PG_DATABASE --wait"
  cli backup db "$SE_PG_DATABASE" --wait --config "$CONFIG" || exit $?
  # each engine up started beside PostgreSQL (mariadb:, redis:, opensearch: in the config)
  local kind name rest
  if [ -f "$ENGINES_LIST" ]; then
    while read -r kind name rest; do
      [ -n "$kind" ] || continue
      say "\$ lifeboat backup $kind $name --wait"
      cli backup "$kind" "$name" --wait --config "$CONFIG" </dev/null || exit $?
    done <"$ENGINES_LIST"
  fi
  say "\$ lifeboat verify --wait"
  cli verify --wait --config "$CONFIG" || exit $?
  say "\$ lifeboat backups list"
  cli backups list --config "$CONFIG" || exit $?
  say "\$ lifeboat check"
  # a repository with older, gappy history fails the check: show it, the demo goes on
  cli check --config "$CONFIG" || say "(lifeboat check found problems: see above)"
  say ""
  say "Workflows in the Temporal web UI: $UI_URL/namespaces/$ns/workflows"
}
