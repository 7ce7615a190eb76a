package io.lifeboat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** files: (issue 20): the engine per source, its defaults, and each mistake one line. */
class FilesRulesTest {
  private static final String BASE = YamlConfig.MINIMAL + "files:\n";

  @TempDir Path dir;

  private FilesConfig load(String entry) throws IOException {
    return YamlConfig.load(dir, BASE + entry).files().get(0);
  }

  private String fails(String entry) throws IOException {
    return YamlConfig.refused(dir, BASE + entry);
  }

  @Test
  void anOldConfigWithoutAnEngineIsRestic() throws IOException {
    FilesConfig f = load("  - {name: uploads, paths: [/srv/uploads], passwordEnv: RESTIC_PW}\n");
    assertEquals("restic", f.engine());
    assertTrue(f.restic());
    assertNull(f.repositoryPath());
  }

  @Test
  void borgAndRsyncTakeARepositoryPath() throws IOException {
    FilesConfig b = load("  - {name: uploads, paths: [/srv/uploads], engine: borg,"
        + " repositoryPath: /var/backups/borg/uploads, passwordEnv: BORG_PW}\n");
    assertEquals("borg", b.engine());
    assertEquals("/var/backups/borg/uploads", b.repositoryPath());
    assertEquals("borg passphrase of files source uploads", b.passwordPurpose());
    FilesConfig r = load("  - {name: uploads, paths: [/srv/uploads], engine: rsync,"
        + " repositoryPath: /var/backups/mirror/uploads}\n");
    assertEquals("rsync", r.engine());
    assertNull(r.passwordEnv());
  }

  @Test
  void duplicityKeepsItsRepositoryInTheObjectStoreWithFullChainsEveryNGenerations()
      throws IOException {
    FilesConfig d = load("  - {name: uploads, paths: [/srv/uploads], engine: duplicity,"
        + " passwordEnv: DUP_PW, fullEvery: 3}\n");
    assertTrue(d.duplicity() && d.inObjectStore());
    assertEquals(3, d.fullEvery());
    assertEquals("duplicity GPG passphrase of files source uploads", d.passwordPurpose());
    assertEquals(FilesConfig.DEFAULT_FULL_EVERY, load("  - {name: uploads, paths: [/srv/uploads],"
        + " engine: duplicity, passwordEnv: DUP_PW}\n").fullEvery());
  }

