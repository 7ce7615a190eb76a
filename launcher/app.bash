# Sourced by ../lifeboat: the sample FarmTally app under PM2 (ensure_pm2 is in install.bash).

# ---------------------------------------------------------------------------------------------
# the sample app: Node.js under PM2 (its own PM2_HOME in .lifeboat/pm2, never ~/.pm2)

pm2_app() { PM2_HOME="$APP_PM2_HOME" PM2_DISCRETE_MODE=true LIFEBOAT_APP_PORT="$APP_PORT" "$PM2_BIN" "$@"; }

app_status() { # prints PM2's status of the sample app (online, stopped, ...), empty when unknown
  [ -x "$PM2_BIN" ] && [ -S "$APP_PM2_HOME/rpc.sock" ] || return 0
  pm2_app jlist 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      try { const p = JSON.parse(s).find(a => a.name === process.argv[1]);
            if (p) process.stdout.write(p.pm2_env.status); } catch (e) {} });' "$APP_NAME" || true
}

# The first deployment: the sample release becomes current/ and previous/ (a rollback needs one).
deploy_sample_app() {
  [ -d "$APP_ROOT/current" ] && return 0
  mkdir -p "$APP_ROOT"
  rm -rf "$APP_ROOT/.deploy"
  cp -a "$APP_SRC/release" "$APP_ROOT/.deploy"
  (cd "$APP_ROOT/.deploy" && npm ci --omit=dev --no-audit --no-fund) >>"$LOGS/app.log" 2>&1 \
    || die 1 "app: npm ci --omit=dev failed for the sample app (see $(rel "$LOGS/app.log"))"
  [ -d "$APP_ROOT/previous" ] || cp -a "$APP_ROOT/.deploy" "$APP_ROOT/previous"
  mv "$APP_ROOT/.deploy" "$APP_ROOT/current"
  cp "$APP_SRC/ecosystem.config.js" "$APP_ROOT/ecosystem.config.js"
  say "app: deployed the sample release to $(rel "$APP_ROOT")/{current,previous}"
}

start_app() {
  local i st
  mkdir -p "$LOGS" "$APP_PM2_HOME"
  deploy_sample_app
  st=$(app_status)
  if [ "$st" = online ]; then
    say "app: already running ($APP_NAME under PM2, http://127.0.0.1:$APP_PORT)"
    return 0
  fi
  if [ -z "$st" ] && port_listening "$APP_PORT"; then
    die "$EX_PORT_IN_USE" "port $APP_PORT (sample app) is in use by another process; stop it or set LIFEBOAT_APP_PORT and the healthUrl in $CONFIG"
  fi
  if [ -n "$st" ]; then pm2_app restart "$APP_NAME" >>"$LOGS/app.log" 2>&1
  else pm2_app start "$APP_ROOT/ecosystem.config.js" >>"$LOGS/app.log" 2>&1; fi \
    || die 1 "app: pm2 could not start $APP_NAME (see $(rel "$LOGS/app.log"))"
  for ((i = 0; i < 60; i++)); do
    curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$APP_PORT/api/health" 2>/dev/null && break
    sleep 0.5
  done
  curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$APP_PORT/api/health" 2>/dev/null \
    || die 1 "app: $APP_NAME does not answer http://127.0.0.1:$APP_PORT/api/health (see pm2 logs: PM2_HOME=$(rel "$APP_PM2_HOME") $(rel "$PM2_BIN") logs $APP_NAME)"
  say "app: started $APP_NAME under PM2 (http://127.0.0.1:$APP_PORT, PM2_HOME $(rel "$APP_PM2_HOME"))"
}

# Only our PM2 daemon (our PM2_HOME) is killed, with the app it runs.
stop_app() {
  if [ -x "$PM2_BIN" ] && [ -S "$APP_PM2_HOME/rpc.sock" ]; then
    pm2_app kill >/dev/null 2>&1 || true
    say "app: stopped (pm2 kill for $(rel "$APP_PM2_HOME"))"
  else
    say "app: not running"
  fi
}

status_app() { # one row of the status table; false unless the app is online and healthy
  local st answers=no
  st=$(app_status)
  curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$APP_PORT/api/health" 2>/dev/null && answers=yes
  printf '%-10s %-52s %-20s %s\n' app "http://127.0.0.1:$APP_PORT (pm2 $APP_NAME)" "${st:-stopped}" "$answers"
  [ "$st" = online ] && [ $answers = yes ]
}
