package io.lifeboat.e2e;

import io.lifeboat.storage.ObjectStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every object under a prefix with its sha256, read back through the S3 API: taken before a
 * fault and compared after it, so "nothing lost" is checked, not assumed.
 */
record Ledger(Map<String, String> sha256ByKey) {
  static Ledger of(ObjectStore store, String prefix) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (String key : store.list(prefix + "/")) m.put(key, sha256(store, key));
    return new Ledger(m);
  }

  static String sha256(ObjectStore store, String key) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(store.get(key), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Keys of this ledger that are gone or changed in the later one. */
  List<String> lostIn(Ledger later) {
    List<String> lost = new ArrayList<>();
    sha256ByKey.forEach((k, v) -> {
      if (!v.equals(later.sha256ByKey.get(k))) lost.add(k);
    });
    return lost;
  }

  List<String> manifests() {
    return sha256ByKey.keySet().stream().filter(k -> k.endsWith("manifest.json")).toList();
  }

  Ledger without(String key) {
    Map<String, String> m = new TreeMap<>(sha256ByKey);
    m.remove(key);
    return new Ledger(m);
  }
}
