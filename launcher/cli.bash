# Sourced by ../lifeboat: running the Java CLI (its JVM options and class-data archive).

# The CLI is short-lived and mostly waits on Temporal: C2 compilation and a parallel GC only
# take CPU from the worker beside it (measured: 9 s of CPU per `backup base --wait` with the
# JVM's defaults, 3 s with these), and class loading from 115 jars is a second of start-up that
# an AppCDS archive of the CLI's classes removes. The archive is written by a training run before
# the first command after a build (Java 17 has no auto-archive) and ignored by the JVM if the
# jars change.
CLI_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
CLI_CDS="$RUN/cli.jsa"
cli_exec() {
  # a foreground worker is long-lived and does the heavy work: the JVM's defaults suit it
  if [ "$1" = worker ]; then exec java -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"; fi
  if [ -n "${LIFEBOAT_CLASSPATH:-}" ]; then
    exec java $CLI_JAVA_OPTS -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"
  fi
  if [ -f "$CLI_CDS" ] && [ "$CLI_CDS" -nt "$CLI_JAR" ]; then
    exec java $CLI_JAVA_OPTS -XX:SharedArchiveFile="$CLI_CDS" -Xlog:cds=off,cds+dynamic=off \
      -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"
  fi
  # A training run writes the archive (to a temporary name: two first runs must not mix
  # theirs); it loads what every verb needs, so the archive does not depend on which command
  # happened to run first after the build. Then the command itself, with it.
  local tmp="$CLI_CDS.$$"
  mkdir -p "$RUN"
  timeout 60 java $CLI_JAVA_OPTS -XX:ArchiveClassesAtExit="$tmp" -Xlog:disable \
    -Xlog:all=error:stderr -cp "$CP" io.lifeboat.cli.LifeboatCli class-archive-training \
    --config "$CONFIG" \
    >/dev/null 2>&1 </dev/null || true
  if [ -s "$tmp" ]; then
    mv -f "$tmp" "$CLI_CDS"
    exec java $CLI_JAVA_OPTS -XX:SharedArchiveFile="$CLI_CDS" -Xlog:cds=off,cds+dynamic=off \
      -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"
  fi
  rm -f "$tmp"
  exec java $CLI_JAVA_OPTS -cp "$CP" io.lifeboat.cli.LifeboatCli "$@"
}
