package io.lifeboat.backup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lifeboat.backup.artifact.ArtifactManifest;
import io.lifeboat.backup.dump.BackupManifest;
import io.lifeboat.backup.base.BaseBackupManifest;
import io.lifeboat.storage.crypt.EncryptionInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The encryption field is additive: old manifests still parse and mean "not encrypted". */
class ManifestEncryptionFieldTest {
  private static final EncryptionInfo ENC = new EncryptionInfo("tink-AES256_GCM_HKDF_1MB",
      "lbk-0123456789abcdef");

  @Test
  void fullBackupManifestsOldAndNew() throws Exception {
    BackupManifest old = new BackupManifest(1, "20261122T010000Z", "db-full", "d", "h:1", "15",
        "a", "b", 10, 5, "abc", "zstd", "p/k", null, "STANDARD", "none", Map.of(), "v", "wf");
    String oldJson = Manifests.JSON.writeValueAsString(old).replace(",\"encryption\":null", "");
    assertEquals(-1, oldJson.indexOf("encryption"));
    assertNull(Manifests.JSON.readValue(oldJson, BackupManifest.class).encryption());
    assertEquals(old, Manifests.JSON.readValue(oldJson, BackupManifest.class));

    BackupManifest enc = old.withEncryption(ENC);
    String json = Manifests.JSON.writeValueAsString(enc);
    assertEquals(enc, Manifests.JSON.readValue(json, BackupManifest.class));
    assertEquals(ENC, Manifests.JSON.readValue(json, BackupManifest.class).encryption());
  }

  @Test
  void baseAndArtifactManifestsOldAndNew() throws Exception {
    BaseBackupManifest base = new BaseBackupManifest(1, "db-base", "d", "id", "h", "a", "b",
        "0/1", "0/2", 1, "s1", "s2", 16 << 20, 1, 1, "x", "zstd", "k", "15", "sys", true, "ok",
        Map.of(), "wf");
    String b = Manifests.JSON.writeValueAsString(base).replace(",\"encryption\":null", "");
    assertNull(Manifests.JSON.readValue(b, BaseBackupManifest.class).encryption());
    assertEquals(ENC, Manifests.JSON.readValue(Manifests.JSON.writeValueAsString(
        base.withEncryption(ENC)), BaseBackupManifest.class).encryption());

    ArtifactManifest art = new ArtifactManifest(1, "id", "app", "farmtally", "c", "src", "a", "b",
        "k", null, 1, 2, "x", 0, List.of(), List.of(), List.of(), "ok", "wf");
    String a = Manifests.JSON.writeValueAsString(art).replace(",\"encryption\":null", "");
    assertNull(Manifests.JSON.readValue(a, ArtifactManifest.class).encryption());
    assertEquals(ENC, Manifests.JSON.readValue(Manifests.JSON.writeValueAsString(
        art.withEncryption(ENC)), ArtifactManifest.class).encryption());
  }
}
