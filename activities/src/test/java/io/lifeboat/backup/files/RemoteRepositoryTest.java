package io.lifeboat.backup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.temporal.failure.ApplicationFailure;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * borg's repository and rsync's mirror on a repository host, reached over real ssh: a loopback
 * sshd of the test's own ({@link LoopbackSshd}) stands in for the backup host, the engines run
 * as the agent would. Two generations with a change, the first restored exactly, a flipped byte
 * in the remote repository found by the check, retention, and every ssh failure one typed line.
 * (The estate's FilesOverSshEndToEndTest does the same across machines with the workflow.)
 */
class RemoteRepositoryTest {
  private static final String GEN1 = "20261206T230000Z-aaaa1111";
  private static final String GEN2 = "20261206T230500Z-bbbb2222";
  private static final Secrets SECRETS = new Secrets(Map.of("LB_TEST_BORG_PW", "correct horse"));
  private static final String USER = System.getProperty("user.name");

  @TempDir Path dir;
  private LoopbackSshd sshd;
  private Path src;

  @BeforeEach
  void up() throws Exception {
    assumeTrue(LoopbackSshd.available(), "needs openssh-server (the estate's tools)");
    sshd = new LoopbackSshd(Files.createDirectories(dir.resolve("ssh")));
    src = Files.createDirectories(dir.resolve("src/uploads"));
    Files.writeString(src.resolve("a.txt"), "first version\n");
    Files.createDirectories(src.resolve("sub"));
    Files.write(src.resolve("sub/b.bin"), new byte[70_000]);
    Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
    Files.createDirectories(dir.resolve("backuphost"));
  }

  @AfterEach
  void down() throws Exception {
    if (sshd != null) sshd.close();
  }

  private FilesConfig source(String engine, String repo, Path sshConfig, int keepLast) {
    return new FilesConfig("uploads", null, List.of(src.toString()), List.of("*.tmp"), engine,
        engine.equals("borg") ? "LB_TEST_BORG_PW" : null,
        new FilesConfig.Keep(keepLast, 0, 0, 0), null, null, null,
        dir.resolve("backuphost").resolve(repo).toString(), null, "backup1", USER,
        sshConfig.toString());
  }

  private static FilesEngine engine(FilesConfig f) {
    return FilesEngine.of(f, null, SECRETS, "127.0.0.1");
  }

  private void secondVersion() throws Exception {
    Files.writeString(src.resolve("a.txt"), "second version, longer\n");
    Files.writeString(src.resolve("new.txt"), "added\n");
  }

  @Test
  void borgOverSshBacksUpRestoresPrunesAndChecks() throws Exception {
    FilesConfig f = source("borg", "borg", sshd.sshConfig, 1);
    FilesEngine borg = engine(f);
    assertEquals("ssh://" + USER + "@127.0.0.1" + f.repositoryPath(), borg.location());
    assertTrue(borg.init(), "created over ssh");
    assertFalse(borg.init(), "borg says it exists: left as it is");
    assertTrue(Files.isRegularFile(Path.of(f.repositoryPath(), "config")));

    assertFalse(borg.backup(GEN1, "manual", null).reused());
    assertTrue(borg.backup(GEN1, "manual", null).reused(), "a retried attempt finds its archive");
    secondVersion();
    assertFalse(borg.backup(GEN2, "manual", null).reused());
    assertEquals(List.of(GEN1, GEN2), borg.snapshots().stream().map(s -> s[0]).toList());

    FilesRestore.Restored r = new FilesRestore(f, null, SECRETS, "127.0.0.1")
        .restore(GEN1, dir.resolve("restored"), false);
    assertEquals(List.of(), r.differences());
    Path back = dir.resolve("restored").resolve(src.toString().substring(1));
    assertEquals("first version\n", Files.readString(back.resolve("a.txt")));
    assertFalse(Files.exists(back.resolve("new.txt")));
    assertEquals(Path.of("a.txt"), Files.readSymbolicLink(back.resolve("link")));

    assertTrue(borg.check(null).ok());
    FilesRetention kept = borg.retention(null);
    assertEquals(List.of(GEN2), kept.kept());
    assertEquals(List.of(GEN1), kept.removed());
    flipAByteOfTheLargestFile(Path.of(f.repositoryPath(), "data"));
    FilesCheck damaged = borg.check(null);
    assertFalse(damaged.ok(), damaged.line());
    assertTrue(damaged.line().startsWith("borg check --verify-data: "), damaged.line());
  }

  @Test
  void rsyncPushesOverSshTheMirrorsHostSealsAndTheRestorePullsAndCompares() throws Exception {
    FilesConfig f = source("rsync", "mirror", sshd.sshConfig, 1);
    FilesEngine push = engine(f);
    // The repository host's agent: the same source, the mirror a local path there.
    RsyncMirror there = (RsyncMirror) engine(f.onRepositoryHost());
    assertTrue(there.init());

    assertFalse(push.backup(GEN1, "manual", null).reused());
    assertEquals(List.of(), push.snapshots(), "not a generation until sealed");
    FilesSnapshot sealed = there.seal(GEN1, "manual", null);
    assertEquals(2, sealed.totalFiles());
    assertTrue(push.backup(GEN1, "manual", null).reused(), "a retried push finds it sealed");
    assertTrue(there.seal(GEN1, "manual", null).reused(), "a retried seal finds it done");

    secondVersion();
    push.backup(GEN2, "manual", null);
    FilesSnapshot second = there.seal(GEN2, "manual", null);
    assertEquals(3, second.totalFiles());
    Path g1 = Path.of(f.repositoryPath(), "generations", GEN1).resolve(src.toString().substring(1));
    Path g2 = Path.of(f.repositoryPath(), "generations", GEN2).resolve(src.toString().substring(1));
    assertTrue(Files.isSameFile(g1.resolve("sub/b.bin"), g2.resolve("sub/b.bin")),
        "--link-dest=../PREVIOUS over ssh hard-links the unchanged file");
    assertEquals(List.of(GEN1, GEN2), push.snapshots().stream().map(s -> s[0]).toList());

    FilesRestore.Restored r = new FilesRestore(f, null, SECRETS, "127.0.0.1")
        .restore(GEN1, dir.resolve("restored"), false);
    assertEquals(List.of(), r.differences());
    assertEquals("first version\n", Files.readString(dir.resolve("restored")
        .resolve(src.toString().substring(1)).resolve("a.txt")));

    assertTrue(there.check(null).ok());
    assertEquals(List.of(GEN1), there.retention(null).removed());
    assertEquals(List.of(GEN2), push.snapshots().stream().map(s -> s[0]).toList());
    try (RandomAccessFile raf = new RandomAccessFile(g2.resolve("a.txt").toFile(), "rw")) {
      raf.seek(3);
      int b = raf.read();
      raf.seek(3);
      raf.write(b ^ 0x01);
    }
    FilesCheck damaged = there.check(null);
    assertFalse(damaged.ok());
    assertTrue(damaged.line().contains(GEN2) && damaged.line().contains("/a.txt: sha256"),
        damaged.line());
  }

  /**
   * The rerun rule over ssh: a borg create killed mid-backup (as the kernel kills it with its
   * worker) whose server side died too, so nothing released the lock (when only the client is
   * killed, borg serve usually releases it on the end of its input: a race, not a rule), leaves
   * its lock on the repository host naming this host and a dead process; the retried attempt
   * removes it as stale and makes the archive, without waiting for the lock.
   */
  @Test
  void aKilledBorgCreatesLockOnTheRepositoryHostIsStaleForTheRetry() throws Exception {
    FilesConfig f = source("borg", "borg", sshd.sshConfig, 1);
    FilesEngine borg = engine(f);
    borg.init();
    byte[] chunk = new byte[1 << 20];
    new java.util.Random(7).nextBytes(chunk);
    try (var out = Files.newOutputStream(src.resolve("big.bin"))) {
      for (int i = 0; i < 80; i++) {
        chunk[i] ^= 1;
        out.write(chunk);
      }
    }
    Thread attempt = new Thread(() -> {
      try {
        borg.backup(GEN1, "manual", null);
      } catch (RuntimeException expected) {
        // killed below
      }
    });
    attempt.start();
    Path repo = Path.of(f.repositoryPath());
    ProcessHandle create = null;
    for (int i = 0; i < 600 && create == null; i++) {
      Thread.sleep(100);
      if (!Files.exists(repo.resolve("lock.exclusive"))) continue;
      create = ProcessHandle.current().descendants().filter(p -> p.info().commandLine()
          .map(c -> c.contains("borg") && c.contains(" create ")).orElse(false))
          .findFirst().orElse(null);
    }
    assertTrue(create != null, "borg create ran and held the lock");
    List<ProcessHandle> serve = sshd.sessions().filter(p -> p.info().commandLine()
        .map(c -> c.contains("borg serve") || c.contains("borg") && c.contains("serve"))
        .orElse(false)).toList();
    assertFalse(serve.isEmpty(), "borg serve runs under the test's sshd");
    serve.forEach(ProcessHandle::destroyForcibly);
    create.destroyForcibly();
    attempt.join(60_000);
    assertTrue(Files.exists(repo.resolve("lock.exclusive")), "the killed attempt left its lock");

    // The next borg command (a listing: quick, so the time says it) removes the stale lock.
    long started = System.nanoTime();
    borg.snapshots();
    double took = (System.nanoTime() - started) / 1e9;
    assertTrue(took < Borg.REMOTE_LOCK_WAIT_SECONDS, "the stale lock was removed, not waited"
        + " out: the listing took " + took + " s");
    assertFalse(Files.exists(repo.resolve("lock.exclusive")), "the stale lock is gone");
    assertFalse(borg.backup(GEN1, "manual", null).reused());
    assertEquals(List.of(GEN1), borg.snapshots().stream().map(s -> s[0])
        .filter(n -> !n.endsWith(".checkpoint")).toList());
  }

  @Test
  void aStoppedSshdIsUnreachableInOneRetryableLine() throws Exception {
    FilesEngine borg = engine(source("borg", "borg", sshd.sshConfig, 1));
    borg.init();
    sshd.stop();
    ApplicationFailure e = assertThrows(ApplicationFailure.class,
        () -> borg.backup(GEN1, "manual", null));
    assertEquals(FailureKind.FILES_REPOSITORY_UNREACHABLE.type(), e.getType());
    assertFalse(e.isNonRetryable());
    assertTrue(e.getOriginalMessage().contains("ssh to repository host backup1 (" + USER
        + "@127.0.0.1) failed: ") && e.getOriginalMessage().contains("Connection refused"),
        e.getOriginalMessage());
    assertFalse(e.getOriginalMessage().contains("\n"), e.getOriginalMessage());

    ApplicationFailure r = assertThrows(ApplicationFailure.class,
        () -> engine(source("rsync", "mirror", sshd.sshConfig, 1)).backup(GEN1, "manual", null));
    assertEquals(FailureKind.FILES_REPOSITORY_UNREACHABLE.type(), r.getType());
    assertTrue(r.getOriginalMessage().contains("Connection refused"), r.getOriginalMessage());
  }

  @Test
  void anUnknownHostKeyIsRefusedNeverAccepted() throws Exception {
    FilesEngine borg = engine(source("borg", "borg", sshd.sshConfigUnknownHost, 1));
    ApplicationFailure e = assertThrows(ApplicationFailure.class, borg::init);
    assertEquals(FailureKind.FILES_REPOSITORY_SSH_REFUSED.type(), e.getType());
    assertTrue(e.isNonRetryable());
    assertTrue(e.getOriginalMessage().contains("Host key verification failed"),
        e.getOriginalMessage());
    assertTrue(Files.readString(sshd.dir.resolve("known_hosts_empty")).isEmpty(),
        "ssh added no key");

    ApplicationFailure r = assertThrows(ApplicationFailure.class, () -> engine(
        source("rsync", "mirror", sshd.sshConfigUnknownHost, 1)).backup(GEN1, "manual", null));
    assertEquals(FailureKind.FILES_REPOSITORY_SSH_REFUSED.type(), r.getType());
  }

  @Test
  void aMissingRemoteRepositoryIsRefusedAtRestoreNamingTheHost() throws Exception {
    for (String engine : List.of("borg", "rsync")) {
      FilesRestore.Refused e = assertThrows(FilesRestore.Refused.class, () -> new FilesRestore(
          source(engine, "none-" + engine, sshd.sshConfig, 1), null, SECRETS, "127.0.0.1")
          .restore("latest", dir.resolve("to-" + engine), false));
      assertTrue(e.getMessage().contains("does not exist on repository host backup1"),
          e.getMessage());
    }
  }

  static void flipAByteOfTheLargestFile(Path root) throws Exception {
    Path largest;
    try (Stream<Path> s = Files.walk(root)) {
      largest = s.filter(Files::isRegularFile)
          .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(largest.toFile(), "rw")) {
      long at = raf.length() / 2;
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x01);
    }
  }
}
