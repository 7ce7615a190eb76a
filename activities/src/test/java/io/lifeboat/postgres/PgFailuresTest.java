package io.lifeboat.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What PostgreSQL 15's tools print, turned into the failure registry's kinds: the kind decides
 * whether Temporal retries, so a wrong guess either wastes ten minutes of retries on a typo or
 * gives up on a server that was only restarting.
 */
class PgFailuresTest {
  private static final DatabaseConfig DB = new DatabaseConfig(
      "farmtally_production", "127.0.0.1", 55432, "lifeboat", "LIFEBOAT_PG_PASSWORD", null, null);

  private static final String AT = "pg_dump: error: connection to server at \"127.0.0.1\", port"
      + " 55432 failed: ";

  static Stream<Arguments> pgDumpStderr() {
    return Stream.of(
        Arguments.of("unknown database",
            AT + "FATAL:  database \"nope\" does not exist\n",
            FailureKind.UNKNOWN_DATABASE),
        Arguments.of("unknown database, pg_restore",
            "pg_restore: error: connection to server at \"127.0.0.1\", port 55432 failed: FATAL:"
                + "  database \"farmtally_restore\" does not exist\n",
            FailureKind.UNKNOWN_DATABASE),
        Arguments.of("wrong password",
            AT + "FATAL:  password authentication failed for user \"lifeboat\"\n",
            FailureKind.PG_AUTH_FAILED),
        Arguments.of("password variable unset",
            AT + "fe_sendauth: no password supplied\n",
            FailureKind.PG_AUTH_FAILED),
        Arguments.of("unknown role",
            AT + "FATAL:  role \"ghost\" does not exist\n",
            FailureKind.PG_AUTH_FAILED),
        Arguments.of("pg_hba rejects the worker",
            "pg_dump: error: connection to server at \"10.0.4.7\", port 5432 failed: FATAL:  no"
                + " pg_hba.conf entry for host \"10.0.4.9\", user \"lifeboat\", database"
                + " \"farmtally_production\", no encryption\n",
            FailureKind.PG_AUTH_FAILED),
        Arguments.of("server down",
            AT + "Connection refused\n"
                + "\tIs the server running on that host and accepting TCP/IP connections?\n",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("server starting up",
            AT + "FATAL:  the database system is starting up\n",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("server shutting down",
            AT + "FATAL:  the database system is shutting down\n",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("host unreachable",
            "pg_dump: error: connection to server at \"10.0.4.7\", port 5432 failed: Connection"
                + " timed out\n"
                + "\tIs the server running on that host and accepting TCP/IP connections?\n",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("no route",
            "pg_dump: error: connection to server at \"10.0.4.7\", port 5432 failed: No route to"
                + " host\n"
                + "\tIs the server running on that host and accepting TCP/IP connections?\n",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("connect_timeout expired",
            "pg_dump: error: connection to server at \"10.0.4.7\", port 5432 failed: timeout"
                + " expired\n",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("server crashed mid-dump",
            "pg_dump: error: Dumping the contents of table \"tallies\" failed: PQgetResult()"
                + " failed.\n"
                + "pg_dump: detail: Error message from server: server closed the connection"
                + " unexpectedly\n"
                + "\tThis probably means the server terminated abnormally\n"
                + "\tbefore or while processing the request.\n"
                + "pg_dump: detail: Command was: COPY public.tallies (id, farm_id, counted_at,"
                + " head) TO stdout;\n",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("table not readable",
            "pg_dump: error: query failed: ERROR:  permission denied for table secrets\n"
                + "pg_dump: detail: Query was: LOCK TABLE public.secrets IN ACCESS SHARE MODE\n",
            FailureKind.PG_TOOL_FAILED),
        Arguments.of("server newer than pg_dump",
            "pg_dump: error: aborting because of server version mismatch\n"
                + "pg_dump: detail: server version: 16.4 (Debian 16.4-1.pgdg120+1); pg_dump"
                + " version: 15.18 (Debian 15.18-0+deb12u1)\n",
            FailureKind.PG_TOOL_FAILED),
        Arguments.of("relation vanished, not a database",
            "pg_dump: error: query failed: ERROR:  relation \"public.tallies_2019\" does not"
                + " exist\n",
            FailureKind.PG_TOOL_FAILED),
        Arguments.of("no stderr at all", "", FailureKind.PG_TOOL_FAILED),
        Arguments.of("null stderr", null, FailureKind.PG_TOOL_FAILED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pgDumpStderr")
  void classifiesWhatPgDumpSays(String label, String stderr, FailureKind expected) {
    assertEquals(expected, PgFailures.kindOfToolError(stderr), label);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pgDumpStderr")
  void toolFailureCarriesKindAndRetryability(String label, String stderr, FailureKind expected) {
    ApplicationFailure f = PgFailures.fromTool("pg_dump", DB, 1, stderr);
    assertEquals(expected.type(), f.getType(), label);
    assertEquals(!expected.retryable(), f.isNonRetryable(), label);
    String message = f.getOriginalMessage();
    assertFalse(message.contains("\n"), "not one line: " + message);
    assertTrue(message.contains("pg_dump exit 1"), message);
  }

  @Test
  void retryabilityOfTheKindsPgDumpProduces() {
    assertFalse(FailureKind.UNKNOWN_DATABASE.retryable(), "a typo is not fixed by waiting");
    assertFalse(FailureKind.PG_AUTH_FAILED.retryable(), "a wrong password is not fixed by waiting");
    assertTrue(FailureKind.PG_UNAVAILABLE.retryable(), "a restart is ridden out by retrying");
    assertTrue(FailureKind.PG_TOOL_FAILED.retryable());
  }

  @Test
  void toolFailureNamesTheDatabaseAndTheToolsOwnWords() {
    ApplicationFailure f = PgFailures.fromTool("pg_dump", DB, 1,
        AT + "FATAL:  database \"farmtally_production\" does not exist\n");
    assertTrue(f.getOriginalMessage().startsWith(
        "database farmtally_production does not exist on 127.0.0.1:55432"), f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("FATAL:  database \"farmtally_production\""),
        f.getOriginalMessage());

    ApplicationFailure down = PgFailures.fromTool("pg_dump", DB, 1,
        AT + "Connection refused\n"
            + "\tIs the server running on that host and accepting TCP/IP connections?\n");
    assertTrue(down.getOriginalMessage().startsWith("PostgreSQL at 127.0.0.1:55432 is not"
        + " answering"), down.getOriginalMessage());
  }

  /**
   * PostgreSQL 15 prints context as "pg_dump: detail: ..." lines after the error; the message
   * an operator sees must keep the error itself, not the query that happened to be running.
   */
  @Test
  void toolFailureKeepsTheErrorLineRatherThanItsDetail() {
    ApplicationFailure f = PgFailures.fromTool("pg_dump", DB, 1,
        "pg_dump: error: query failed: ERROR:  permission denied for table secrets\n"
            + "pg_dump: detail: Query was: LOCK TABLE public.secrets IN ACCESS SHARE MODE\n");
    assertTrue(f.getOriginalMessage().contains("permission denied for table secrets"),
        f.getOriginalMessage());
  }

  @Test
  void lastMeaningfulLineSkipsBlankAndPre15DetailLines() {
    assertEquals("pg_restore: error: could not read input file: end of file",
        PgFailures.lastMeaningfulLine(
            "pg_restore: error: could not read input file: end of file\n\n"
                + "DETAIL:  something\nHINT:  something else\n"));
    assertEquals("no message", PgFailures.lastMeaningfulLine("  \n"));
    assertEquals("no message", PgFailures.lastMeaningfulLine(null));
  }

  static Stream<Arguments> sqlStates() {
    return Stream.of(
        Arguments.of("3D000", "FATAL: database \"nope\" does not exist",
            FailureKind.UNKNOWN_DATABASE),
        Arguments.of("28P01", "FATAL: password authentication failed for user \"lifeboat\"",
            FailureKind.PG_AUTH_FAILED),
        Arguments.of("28000", "FATAL: no pg_hba.conf entry for host \"10.0.4.9\"",
            FailureKind.PG_AUTH_FAILED),
        Arguments.of("08001", "Connection to 127.0.0.1:55432 refused. Check that the hostname"
            + " and port are correct and that the postmaster is accepting TCP/IP connections.",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("08006", "An I/O error occurred while sending to the backend.",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("57P03", "FATAL: the database system is starting up",
            FailureKind.PG_UNAVAILABLE),
        Arguments.of("42501", "ERROR: permission denied for function pg_database_size",
            FailureKind.PG_TOOL_FAILED),
        Arguments.of(null, "something without a state", FailureKind.PG_TOOL_FAILED));
  }

  @ParameterizedTest(name = "SQLState {0}")
  @MethodSource("sqlStates")
  void classifiesJdbcFailuresBySqlState(String state, String message, FailureKind expected) {
    ApplicationFailure f = PgFailures.fromSql(DB, new SQLException(message + "\n  Position: 1",
        state));
    assertEquals(expected.type(), f.getType());
    assertEquals(!expected.retryable(), f.isNonRetryable());
    assertFalse(f.getOriginalMessage().contains("\n"), f.getOriginalMessage());
  }

  // --- the registry itself -------------------------------------------------------------------

  @Test
  void nonRetryableTypesAreExactlyTheNonRetryableKinds() {
    Set<String> expected = Arrays.stream(FailureKind.values()).filter(k -> !k.retryable())
        .map(FailureKind::type).collect(Collectors.toCollection(TreeSet::new));
    String[] types = FailureKind.nonRetryableTypes();
    assertEquals(expected.size(), types.length, "duplicates in " + Arrays.toString(types));
    assertEquals(expected, new TreeSet<>(Arrays.asList(types)));
    // The ones a person has to fix are in; the ones time fixes are out.
    Set<String> set = Set.of(types);
    for (String mustStop : new String[] {"Lifeboat.UNKNOWN_DATABASE", "Lifeboat.PG_AUTH_FAILED",
        "Lifeboat.S3_ACCESS_DENIED", "Lifeboat.S3_NO_SUCH_BUCKET", "Lifeboat.BACKUP_CORRUPT",
        "Lifeboat.BACKUP_NOT_FOUND", "Lifeboat.CONFIG_INVALID"}) {
      assertTrue(set.contains(mustStop), mustStop);
    }
    for (String mustRetry : new String[] {"Lifeboat.PG_UNAVAILABLE", "Lifeboat.PG_TOOL_FAILED",
        "Lifeboat.S3_UNAVAILABLE", "Lifeboat.LOCAL_IO"}) {
      assertFalse(set.contains(mustRetry), mustRetry);
    }
  }

  @ParameterizedTest
  @EnumSource(FailureKind.class)
  void failureIsNonRetryableExactlyForNonRetryableKinds(FailureKind kind) {
    ApplicationFailure f = kind.failure("boom");
    assertEquals(kind.type(), f.getType());
    assertEquals("Lifeboat." + kind.name(), f.getType());
    assertEquals("boom", f.getOriginalMessage());
    assertEquals(!kind.retryable(), f.isNonRetryable());
    assertEquals(!kind.retryable(), Arrays.asList(FailureKind.nonRetryableTypes())
        .contains(kind.type()));
    assertEquals(Optional.of(kind), FailureKind.ofType(f.getType()));
    assertFalse(kind.hint().isBlank());

    IllegalStateException cause = new IllegalStateException("root");
    ApplicationFailure withCause = kind.failure("boom", cause);
    assertEquals(!kind.retryable(), withCause.isNonRetryable());
    assertSame(cause, withCause.getCause());
  }

  @Test
  void foreignTypesAreNotOurs() {
    assertEquals(Optional.empty(), FailureKind.ofType("java.io.IOException"));
    assertEquals(Optional.empty(), FailureKind.ofType("UNKNOWN_DATABASE"));
    assertEquals(Optional.empty(), FailureKind.ofType(null));
  }

  @Test
  void typesAreDistinct() {
    String[] all = Arrays.stream(FailureKind.values()).map(FailureKind::type).toArray(String[]::new);
    assertArrayEquals(all, Arrays.stream(all).distinct().toArray(String[]::new));
  }
}
