package io.lifeboat.cli.offsite;

import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LaunchOptions;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.MonitoringPlans;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.cli.WorkflowLaunch;
import io.lifeboat.cli.WorkflowWait;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.offsite.CopyRecord;
import io.lifeboat.offsite.CopyBucket;
import io.lifeboat.offsite.OffsiteCopyWorkflow;
import io.lifeboat.offsite.OffsiteCopyWorkflowImpl;
import io.lifeboat.offsite.OffsiteLayout;
import io.lifeboat.offsite.OffsiteScopes;
import io.lifeboat.storage.StorageException;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The offsite copy (3-2-1): copy what is missing now, and see what the offsite bucket holds. */
@Command(name = "offsite",
    description = "The offsite copy of the repository (the 'offsite' section of the config).",
    subcommands = {OffsiteCommand.Sync.class, OffsiteCommand.ListCopies.class,
        OffsiteCommand.Verify.class})
public final class OffsiteCommand {
  @ParentCommand LifeboatCli root;

  static OffsiteConfig offsite(Session s) {
    return selected(s, null).get(0);
  }

  /**
   * The copy repositories a verb works on: the one named by --repository ("offsite" also
   * names the first, as before issue 20), else all of them in the config's order.
   */
  static List<OffsiteConfig> selected(Session s, String name) {
    List<OffsiteConfig> all = s.config().copyRepositories();
    if (all.isEmpty()) {
      throw new UserError(s.configPath() + " has no 'offsite' section: there is nothing to copy"
          + " to (see docs/operator/offsite.md)");
    }
    if (name == null) return all;
    try {
      return List.of(io.lifeboat.config.RepositoryChoice.copy(s.config(), name, "--repository"));
    } catch (io.lifeboat.config.ConfigException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** "offsite (http://127.0.0.1:9100 bucket farmtally-offsite)". */
  static String describe(OffsiteConfig o) {
    return o.repositoryName() + " (" + where(o) + ")";
  }

  /** "http://127.0.0.1:9100 bucket farmtally-offsite"; "azure bucket backups" (no endpoint). */
  static String where(OffsiteConfig o) {
    String type = "s3".equals(o.type()) ? "" : o.type() + " ";
    return type + (o.endpoint() == null ? "" : o.endpoint() + " ") + "bucket " + o.bucket();
  }

  @Command(name = "sync", description = "Copy every committed"
      + " backup and WAL segment the offsite bucket lacks (after an outage, or to seed a new"
      + " offsite), verify the copies, apply the offsite retention. Never deletes a copy because"
      + " the primary lost it.")
  static final class Sync implements Callable<Integer> {
    @ParentCommand OffsiteCommand parent;
    @Mixin ConfigOption configOption;

    @Mixin LaunchOptions launchOptions;

    @Option(names = "--repository", paramLabel = "NAME", description = "only this copy"
        + " repository (a name under 'repositories:'; 'offsite' is the first); default: each"
        + " of them, every one its own workflow")
    String repository;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        List<OffsiteConfig> repos = selected(s, repository);
        if (repos.size() == 1) return one(s, c, repos.get(0), out);
        return many(s, c, repos, out);
      }
    }

    private int one(Session s, LifeboatConfig c, OffsiteConfig o, PrintWriter out) {
      WorkflowClient client = s.temporal().client();
      WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
          OffsiteCopyWorkflow.syncWorkflowId(c.estate(), o));
      String id = launch.workflowId();
      OffsiteCopyWorkflow wf = client.newWorkflowStub(OffsiteCopyWorkflow.class, launch.options(
          MonitoringPlans.options(c, id, OffsiteCopyWorkflowImpl.KIND_OFFSITE)));
      String where = o.named() ? describe(o) : where(o);
      return launch
          .start(() -> WorkflowClient.start(wf::copy, OffsiteCopyWorkflow.syncRequest(c, o)),
              "an offsite sync is already running (" + id + "); wait for it: " + launch.link())
          .startedLine("started offsite sync to " + where + ": " + id + "\n  " + launch.link())
          .followingLine("copying to " + where + " (" + id + ")")
          .followAndPrint(show -> WorkflowWait.await(client, id, CopyRecord.class, out, show,
              "offsite sync"), (r, link) -> summary(out, r, link));
    }

