package io.lifeboat.rollback;

import io.lifeboat.backup.artifact.ArtifactRepository;
import io.lifeboat.process.Commands;
import io.lifeboat.process.Pm2;
import io.lifeboat.archive.SafeExtractor;
import io.lifeboat.archive.UnsafeArchiveException;
import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.backup.artifact.ArtifactManifest;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class RollbackActivitiesImpl implements RollbackActivities {
  private static final Logger log = LoggerFactory.getLogger(RollbackActivitiesImpl.class);
  /** How long the app may take to answer after pm2 started it. */
  static final Duration HEALTH_WAIT = Duration.ofSeconds(90);
  static final Duration NPM_TIMEOUT = Duration.ofMinutes(20);

  private final StoreFactory stores;
  private final Pm2 pm2;
  private final String npm;

  public RollbackActivitiesImpl(StoreFactory stores, Pm2 pm2, String npm) {
    this.stores = stores;
    this.pm2 = pm2;
    this.npm = npm;
  }

  public static RollbackActivitiesImpl create(StoreFactory stores, Secrets secrets) {
    String npm = secrets.optional("LIFEBOAT_NPM_BIN");
    return new RollbackActivitiesImpl(stores, Pm2.discover(secrets),
        npm == null || npm.isBlank() ? "npm" : npm);
  }

  private static Runnable beat() {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    return () -> ctx.heartbeat(null);
  }

  @Override
  public AppState identify(ApplicationConfig app) {
    Runnable beat = beat();
    requireReleaseRoot(app);
    Pm2.Process p = pm2.describe(app, beat);
    beat.run();
    HealthProbe.Answer health = HealthProbe.probe(app.healthUrl());
    Path current = Path.of(app.currentDir());
    String commit = Files.isDirectory(current) ? ReleaseCommit.read(current).commit() : "missing";
    return new AppState(p == null ? "not known to pm2" : p.status(), p == null ? 0 : p.restarts(),
        health.ok(), health.line(), commit);
  }

  @Override
  public StagedRelease stageRelease(StageRequest req) {
    return io.lifeboat.failure.ActivityFailures.typed(() -> {
      Runnable beat = beat();
      ApplicationConfig app = req.application();
      Path root = requireReleaseRoot(app);
      Path staging = staging(root, req.runKey());
      try {
        // A retry starts clean: whatever an earlier attempt staged is replaced.
        ReleaseDirs.deleteTree(staging);
        Path previous = Path.of(app.previousDir());
        if (req.backupId() == null && Files.isDirectory(previous)) {
          Files.createDirectories(staging.getParent());
          // previous/ may link to releases/N: copy what it points to, links inside kept as links
          int files = ReleaseDirs.copyTree(previous.toRealPath(), staging, beat);
          return new StagedRelease("previous/ (" + previous + ")", null,
              ReleaseCommit.read(staging).commit(), staging.toString(), files);
        }
        return fromRepository(req, app, root, staging, beat);
      } catch (IOException e) {
        throw FailureKind.LOCAL_IO.failure("staging the release in " + staging + " failed: "
            + e.getMessage());
      }
    });
  }

  private StagedRelease fromRepository(StageRequest req, ApplicationConfig app, Path root,
      Path staging, Runnable beat) throws IOException {
    ArtifactRepository repo = new ArtifactRepository(stores.forRepository(req.repository()));
    String appRoot = RepositoryLayout.appBackupsRoot(req.repository().prefix(), app.name());
    String id = req.backupId();
    String why = "";
    if (id == null) {
      // No previous/: the newest stored build that is not the one running now (the newest
      // backup is often the broken release itself, taken right after its deployment).
      Path current = Path.of(app.currentDir());
      String running = Files.isDirectory(current) ? ReleaseCommit.read(current).commit() : null;
      for (String candidate : repo.committedIds(appRoot)) {
        Optional<ArtifactManifest> cm = repo.manifest(appRoot, candidate);
        if (cm.isPresent() && (running == null || "unknown".equals(running)
            || !running.equals(cm.get().commit()))) {
          id = candidate;
          why = ", the newest stored build not at the running commit " + running;
          break;
        }
      }
      if (id == null) {
        throw FailureKind.APP_RELEASE_MISSING.failure("nothing to roll back to: " + app.name()
            + " has no previous/ in " + root + " and no stored backup of another commit");
      }
    }
    String backupId = id;
    ArtifactManifest m = repo.manifest(appRoot, backupId).orElseThrow(() ->
        FailureKind.BACKUP_NOT_FOUND.failure("no backup " + backupId + " of " + app.name()
            + " in the repository (see lifeboat backups list --app " + app.name() + ")"));
    RepositoryCipher cipher = stores.cipher(req.repository());
    String what = "backup " + backupId + " of " + app.name();
    cipher.requireReadable(m.encryption(), what); // before anything is downloaded or touched
    Path download = root.resolve(".rollback-" + req.runKey() + ".tar.gz");
    try {
      String sha;
      try (OutputStream out = Files.newOutputStream(download)) {
        sha = repo.copyAndHash(m.objectKey(), out, beat);
      }
      if (!sha.equals(m.sha256())) {
        Optional<ArtifactManifest> good = repo.previousGood(appRoot, backupId, beat);
        throw FailureKind.ARCHIVE_CORRUPT.failure("refused backup " + backupId + " of "
            + app.name() + ": its archive's sha256 is " + sha + ", the manifest says " + m.sha256()
            + " (tampered or damaged); " + good.map(g -> "the previous good backup is "
                + g.backupId() + " (commit " + g.commit() + "): lifeboat rollback app " + app.name()
                + " --to " + g.backupId()).orElse("no older backup verifies either"));
      }
      int files;
      try {
        // The checksum covered the stored (encrypted) bytes; extraction needs the plaintext.
        ArtifactRepository.decryptInPlace(cipher, download, m.objectKey(), what);
        files = SafeExtractor.extract(download, staging, "current", beat);
      } catch (UnsafeArchiveException e) {
        ReleaseDirs.deleteTree(staging);
        throw FailureKind.ARCHIVE_TRAVERSAL.failure("backup " + backupId + " of " + app.name()
            + " " + e.getMessage() + "; nothing was written");
      } catch (IOException e) {
        ReleaseDirs.deleteTree(staging);
        throw FailureKind.ARCHIVE_CORRUPT.failure("backup " + backupId + " of " + app.name()
            + " cannot be extracted: " + e.getMessage());
      }
      return new StagedRelease("backup " + backupId + why, backupId, m.commit(),
          staging.toString(), files);
    } finally {
      Files.deleteIfExists(download);
    }
  }

  @Override
  public void installDependencies(ReleaseStep step) {
    Path dir = Path.of(step.stagingDir());
    if (!Files.isRegularFile(dir.resolve("package.json"))) {
      return; // nothing to install
    }
    List<String> argv = new ArrayList<>(List.of(npm));
    // ci needs the lock file and installs exactly it; it removes node_modules first, so a
    // retry after a crash starts from nothing.
    argv.addAll(Files.isRegularFile(dir.resolve("package-lock.json"))
        ? List.of("ci", "--omit=dev", "--no-audit", "--no-fund")
        : List.of("install", "--omit=dev", "--no-audit", "--no-fund"));
    Commands.Result r;
    try {
      r = Commands.run(argv, dir, Map.of(), NPM_TIMEOUT, beat());
    } catch (IOException e) {
      throw FailureKind.NPM_FAILED.failure("cannot run " + String.join(" ", argv) + ": "
          + e.getMessage());
    }
    if (r.exit() != 0) {
      throw FailureKind.NPM_FAILED.failure(String.join(" ", argv) + " in " + dir + " exited "
          + r.exit() + ": " + Commands.lastLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
    }
  }

  @Override
  public String stopApp(ApplicationConfig app) {
    return pm2.stop(app, beat());
  }

  /** In a release swapped in by a run: that run's key (see {@link #swapRelease}). */
  static final String SWAP_MARKER = ".lifeboat-swap";

  private static boolean swappedBy(Path current, String runKey) {
    try {
      Path marker = current.resolve(SWAP_MARKER);
      return Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
          && Files.readString(marker).strip().equals(runKey);
    } catch (IOException unreadable) {
      return false;
    }
  }

  @Override
  public SwapResult swapRelease(ReleaseStep step) {
    Path root = requireReleaseRoot(step.application());
    Path current = root.resolve("current");
    Path staged = Path.of(step.stagingDir());
    Path replaced = root.resolve("replaced-" + step.runKey());
    boolean hasCurrent = Files.exists(current, LinkOption.NOFOLLOW_LINKS);
    boolean hasStaged = Files.isDirectory(staged, LinkOption.NOFOLLOW_LINKS);
    boolean hasReplaced = Files.exists(replaced, LinkOption.NOFOLLOW_LINKS);
    try {
      if (!hasStaged) {
        if (hasCurrent && (hasReplaced || swappedBy(current, step.runKey()))) {
          log.info("swap of {} already done by an earlier attempt", current);
          return new SwapResult(hasReplaced ? replaced.toString() : null, true);
        }
        throw FailureKind.APP_RELEASE_MISSING.failure("the staged release " + staged
            + " is gone; start the rollback again");
      }
      if (hasCurrent) {
        if (hasReplaced) {
          throw FailureKind.APP_RELEASE_MISSING.failure("both " + current + " and " + replaced
              + " exist beside the staged release; someone deployed meanwhile? nothing swapped");
        }
        move(current, replaced);
      }
      // Which run swapped this release in: on a first install (a new server: no current/ to
      // keep as replaced-RUN) it is the only sign that a retry finds the swap done.
      Files.writeString(staged.resolve(SWAP_MARKER), step.runKey() + "\n");
      // A crash between the two renames leaves no current/: the retry lands here and ends it.
      move(staged, current);
      return new SwapResult(hasCurrent || hasReplaced ? replaced.toString() : null, false);
    } catch (IOException e) {
      throw FailureKind.LOCAL_IO.failure("swapping " + staged + " into " + current + " failed: "
          + e.getMessage());
    }
  }

  @Override
  public String startApp(ApplicationConfig app) {
    return pm2.start(app, beat());
  }

  @Override
  public HealthResult verifyHealth(ApplicationConfig app) {
    Runnable beat = beat();
    List<String> urls = new ArrayList<>();
    urls.add(app.healthUrl());
    urls.addAll(app.criticalEndpoints());
    long deadline = System.nanoTime() + HEALTH_WAIT.toNanos();
    List<String> lines;
    while (true) {
      lines = new ArrayList<>();
      boolean all = true;
      for (String u : urls) {
        HealthProbe.Answer a = HealthProbe.probe(u);
        lines.add(a.line());
        all &= a.ok();
        beat.run(); // a probe may take seconds: keep the heartbeat well inside its timeout
      }
      beat.run();
      if (all) {
        return new HealthResult(true, lines,
            ReleaseCommit.read(Path.of(app.currentDir())).commit());
      }
      if (System.nanoTime() > deadline) break;
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw FailureKind.APP_UNHEALTHY.failure(app.name() + " did not become healthy within "
        + HEALTH_WAIT.toSeconds() + " s: " + String.join("; ", lines));
  }

  private static Path requireReleaseRoot(ApplicationConfig app) {
    Path root = Path.of(app.releaseRoot());
    if (!Files.isDirectory(root)) {
      throw FailureKind.APP_RELEASE_MISSING.failure("release root " + root + " of " + app.name()
          + " does not exist");
    }
    return root;
  }

  static Path staging(Path root, String runKey) {
    return root.resolve(".rollback-" + runKey);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically (another"
          + " file system?)", e);
    }
  }
}
