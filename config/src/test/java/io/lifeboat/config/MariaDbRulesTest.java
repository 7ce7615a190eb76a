package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mariadb: (issue 19): defaults, and each mistake one line. */
class MariaDbRulesTest {
  private static final String BASE = YamlConfig.MINIMAL;

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    return YamlConfig.write(dir, BASE + yaml);
  }

  private String fails(String yaml) throws IOException {
    return YamlConfig.refused(dir, BASE + yaml);
  }

  @Test
  void defaultsAndLookup() throws IOException {
    LifeboatConfig c = new ConfigLoader().load(write("""
        mariadb:
          - name: billing
            databases: [billing, tally]
        """));
    MariaDbConfig m = c.mariadbServer("billing").orElseThrow();
    assertEquals("127.0.0.1", m.address());
    assertEquals(3306, m.port());
    assertEquals("root", m.user());
    assertEquals(List.of("billing", "tally"), m.databases());
    assertEquals("logical", m.method());
    assertTrue(new ConfigLoader().load(write("mariadb:\n  - name: b\n    all: true\n"
        + "    method: physical\n")).mariadbServer("b").orElseThrow().physical());
    assertTrue(c.mariadbServer("nope").isEmpty());
  }

  @Test
  void mistakesAreOneLineEach() throws IOException {
    assertTrue(fails("mariadb:\n  - name: b\n").contains("either 'databases'"));
    assertTrue(fails("mariadb:\n  - name: b\n    all: true\n    databases: [x]\n")
        .contains("not both"));
    assertTrue(fails("mariadb:\n  - name: b\n    databases: [mysql]\n")
        .contains("server's own schema"));
    assertTrue(fails("mariadb:\n  - name: b\n    databases: ['x; drop']\n")
        .contains("a database name is"));
    assertTrue(fails("mariadb:\n  - name: '../x'\n    all: true\n").contains("'mariadb[0].name'"));
    assertTrue(fails("mariadb:\n  - name: b\n    all: true\n  - name: b\n    all: true\n")
        .contains("repeats 'b'"));
    assertTrue(fails("mariadb:\n  - name: b\n    all: true\n    host: db9\n")
        .contains("not in hosts:"));
    assertTrue(fails("mariadb:\n  - name: b\n    all: true\n    method: xtrabackup\n")
        .contains("'mariadb[0].method' must be 'logical' or 'physical'"));
    assertTrue(fails("mariadb:\n  - name: b\n    all: true\n    binlogArchiveSeconds: 1\n")
        .contains("'mariadb[0].binlogArchiveSeconds' must be 5 to 86400"));
  }

  @Test
  void dataDirAndDefaultsFileAreAbsolutePaths() throws IOException {
    MariaDbConfig m = new ConfigLoader().load(write("""
        mariadb:
          - name: billing
            databases: [billing]
            dataDir: /var/lib/mysql
            defaultsFile: /etc/mysql/my.cnf
        """)).mariadbServer("billing").orElseThrow();
    assertEquals("/var/lib/mysql", m.dataDir());
    assertEquals("/etc/mysql/my.cnf", m.defaultsFile());
    assertTrue(fails("mariadb:\n  - name: b\n    all: true\n    dataDir: mysql\n")
        .contains("'mariadb[0].dataDir' must be an absolute path"));
    assertTrue(fails("mariadb:\n  - name: b\n    all: true\n    defaultsFile: /\n")
        .contains("'mariadb[0].defaultsFile' must be an absolute path"));
  }
}