    /**
     * Issue 20: every repository its own workflow, all started before any is waited for, so
     * an unreachable one fails (after its retries) alone while the others copy. With --wait
     * the answer names each; exit 1 when any failed.
     */
    private int many(Session s, LifeboatConfig c, List<OffsiteConfig> repos, PrintWriter out) {
      WorkflowClient client = s.temporal().client();
      Map<OffsiteConfig, WorkflowLaunch> launches = new LinkedHashMap<>();
      List<String> refused = new ArrayList<>();
      for (OffsiteConfig o : repos) {
        WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
            OffsiteCopyWorkflow.syncWorkflowId(c.estate(), o));
        String id = launch.workflowId();
        OffsiteCopyWorkflow wf = client.newWorkflowStub(OffsiteCopyWorkflow.class,
            launch.options(MonitoringPlans.options(c, id, OffsiteCopyWorkflowImpl.KIND_OFFSITE)));
        try {
          launch.start(() -> WorkflowClient.start(wf::copy, OffsiteCopyWorkflow.syncRequest(c, o)),
              "an offsite sync to " + o.repositoryName() + " is already running (" + id + ")");
          launches.put(o, launch);
        } catch (UserError e) {
          refused.add(e.getMessage());
        }
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      int failed = refused.size();
      for (var e : launches.entrySet()) {
        OffsiteConfig o = e.getKey();
        WorkflowLaunch launch = e.getValue();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("repository", o.repositoryName());
        row.put("workflowId", launch.workflowId());
        row.put("webUi", launch.link());
        if (!launchOptions.waiting()) {
          if (!launch.json()) {
            out.println("started offsite sync to " + describe(o) + ": " + launch.workflowId());
          }
        } else {
          if (!launch.json()) {
            out.println("copying to " + describe(o) + " (" + launch.workflowId() + ")");
          }
          try {
            CopyRecord r = WorkflowWait.await(client, launch.workflowId(), CopyRecord.class, out,
                false, "offsite sync to " + o.repositoryName());
            row.put("ok", true);
            row.put("record", r);
            if (!launch.json()) {
              out.print("[" + o.repositoryName() + "] ");
              summary(out, r, launch.link());
            }
          } catch (OperationFailed f) {
            failed++;
            row.put("ok", false);
            row.put("error", f.getMessage());
            if (!launch.json()) out.println("[" + o.repositoryName() + "] " + f.getMessage());
          }
        }
        rows.add(row);
      }
      for (String r : refused) {
        if (!launchOptions.json()) out.println(r);
      }
      if (launchOptions.json()) {
        out.println(Json.write(Map.of("repositories", rows, "refused", refused)));
      } else if (launchOptions.waiting() || !refused.isEmpty()) {
        List<String> bad = new ArrayList<>();
        for (Map<String, Object> row : rows) {
          if (Boolean.FALSE.equals(row.get("ok"))) bad.add((String) row.get("repository"));
        }
        out.println(failed == 0 ? "offsite sync done in all " + repos.size() + " repositories"
            : "offsite sync FAILED in " + failed + " of " + repos.size() + " repositories"
                + (bad.isEmpty() ? "" : ": " + String.join(", ", bad))
                + "; the others have their copies");
      }
      return failed == 0 ? 0 : ExitCodes.FAILED;
    }

