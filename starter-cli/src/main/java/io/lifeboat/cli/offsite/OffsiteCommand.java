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
import io.lifeboat.offsite.OffsiteBucket;
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
    OffsiteConfig o = s.config().offsite();
    if (o == null) {
      throw new UserError(s.configPath() + " has no 'offsite' section: there is nothing to copy"
          + " to (see docs/operator/offsite.md)");
    }
    return o;
  }

  @Command(name = "sync", description = "Copy every committed"
      + " backup and WAL segment the offsite bucket lacks (after an outage, or to seed a new"
      + " offsite), verify the copies, apply the offsite retention. Never deletes a copy because"
      + " the primary lost it.")
  static final class Sync implements Callable<Integer> {
    @ParentCommand OffsiteCommand parent;
    @Mixin ConfigOption configOption;

    @Mixin LaunchOptions launchOptions;

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        OffsiteConfig o = offsite(s);
        WorkflowClient client = s.temporal().client();
        WorkflowLaunch launch = new WorkflowLaunch(s, launchOptions, out,
            OffsiteCopyWorkflow.syncWorkflowId(c.estate()));
        String id = launch.workflowId();
        OffsiteCopyWorkflow wf = client.newWorkflowStub(OffsiteCopyWorkflow.class, launch.options(
            MonitoringPlans.options(c, id, OffsiteCopyWorkflowImpl.KIND_OFFSITE)));
        String where = o.endpoint() + " bucket " + o.bucket();
        return launch
            .start(() -> WorkflowClient.start(wf::copy, OffsiteCopyWorkflow.syncRequest(c, o)),
                "an offsite sync is already running (" + id + "); wait for it: " + launch.link())
            .startedLine("started offsite sync to " + where + ": " + id + "\n  " + launch.link())
            .followingLine("copying to " + where + " (" + id + ")")
            .followAndPrint(show -> WorkflowWait.await(client, id, CopyRecord.class, out, show,
                "offsite sync"), (r, link) -> summary(out, r, link));
      }
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

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        OffsiteConfig o = offsite(s);
        String pp = c.repository().prefix();
        String op = o.prefixOr(pp);
        Map<String, long[]> copies = new TreeMap<>(); // dir -> {objects, bytes, committed}
        Map<String, String> locks = new TreeMap<>(); // dir -> the manifest's lock, when locked
        long walObjects = 0;
        long walBytes = 0;
        try (OffsiteBucket bucket = new OffsiteBucket(o, s.secrets())) {
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
          out.println(Json.write(Map.of("endpoint", o.endpoint(), "bucket", o.bucket(),
              "prefix", op, "backups", rows, "walObjects", walObjects, "walBytes", walBytes)));
          return 0;
        }
        out.println("offsite " + o.endpoint() + " bucket " + o.bucket() + " prefix " + op);
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

    @Override
    public Integer call() {
      PrintWriter out = parent.root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(parent.root.env), parent.root.env)) {
        LifeboatConfig c = s.config();
        OffsiteConfig o = offsite(s);
        List<Map<String, Object>> scopes = new ArrayList<>();
        int bad = 0;
        try (OffsiteBucket bucket = new OffsiteBucket(o, s.secrets())) {
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
          throw new OperationFailed("cannot read the offsite bucket: " + e.getMessage());
        }
        if (json) {
          out.println(Json.write(Map.of("passed", bad == 0, "scopes", scopes)));
        } else {
          for (Map<String, Object> r : scopes) {
            out.printf("%-4s %-8s %5d object(s), %s read%n",
                ((List<?>) r.get("mismatches")).isEmpty() ? "ok" : "FAIL", r.get("scope"),
                r.get("checked"), Bytes.human((Long) r.get("bytes")));
            for (Object m : (List<?>) r.get("mismatches")) out.println("     " + m);
          }
          out.println(bad == 0 ? "every offsite copy matches its checksum"
              : "offsite verification FAILED: " + bad + " problem(s); " + (repair
                  ? "the bad copies were removed: run `lifeboat offsite sync --wait` now"
                  : "rerun with --repair to remove them, then `lifeboat offsite sync --wait`"));
        }
        return bad == 0 ? 0 : ExitCodes.FAILED;
      }
    }
  }
}