  @Test
  void mistakesAreOneLineEach() throws IOException {
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: tar,"
        + " passwordEnv: P}\n").contains("'files[0].engine' must be restic, borg, rsync or duplicity, not"
        + " 'tar'"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: borg, passwordEnv: P}\n")
        .contains("'files[0].repositoryPath' must be set to an absolute path for engine borg"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: rsync,"
        + " repositoryPath: backups/m}\n").contains("'files[0].repositoryPath' must be set to an"
        + " absolute path for engine rsync (its repository on the source's host), not"
        + " 'backups/m'"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: borg,"
        + " repositoryPath: /b}\n").contains("'files[0].passwordEnv' must name the environment"
        + " variable that holds the borg passphrase"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], passwordEnv: P,"
        + " repositoryPath: /b}\n").contains("'files[0].repositoryPath' is for borg and rsync"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: rsync,"
        + " repositoryPath: /m, passwordEnv: P}\n").contains("is not used by engine rsync"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: duplicity,"
        + " passwordEnv: P, repositoryPath: /d}\n").contains("'files[0].repositoryPath' is for"
        + " borg and rsync; duplicity keeps its repository in the object store"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: duplicity,"
        + " passwordEnv: P, fullEvery: 0}\n").contains("'files[0].fullEvery' must be at least 1,"
        + " not 0"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: borg, passwordEnv: P,"
        + " repositoryPath: /b, fullEvery: 2}\n").contains("'files[0].fullEvery' is for engine"
        + " duplicity only"));
    assertTrue(fails("  - {name: uploads, paths: [/srv/uploads], engine: duplicity}\n")
        .contains("holds the duplicity GPG passphrase"));
  }

  private static final String HOSTS = YamlConfig.MINIMAL
      + "hosts:\n  - {name: app1, address: 10.0.0.5}\n  - {name: backup1, address: 10.0.0.9}\n"
      + "  - {name: vault, roles: [backup]}\n  - {name: odd, address: '-oProxyCommand=x'}\n"
      + "files:\n";

  private FilesConfig loadWithHosts(String entry) throws IOException {
    LifeboatConfig c = YamlConfig.load(dir, HOSTS + entry);
    return c.files().get(0);
  }

  private String failsWithHosts(String entry) throws IOException {
    return YamlConfig.refused(dir, HOSTS + entry);
  }

  @Test
  void aRepositoryOnABackupHostIsReachedAtItsAddressOverSsh() throws IOException {
    String entry = "  - {name: etc, host: app1, paths: [/etc], engine: borg, passwordEnv: P,"
        + " repositoryHost: backup1, repositoryUser: lifeboat, repositorySshConfig:"
        + " /etc/lifeboat/ssh_config, repositoryPath: /srv/borg/etc}\n";
    LifeboatConfig c = YamlConfig.load(dir, HOSTS + entry);
    FilesConfig f = c.files().get(0);
    assertTrue(f.remoteRepository());
    assertEquals("backup1", f.repositoryHost());
    assertEquals("lifeboat", f.repositoryUser());
    assertEquals("/etc/lifeboat/ssh_config", f.repositorySshConfig());
    assertEquals("10.0.0.9", c.repositoryAddress(f));
    FilesConfig there = f.onRepositoryHost();
    assertTrue(!there.remoteRepository() && there.repositoryUser() == null
        && there.repositorySshConfig() == null);
    assertEquals("/srv/borg/etc", there.repositoryPath());
    assertEquals(f.paths(), there.paths());
    FilesConfig local = loadWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryPath: /mnt/m}\n");
    assertTrue(!local.remoteRepository());
    assertNull(YamlConfig.load(dir, HOSTS + "  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryPath: /mnt/m}\n").repositoryAddress(local));
  }

  @Test
  void repositoryHostMistakesAreOneLineEach() throws IOException {
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: borg, passwordEnv: P,"
        + " repositoryHost: backup9, repositoryPath: /b}\n").contains("'files[0].repositoryHost'"
        + " names host 'backup9', which is not in hosts: (app1, backup1, vault, odd)"));
    assertTrue(fails("  - {name: etc, paths: [/etc], engine: borg, passwordEnv: P,"
        + " repositoryHost: backup1, repositoryPath: /b}\n").contains("names host 'backup1',"
        + " which is not in hosts: (the file has no 'hosts:' section)"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryHost: vault, repositoryPath: /b}\n").contains("names host 'vault', which"
        + " has no address in hosts: (ssh reaches the repository at it)"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryHost: odd, repositoryPath: /b}\n").contains("whose address"
        + " '-oProxyCommand=x' is not a host name or IP address ssh can dial"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], passwordEnv: P,"
        + " repositoryHost: backup1}\n").contains("'files[0].repositoryHost' is for borg and"
        + " rsync; restic keeps its repository in the object store"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryUser: lb, repositoryPath: /b}\n").contains("'files[0].repositoryUser' is"
        + " only used with repositoryHost"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositorySshConfig: /etc/ssh_config, repositoryPath: /b}\n")
        .contains("'files[0].repositorySshConfig' is only used with repositoryHost"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryHost: backup1, repositoryUser: '-lroot', repositoryPath: /b}\n")
        .contains("'files[0].repositoryUser' must be a login name"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryHost: backup1, repositorySshConfig: 'my ssh config', repositoryPath: /b}\n")
        .contains("'files[0].repositorySshConfig' must be an absolute path without blanks"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: rsync,"
        + " repositoryHost: backup1, repositoryPath: '/b; rm -rf x'}\n")
        .contains("'files[0].repositoryPath' on repositoryHost backup1 must be without blanks"));
    assertTrue(failsWithHosts("  - {name: etc, paths: [/etc], engine: borg, passwordEnv: P,"
        + " repositoryHost: backup1}\n").contains("'files[0].repositoryPath' must be set to an"
        + " absolute path for engine borg (its repository on repositoryHost backup1)"));
  }
}
