package io.lifeboat.storage.crypt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.repository.RepositoryLayout;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which repository key each retained object needs. Backups are counted from their manifests
 * (the key id they record: one small read each, what {@code backups list} reads anyway); WAL
 * files have no manifest, so each one's header is read (a GET cut short after a few bytes), only
 * when asked, since an archive can hold thousands. Manifests are written last, as the commit
 * mark, so an uncommitted backup (no manifest) is not retained and needs no key.
 */
public final class KeyUsage {
  /** Objects stored as plaintext (written before encryption was switched on). */
  public static final String PLAINTEXT = "(plaintext)";
  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyUsage() {}

  /** How many objects of a kind need a key, and one of them, to name in a refusal. */
  public record Use(int backups, int walFiles, String example) {
    Use plus(boolean wal, String what) {
      return new Use(backups + (wal ? 0 : 1), walFiles + (wal ? 1 : 0),
          example != null ? example : what);
    }
  }

  /**
   * Key id to its use under {@code prefix}, in the order first seen.
   *
   * @param where words for the store in examples, e.g. "s3://bucket" or "offsite s3://bucket"
   */
  public static Map<String, Use> scan(ObjectStore store, String prefix, boolean walToo,
      String where) throws IOException {
    Map<String, Use> uses = new LinkedHashMap<>();
    String root = prefix.isEmpty() ? "" : prefix + "/";
    String walRoot = root + "wal/";
    for (String key : store.list(root)) {
      if (key.startsWith(walRoot)) {
        if (!walToo || RepositoryLayout.walFileName(key) == null) continue;
        Optional<String> id;
        try (InputStream in = store.get(key)) {
          id = RepositoryCipher.writtenWith(in);
        }
        add(uses, id.orElse(PLAINTEXT), true, "WAL file " + key + " in " + where);
      } else if (key.endsWith("/" + RepositoryLayout.MANIFEST)) {
        JsonNode m;
        try (InputStream in = store.get(key)) {
          m = JSON.readTree(in);
        }
        JsonNode id = m.path("encryption").path("keyId");
        String dir = key.substring(0, key.length() - RepositoryLayout.MANIFEST.length() - 1);
        add(uses, id.isTextual() ? id.asText() : PLAINTEXT, false,
            "backup " + dir + " in " + where);
      }
    }
    return uses;
  }

  private static void add(Map<String, Use> uses, String id, boolean wal, String what) {
    uses.put(id, uses.getOrDefault(id, new Use(0, 0, null)).plus(wal, what));
  }
}
