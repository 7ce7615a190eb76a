package io.lifeboat.cli.config;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.config.DatabaseConfig;
import io.lifeboat.config.DrPlan;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = "Check the config; print what the local stack needs.",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.StackEnv.class,
        ConfigCommand.LocalSources.class})
public final class ConfigCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "check", description = "Validate the config file (and, with --plan, that the"
      + " DR plan states the same targets, priorities and approvers).")
  static final class Check implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--plan", paramLabel = "FILE",
        description = "a DR plan in Markdown with a ```yaml lifeboat-plan block"
            + " (docs/operator/dr-plan.md): exit 2 with one line per disagreement")
    Path plan;

    @Override
    public Integer call() {
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        if (plan != null) {
          List<String> disagreements = DrPlan.fromMarkdown(plan).disagreements(c);
          if (!disagreements.isEmpty()) {
            var err = parent.root.spec.commandLine().getErr();
            disagreements.forEach(d -> err.println("lifeboat: " + plan + " and " + s.configPath()
                + " disagree: " + d));
            return ExitCodes.BAD_INPUT;
          }
        }
        parent.root.spec.commandLine().getOut().printf("%s: ok (%d database%s, repository s3://%s/%s)%s%n",
            s.configPath(), c.databases().size(), c.databases().size() == 1 ? "" : "s",
            c.repository().bucket(), c.repository().prefix(),
            plan == null ? "" : "; the DR plan " + plan + " agrees");
        return 0;
      }
    }
  }

  /** KEY=VALUE lines for the launcher: it starts the local stack to match the config. */
  @Command(name = "stack-env", hidden = true)
  static final class StackEnv implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Mixin ConfigOption configOption;

    @Override
    public Integer call() {
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        Secrets secrets = s.secrets();
        DatabaseConfig db = c.databases().get(0);
        var out = parent.root.spec.commandLine().getOut();
        RepositoryConfig repo = c.repository();
        out.println("REPOSITORY_TYPE=" + repo.type());
        if ("s3".equals(repo.type())) {
          out.println("S3_ENDPOINT=" + repo.endpoint());
          out.println("S3_PORT=" + port(repo.endpoint()));
          out.println("S3_BUCKET=" + repo.bucket());
          out.println("S3_REGION=" + repo.region());
          out.println("S3_ACCESS_KEY=" + secrets.require(repo.accessKeyEnv(), "S3 key id"));
          out.println("S3_SECRET_KEY=" + secrets.require(repo.secretKeyEnv(), "S3 secret"));
        } else if ("azure".equals(repo.type())) {
          // what archive_command (wal-push, in PostgreSQL's environment) needs to reach it
          out.println("REPOSITORY_SECRET_ENV=" + (repo.azure().connectionStringEnv() != null
              ? repo.azure().connectionStringEnv() : repo.azure().accountKeyEnv()));
        }
        out.println("PG_HOST=" + db.host());
        out.println("PG_PORT=" + db.port());
        out.println("PG_USER=" + db.user());
        out.println("PG_DATABASE=" + db.name());
        out.println("TEMPORAL_ADDRESS=" + c.temporal().address());
        out.println("TEMPORAL_NAMESPACE=" + c.temporal().namespace());
        out.println("TASK_QUEUE=" + c.temporal().taskQueue());
        out.println("WEB_UI=" + c.temporal().webUi());
        out.println("METRICS_PORT=" + c.metrics().port());
        var pe = c.temporal().payloadEncryption();
        out.println("CODEC_PORT=" + (pe == null ? 0 : pe.codecServerPort()));
        // What a derived config (bench/*.sh) needs to run as this one does: its keys (absolute
        // paths, or the names of the variables holding them) and a retention its checks accept.
        var enc = c.repository().encryption();
        if (enc != null) {
          out.println("REPOSITORY_KEY_FILE=" + (enc.keyFile() == null ? "" : enc.keyFile()));
          out.println("REPOSITORY_KEY_ENV=" + (enc.keyEnv() == null ? "" : enc.keyEnv()));
        }
        if (pe != null) {
          out.println("PAYLOAD_KEYSET_FILE=" + (pe.keysetFile() == null ? "" : pe.keysetFile()));
          out.println("PAYLOAD_KEYSET_ENV=" + (pe.keysetEnv() == null ? "" : pe.keysetEnv()));
        }
        out.println("RETENTION_FULL_DAYS=" + c.retention().fullDays());
        // The launcher runs a local offsite endpoint too (issue #8): an s3proxy for an S3 one;
        // GCS and Azure copies on this machine are in the emulators' lines below.
        if (c.offsite() != null && "s3".equals(c.offsite().type())) {
          var o = c.offsite();
          out.println("OFFSITE_ENDPOINT=" + o.endpoint());
          out.println("OFFSITE_PORT=" + port(o.endpoint()));
          out.println("OFFSITE_BUCKET=" + o.bucket());
          out.println("OFFSITE_REGION=" + o.region());
          out.println("OFFSITE_ACCESS_KEY=" + secrets.require(o.accessKeyEnv(), "offsite key id"));
          out.println("OFFSITE_SECRET_KEY=" + secrets.require(o.secretKeyEnv(), "offsite secret"));
        }
        Emulators.of(c, secrets).print(out);
        return 0;
      }
    }

    private static int port(String endpoint) {
      URI u = URI.create(endpoint);
      return u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
    }
  }

  /**
   * One line per MariaDB, Redis and OpenSearch source the local stack runs (issue 19): those
   * on this machine (no host:) at a loopback address. Space-separated, "-" for none:
   * {@code mariadb NAME ADDRESS PORT USER PASSWORD_ENV DATABASES(comma)},
   * {@code redis NAME ADDRESS PORT PASSWORD_ENV},
   * {@code opensearch NAME ADDRESS PORT SNAPSHOT_DIR}. The launcher starts a daemon for each.
   */
  @Command(name = "local-sources", hidden = true)
  static final class LocalSources implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Mixin ConfigOption configOption;

    @Override
    public Integer call() {
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        var out = parent.root.spec.commandLine().getOut();
        for (var m : c.mariadb()) {
          if (m.host() != null || !loopback(m.address())) continue;
          out.println(String.join(" ", "mariadb", m.name(), m.address(),
              String.valueOf(m.port()), m.user(), dash(m.passwordEnv()),
              m.databases().isEmpty() ? "-" : String.join(",", m.databases())));
        }
        for (var r : c.redis()) {
          if (r.host() != null || !loopback(r.address())) continue;
          out.println(String.join(" ", "redis", r.name(), r.address(),
              String.valueOf(r.port()), dash(r.passwordEnv())));
        }
        for (var o : c.opensearch()) {
          URI u = URI.create(o.url());
          if (o.host() != null || !"http".equals(u.getScheme()) || !loopback(u.getHost())) continue;
          out.println(String.join(" ", "opensearch", o.name(), u.getHost(),
              String.valueOf(u.getPort() > 0 ? u.getPort() : 80), o.snapshotDir()));
        }
        return 0;
      }
    }

    private static String dash(String v) {
      return v == null || v.isBlank() ? "-" : v;
    }

    static boolean loopback(String address) {
      return address != null && (address.equals("localhost") || address.startsWith("127.")
          || address.equals("::1") || address.equals("[::1]"));
    }
  }
}