    private static void summary(PrintWriter out, CopyRecord r, String link) {
      out.printf("offsite sync done: %d object(s) copied (%s), %d already there, %d"
          + " verified%n", r.copied(), Bytes.human(r.bytesCopied()), r.skipped(), r.verified());
      out.println("  object lock  " + r.objectLock());
      for (String b : r.backupsCopied()) out.println("  copied       " + b);
      for (String e : r.expired()) out.println("  expired      " + e);
      for (String k : r.retentionSkipped()) out.println("  kept         " + k);
      for (String w : r.warnings()) out.println("  warning      " + w);
      out.println("  workflow     " + link);
    }
  }

  @Command(name = "list", description = "List the backups in"
      + " the offsite bucket (read directly; works without Temporal), and whether the primary"
      + " still holds each.")
  static final class ListCopies implements Callable<Integer> {
    @ParentCommand OffsiteCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--repository", paramLabel = "NAME", description = "the copy repository"
        + " to list (a name under 'repositories:'); default: the first ('offsite')")
    String repository;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        OffsiteConfig o = repository == null ? offsite(s) : selected(s, repository).get(0);
        String pp = c.repository().prefix();
        String op = o.prefixOr(pp);
        Map<String, long[]> copies = new TreeMap<>(); // dir -> {objects, bytes, committed}
        Map<String, String> locks = new TreeMap<>(); // dir -> the manifest's lock, when locked
        long walObjects = 0;
        long walBytes = 0;
        try (CopyBucket bucket = CopyBucket.open(o, s.secrets())) {
          for (var e : bucket.listSizes(op.isEmpty() ? "" : op + "/").entrySet()) {
            String rel = OffsiteLayout.relative(op, e.getKey());
            if (rel.startsWith(OffsiteLayout.RECORDS) || rel.startsWith("reports/")) continue;
            if (OffsiteScopes.isWal(rel)) {
              walObjects++;
              walBytes += e.getValue();
              continue;
            }
            long[] v = copies.computeIfAbsent(OffsiteLayout.dir(rel), d -> new long[3]);
            v[0]++;
            v[1] += e.getValue();
            if (OffsiteLayout.isManifest(rel)) {
              v[2] = 1;
              // The manifest is copied last, so its lock is the copy's latest; asked only where
              // a lock is configured (one HEAD per version of each manifest).
              if (o.objectLock() != null) {
                bucket.lock(e.getKey()).ifPresent(l -> locks.put(OffsiteLayout.dir(rel),
                    l.describe()));
              }
            }
          }
        } catch (StorageException e) {
          throw new OperationFailed("cannot list the offsite bucket: " + e.getMessage());
        }
        Set<String> inPrimary = new HashSet<>();
        for (String k : s.repository().list(pp.isEmpty() ? "" : pp + "/")) {
          String rel = OffsiteLayout.relative(pp, k);
          if (OffsiteLayout.isManifest(rel)) inPrimary.add(OffsiteLayout.dir(rel));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var e : copies.entrySet()) {
          if (e.getValue()[2] == 0) continue; // no manifest: not a backup (or being copied)
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("backup", e.getKey());
          row.put("objects", e.getValue()[0]);
          row.put("bytes", e.getValue()[1]);
          row.put("inPrimary", inPrimary.contains(e.getKey()));
          row.put("lock", locks.get(e.getKey()));
          rows.add(row);
        }
        if (json) {
          out.println(Json.write(Map.of("repository", o.repositoryName(), "type", o.type(),
              "endpoint", String.valueOf(o.endpoint()), "bucket", o.bucket(),
              "prefix", op, "backups", rows, "walObjects", walObjects, "walBytes", walBytes)));
          return 0;
        }
        out.println("offsite " + where(o) + " prefix " + op);
        for (Map<String, Object> r : rows) {
          out.printf("  %-60s %10s  %s%s%n", r.get("backup"), Bytes.human((Long) r.get("bytes")),
              (Boolean) r.get("inPrimary") ? "also in primary" : "OFFSITE ONLY",
              r.get("lock") == null ? "" : "  locked: " + r.get("lock"));
        }
        out.printf("%d backup(s); WAL: %d object(s), %s%n", rows.size(), walObjects,
            Bytes.human(walBytes));
        return 0;
      }
    }
  }


  @Command(name = "verify", description = "The deep check:"
      + " read every object in the offsite bucket back and compare its SHA-256 with the one"
      + " recorded when it was copied, and each manifest's with its data object (read directly;"
      + " works without Temporal). Exit 1 when anything differs. Changes nothing unless"
      + " --repair: then a bad copy is removed with its manifest, for the next sync to copy.")
  static final class Verify implements Callable<Integer> {
    @ParentCommand OffsiteCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--repair", description = "remove bad copies (and their manifests) so the"
        + " next `offsite sync` copies them again; a locked copy stays until its lock ends")
    boolean repair;

    @Option(names = "--repository", paramLabel = "NAME", description = "only this copy"
        + " repository (a name under 'repositories:'; 'offsite' is the first); default: each")
    String repository;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        List<OffsiteConfig> repos = selected(s, repository);
        if (repos.size() == 1) {
          // One repository: the answer it always was (an unreachable bucket is an error).
          Map<String, Object> one = verifyOne(s, c, repos.get(0), true);
          print(out, one, false);
          return (Integer) one.get("bad") == 0 ? 0 : ExitCodes.FAILED;
        }
        // Issue 20: each repository checked on its own; one that cannot be read is its failure,
        // not the end of the others' checks.
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (OffsiteConfig o : repos) {
          Map<String, Object> r = verifyOne(s, c, o, false);
          results.add(r);
          if (!(Boolean) r.get("passed")) failed.add(o.repositoryName());
          if (!json) print(out, r, true);
        }
        if (json) {
          for (Map<String, Object> r : results) r.remove("bad");
          out.println(Json.write(Map.of("passed", failed.isEmpty(), "failed", failed,
              "repositories", results)));
        } else {
          out.println(failed.isEmpty() ? "every copy in all " + repos.size()
              + " repositories matches its checksum" : "offsite verification FAILED in "
              + String.join(", ", failed) + " (" + failed.size() + " of " + repos.size()
              + " repositories); the others passed");
        }
        return failed.isEmpty() ? 0 : ExitCodes.FAILED;
      }
    }

    private Map<String, Object> verifyOne(Session s, LifeboatConfig c, OffsiteConfig o,
        boolean alone) {
      List<Map<String, Object>> scopes = new ArrayList<>();
      int bad = 0;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("repository", o.repositoryName());
      try (CopyBucket bucket = CopyBucket.open(o, s.secrets())) {
        io.lifeboat.offsite.OffsiteVerifier verifier =
            new io.lifeboat.offsite.OffsiteVerifier(bucket, c.repository().prefix(), repair);
        for (String scope : OffsiteScopes.all()) {
          var r = verifier.verify(scope, verifier.allUnder(scope), p -> { });
          bad += r.mismatches().size();
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("scope", scope);
          row.put("checked", r.checked());
          row.put("bytes", r.bytesRead());
          row.put("mismatches", r.mismatches());
          scopes.add(row);
        }
      } catch (StorageException e) {
        if (alone) throw new OperationFailed("cannot read the offsite bucket: " + e.getMessage());
        result.put("error", "cannot read the bucket: " + e.getMessage());
        bad++;
      }
      result.put("passed", bad == 0);
      result.put("scopes", scopes);
      result.put("bad", bad);
      return result;
    }

    @SuppressWarnings("unchecked")
    private void print(PrintWriter out, Map<String, Object> result, boolean named) {
      List<Map<String, Object>> scopes = (List<Map<String, Object>>) result.get("scopes");
      int bad = (Integer) result.get("bad");
      if (json) {
        if (!named) out.println(Json.write(Map.of("passed", bad == 0, "scopes", scopes)));
        return;
      }
      String tag = named ? "[" + result.get("repository") + "] " : "";
      if (result.get("error") != null) out.println(tag + "FAIL " + result.get("error"));
      for (Map<String, Object> r : scopes) {
        out.printf("%s%-4s %-8s %5d object(s), %s read%n", tag,
            ((List<?>) r.get("mismatches")).isEmpty() ? "ok" : "FAIL", r.get("scope"),
            r.get("checked"), Bytes.human((Long) r.get("bytes")));
        for (Object m : (List<?>) r.get("mismatches")) out.println(tag + "     " + m);
      }
      String sync = "`lifeboat offsite sync --wait"
          + (named ? " --repository " + result.get("repository") : "") + "`";
      out.println(tag + (bad == 0 ? "every offsite copy matches its checksum"
          : "offsite verification FAILED: " + bad + " problem(s); " + (repair
              ? "the bad copies were removed: run " + sync + " now"
              : "rerun with --repair to remove them, then " + sync)));
    }
  }
}
