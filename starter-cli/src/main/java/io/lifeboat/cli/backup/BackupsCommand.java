package io.lifeboat.cli.backup;

import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.cli.AppPlans;
import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "backups", description = "What the repository holds.",
    subcommands = {BackupsCommand.ListBackups.class})
public final class BackupsCommand {
  @ParentCommand LifeboatCli root;

  /**
   * Newest dump first, by the time it started. startedAt is Instant.toString(), which leaves the
   * fraction out on a whole second ("...T10:00:00Z"), and "Z" sorts after "." as text: compared
   * as strings, a dump started at .000 read as newer than one started later in that second. So
   * the times are compared as instants; two dumps can start in the same millisecond, and their
   * ids (never reused) break the tie.
   */
  static final Comparator<BackupManifest> NEWEST_FIRST = Comparator
      .comparing(BackupsCommand::startedAt).thenComparing(BackupManifest::backupId).reversed();

  /** When the dump started; a manifest without a readable time falls back to its id's time. */
  static Instant startedAt(BackupManifest m) {
    try {
      if (m.startedAt() != null) return Instant.parse(m.startedAt());
    } catch (DateTimeParseException e) {
      // fall back to the id
    }
    return RepositoryLayout.backupTime(m.backupId()).orElse(Instant.EPOCH);
  }

  /** The last verification record's verdict: "passed <time>", "FAILED <time>" or "-". */
  static String verified(ObjectStore store, String prefix, BackupManifest m) {
    return io.lifeboat.backup.dump.Manifests.lastVerification(store, prefix, m.database(), m.backupId())
        .map(r -> (r.passed() ? "passed " : "FAILED ") + r.verifiedAt()).orElse("-");
  }

  /** Reads manifests from the repository, not Temporal: it works after losing Temporal too. */
  @Command(name = "list", description = "Committed backups, newest first (read from the manifests).")
  static final class ListBackups implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--database", paramLabel = "NAME", description = "only this database")
    String database;

    @Option(names = "--app", paramLabel = "NAME", description = "application backups of NAME instead")
    String app;

    @Option(names = "--configuration", description = "configuration backups instead")
    boolean configuration;

    @Option(names = "--redis", paramLabel = "NAME", description = "Redis snapshots of NAME instead")
    String redis;

    @Option(names = "--opensearch", paramLabel = "NAME",
        description = "OpenSearch snapshots of NAME instead")
    String opensearch;
    @Option(names = "--mariadb", paramLabel = "NAME",
        description = "MariaDB dumps of NAME instead")
    String mariadb;

    @Override
    public Integer call() throws IOException {
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        LifeboatConfig c = s.config();
        if (redis != null) return RedisListing.print(s, redis, json, out);
        if (opensearch != null) return OpenSearchListing.print(s, opensearch, json, out);
        if (mariadb != null) return MariaDbListing.print(s, mariadb, json, out);
        if (app != null || configuration) {
          String prefix = c.repository().prefix();
          return ArtifactListing.print(s.repository(), c, app != null
              ? RepositoryLayout.appBackupsRoot(prefix, AppPlans.application(s, app).name())
              : RepositoryLayout.configBackupsRoot(prefix), json, out);
        }
        List<DatabaseConfig> dbs = database == null ? c.databases() : List.of(s.database(database));
        List<BackupManifest> found = new ArrayList<>();
        ObjectStore store = s.repository();
        for (DatabaseConfig db : dbs) {
          for (String key : store.list(RepositoryLayout.fullBackupsRoot(c.repository().prefix(), db.name()))) {
            if (key.endsWith("/" + RepositoryLayout.MANIFEST)) {
              try (InputStream in = store.get(key)) {
                found.add(Json.MAPPER.readValue(in, BackupManifest.class));
              }
            }
          }
        }
        found.sort(NEWEST_FIRST);
        if (json) {
          out.println(Json.write(found));
          return 0;
        }
        if (found.isEmpty()) {
          out.println("no committed backups in s3://" + c.repository().bucket() + "/"
              + c.repository().prefix());
          return 0;
        }
        out.printf("%-29s %-24s %-8s %10s %10s %6s  %-24s %s%n", "ID", "DATABASE", "KIND",
            "DUMPED", "STORED", "RATIO", "STARTED", "VERIFIED");
        for (BackupManifest m : found) {
          out.printf("%-29s %-24s %-8s %10s %10s %5.1fx  %-24s %s%n", m.backupId(), m.database(),
              m.kind(), Bytes.human(m.rawBytes()), Bytes.human(m.storedBytes()),
              m.storedBytes() == 0 ? 0.0 : (double) m.rawBytes() / m.storedBytes(), m.startedAt(),
              verified(store, c.repository().prefix(), m));
        }
        return 0;
      }
    }
  }
}
