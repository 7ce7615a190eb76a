package io.lifeboat.drill;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explicit registry of drill scenarios and the calendar that picks them. A scenario this
 * build cannot run is listed with the reason, so a drill that needs it says so and fails
 * instead of pretending it ran.
 */
public final class DrillScenarios {
  public static final String MONTHLY = "monthly";
  public static final String QUARTERLY = "quarterly";
  public static final String DATABASE = "database";
  public static final String APPLICATION = "application";
  public static final String FULL_SYSTEM = "full-system";
  public static final String ALL = "all";
  /** The engines beyond PostgreSQL (issue 19): run when named, and in "all" when configured. */
  public static final String MARIADB = "mariadb";
  public static final String REDIS = "redis";
  public static final String OPENSEARCH = "opensearch";
  /** File trees (issue 20; {@link FilesScenario}): run as the engines are. */
  public static final String FILES = "files";
  /** The source kinds beyond PostgreSQL, each a scenario run when the config has sources of it. */
  public static final List<String> ENGINES = List.of(MARIADB, REDIS, OPENSEARCH, FILES);
  public static final List<String> NAMES = List.of(DATABASE, APPLICATION, FULL_SYSTEM, MARIADB,
      REDIS, OPENSEARCH, FILES, ALL);
  public static final List<String> KINDS = List.of(MONTHLY, QUARTERLY);
  /** What drills started before the full-system scenario was wired said (they replay so). */
  static final String FULL_SYSTEM_UNWIRED = "full-system scenario not available in this build"
      + " (it needs the server recovery workflow)";

  /** Scenario → null when this build runs it, else why not. */
  private static final Map<String, String> UNAVAILABLE = new LinkedHashMap<>();

  static {
    UNAVAILABLE.put(DATABASE, null);
    UNAVAILABLE.put(APPLICATION, null);
    // ServerRecoveryWorkflow as a child, onto drills.serverTarget (FullSystemScenario).
    UNAVAILABLE.put(FULL_SYSTEM, null);
  }

  private DrillScenarios() {}

  /** Null when the scenario runs in this build, else the one-line reason. */
  public static String unavailable(String scenario) {
    return UNAVAILABLE.get(scenario);
  }

  /** 1..4, in UTC. */
  public static int quarter(long epochMillis) {
    return (Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).getMonthValue() - 1) / 3 + 1;
  }

  /**
   * The scenarios a drill runs, in order. Monthly: database and application restore tests.
   * Quarterly rotates: Q1 database, Q2 application, Q3 full system, Q4 all of them. A named
   * scenario overrides both ("all" runs every registered one).
   */
  public static List<String> plan(String kind, String scenario, long startedAtMillis) {
    return plan(kind, scenario, startedAtMillis, List.of());
  }

  /**
   * As {@link #plan(String, String, long)}; "all" (named, or a Q4 quarterly) adds the engine
   * scenarios of the kinds the config declares sources of ({@link #engines}), after the others.
   * Drills recorded before the engine scenarios had no such sources in their request, so they
   * plan as they did.
   */
  public static List<String> plan(String kind, String scenario, long startedAtMillis,
      List<String> engines) {
    if (scenario != null) {
      if (ALL.equals(scenario)) return all(engines);
      return List.of(scenario);
    }
    if (MONTHLY.equals(kind)) return List.of(DATABASE, APPLICATION);
    return switch (quarter(startedAtMillis)) {
      case 1 -> List.of(DATABASE);
      case 2 -> List.of(APPLICATION);
      case 3 -> List.of(FULL_SYSTEM);
      default -> all(engines);
    };
  }

  /** The plan of a request. */
  public static List<String> plan(DrillRequest r, long startedAtMillis) {
    return plan(r.kind(), r.scenario(), startedAtMillis, engines(r));
  }

  /** The engine kinds the request has sources of, in {@link #ENGINES} order. */
  public static List<String> engines(DrillRequest r) {
    List<String> out = new ArrayList<>();
    for (String e : ENGINES) if (!sources(r, e).isEmpty()) out.add(e);
    return out;
  }

  /** The names of the request's sources of an engine kind. */
  public static List<String> sources(DrillRequest r, String engine) {
    return switch (engine) {
      case MARIADB -> r.mariadb().stream().map(io.lifeboat.config.MariaDbConfig::name).toList();
      case REDIS -> r.redis().stream().map(io.lifeboat.config.RedisConfig::name).toList();
      case OPENSEARCH -> r.opensearch().stream()
          .map(io.lifeboat.config.OpenSearchConfig::name).toList();
      case FILES -> r.files().stream().map(io.lifeboat.config.FilesConfig::name).toList();
      default -> List.of();
    };
  }

  /** The RTO a scenario is judged against, from the drill targets. */
  static long rtoMillis(DrillRequest r, String scenario) {
    return switch (scenario) {
      case DrillScenarios.DATABASE -> r.targets().databaseRtoMinutes() * 60_000L;
      case DrillScenarios.APPLICATION -> r.targets().applicationRtoMinutes() * 60_000L;
      // A data store restored like a database: the database RTO. File trees too: they are the
      // estate's data (uploads), restored beside its database in a loss.
      case MARIADB, REDIS, OPENSEARCH, FILES -> r.targets().databaseRtoMinutes() * 60_000L;
      default -> r.targets().serverRtoMinutes() * 60_000L;
    };
  }

  private static List<String> all(List<String> engines) {
    List<String> out = new ArrayList<>(UNAVAILABLE.keySet());
    for (String e : ENGINES) if (engines.contains(e)) out.add(e);
    return out;
  }
}
