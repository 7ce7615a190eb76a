package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.backup.dump.BackupManifest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 21: a database with {@code dump: {format: directory, jobs: 2}} is dumped with
 * {@code pg_dump -Fd -j 2}, stored as one encrypted tar under its manifest, verified by a real
 * restore with {@code pg_restore -j 2}, and recovered into place with {@code pg_restore -j 2}:
 * every table's checksum equals the source's. One flipped byte in the stored object fails
 * verify.
 */
@EnabledIfEnvironmentVariable(named = "LIFEBOAT_IT", matches = "1")
class DirectoryDumpEndToEndTest {
  private RealStack stack;

  @BeforeEach
  void up() throws Exception {
    stack = new RealStack();
    stack.startWorker();
  }

  @AfterEach
  void down() throws Exception {
    stack.close();
  }

  /** One md5 per table over its rows in a fixed order: table name, then the checksum. */
  private String tableChecksums(String db) throws Exception {
    List<String> tables = List.of(stack.psql(db, "select string_agg(tablename, ' ' order by"
        + " tablename) from pg_tables where schemaname = 'public'").split(" "));
    List<String> sums = new ArrayList<>();
    for (String t : tables) {
      sums.add(t + "=" + stack.psql(db, "select md5(coalesce(string_agg(x::text, '|' order by"
          + " x::text), '')) || ':' || count(*) from public." + t + " x"));
    }
    return String.join("\n", sums);
  }

  @Test
  void directoryDumpBacksUpVerifiesAndRecoversWithParallelJobs() throws Exception {
    String db = stack.createDatabase("dirdump", 5_000);
    Path config = stack.config("dirdump", root -> {
      var entry = RealStack.addDatabase(root, db);
      entry.putObject("dump").put("format", "directory").put("jobs", 2);
      entry.putArray("validation").addObject().put("name", "tallies present")
          .put("sql", "select count(*) from tallies").put("minimum", 5000);
    });
    String source = tableChecksums(db);
    assertTrue(source.contains("tallies="), source);

    RealStack.Run backup = stack.cli("backup", "db", db, "--wait", "--config", config.toString());
    assertEquals(0, backup.exit(), backup.out() + backup.err());
    assertTrue(backup.out().contains("is committed"), backup.out());

    // The manifest names one object, the tar of pg_dump -Fd's directory, encrypted.
    List<String> manifests = stack.keys().stream().filter(k -> k.endsWith("/manifest.json"))
        .toList();
    assertEquals(1, manifests.size(), stack.keys().toString());
    BackupManifest m;
    try (InputStream in = stack.store().get(manifests.get(0))) {
      m = new ObjectMapper().readValue(in, BackupManifest.class);
    }
    assertEquals(BackupManifest.DIRECTORY, m.dumpFormat());
    assertTrue(m.compression().contains("pg_dump -Fd -j 2"), m.compression());
    assertTrue(m.encryption() != null, "encrypted as a custom-format dump is");
    List<String> names = new ArrayList<>();
    try (InputStream stored = stack.openStored(m.objectKey());
         var unzstd = new com.github.luben.zstd.ZstdInputStream(stored);
         TarArchiveInputStream tar = new TarArchiveInputStream(unzstd)) {
      TarArchiveEntry e;
      while ((e = tar.getNextTarEntry()) != null) names.add(e.getName());
    }
    assertEquals("toc.dat", names.get(0), names.toString());
    assertTrue(names.size() > 3, "one file per table's data: " + names);

    // lifeboat verify: a real restore (pg_restore -j 2) into a scratch database, queries pass.
    RealStack.Run ok = stack.cli("verify", "--wait", "--config", config.toString());
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    assertTrue(ok.out().contains("PASSED " + db), ok.out());

    // recover db into place from the directory-format dump.
    stack.psql(db, "delete from tallies where id % 2 = 0");
    assertNotEquals(source, tableChecksums(db));
    RealStack.Run r = stack.cli("recover", "db", db, "--latest", "--wait", "--config",
        config.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("full dump restore"), r.out());
    assertEquals(source, tableChecksums(db), "every table as the backup had it");
    String kept = stack.psql("postgres", "select datname from pg_database where datname like '"
        + db + "_replaced_%'");
    assertTrue(kept.startsWith(db + "_replaced_"), "damaged database kept: " + kept);
    stack.psql("postgres", "drop database " + kept + " with (force)");

    // One flipped byte in the stored object: verify fails, no scratch database left.
    byte[] bytes;
    try (InputStream in = stack.store().get(m.objectKey())) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    stack.store().put(m.objectKey(), bytes, "application/octet-stream");
    RealStack.Run bad = stack.cli("verify", "--wait", "--config", config.toString());
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.out().contains("FAILED " + db), bad.out());
    assertEquals("", stack.psql("postgres", "select coalesce(string_agg(datname, ','), '') from"
        + " pg_database where datname like 'lifeboat_verify_" + db + "%'"));
  }
}
