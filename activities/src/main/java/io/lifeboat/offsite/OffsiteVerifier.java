package io.lifeboat.offsite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.storage.StorageException;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.offsite.CopyProgress;
import io.lifeboat.offsite.OffsiteLayout;
import io.lifeboat.offsite.VerifyCopyResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads offsite copies back: each object's SHA-256 against the {@code lifeboat-copy-sha256} it
 * was written with, and each manifest's {@code sha256} against its data object. Used right
 * after a copy (the copied keys) and by the deep check, `lifeboat offsite verify` (everything).
 */
public final class OffsiteVerifier {
  private static final Logger log = LoggerFactory.getLogger(OffsiteVerifier.class);
  private static final int CHUNK = 1 << 20;

  private final CopyBucket dst;
  private final String primaryPrefix;
  private final String offsitePrefix;
  private final boolean discardBad;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param discardBad delete a bad copy and its directory's manifest, so the next sync copies
   *     both again (after a copy); the deep check only reports
   */
  public OffsiteVerifier(CopyBucket dst, String primaryPrefix, boolean discardBad) {
    this.dst = dst;
    this.primaryPrefix = primaryPrefix;
    this.offsitePrefix = dst.config().prefixOr(primaryPrefix);
    this.discardBad = discardBad;
  }

  /** Every object under the scope (relative keys), copy records excepted. */
  public List<String> allUnder(String scope) {
    List<String> keys = new ArrayList<>();
    for (String k : dst.list(OffsiteLayout.join(offsitePrefix, scope))) {
      String rel = OffsiteLayout.relative(offsitePrefix, k);
      if (!rel.startsWith(OffsiteLayout.RECORDS)) keys.add(rel);
    }
    return keys;
  }

  public VerifyCopyResult verify(String scope, List<String> keys, Consumer<CopyProgress> beat) {
    List<String> mismatches = new ArrayList<>();
    Map<String, String> actual = new TreeMap<>();
    long read = 0;
    int checked = 0;
    for (String rel : keys) {
      String key = OffsiteLayout.join(offsitePrefix, rel);
      beat.accept(new CopyProgress(scope, checked, 0, read, rel));
      var info = dst.head(key);
      if (info.isEmpty()) {
        mismatches.add(rel + ": missing");
        continue;
      }
      String recorded = info.get().metadata().get(OffsiteLayout.META_COPY_SHA256);
      MessageDigest md = ScopeCopy.digest();
      try (InputStream in = dst.get(key)) {
        byte[] buf = new byte[CHUNK];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
          read += n;
          beat.accept(new CopyProgress(scope, checked, 0, read, rel));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String sha = HexFormat.of().formatHex(md.digest());
      actual.put(rel, sha);
      checked++;
      if (recorded == null) {
        mismatches.add(rel + ": no " + OffsiteLayout.META_COPY_SHA256 + " recorded");
      } else if (!recorded.equals(sha)) {
        mismatches.add(rel + ": SHA-256 " + sha + ", copied as " + recorded);
        discard(rel);
      }
    }
    // A manifest's checksum must match the copy of the data object it names.
    for (String rel : keys) {
      if (!OffsiteLayout.isManifest(rel) || !actual.containsKey(rel)) continue;
      try (InputStream in = dst.get(OffsiteLayout.join(offsitePrefix, rel))) {
        JsonNode m = json.readTree(in);
        if (!m.hasNonNull("objectKey") || !m.hasNonNull("sha256")) continue;
        String data = OffsiteLayout.relative(primaryPrefix, m.get("objectKey").asText());
        String have = actual.get(data);
        if (have == null) {
          have = dst.head(OffsiteLayout.join(offsitePrefix, data))
              .map(i -> i.metadata().get(OffsiteLayout.META_COPY_SHA256)).orElse(null);
        }
        if (have == null) {
          mismatches.add(data + ": named by " + rel + " but not in the offsite bucket");
        } else if (!have.equals(m.get("sha256").asText())) {
          mismatches.add(data + ": SHA-256 " + have + ", its manifest says "
              + m.get("sha256").asText());
          discard(data);
        }
      } catch (IOException e) {
        mismatches.add(rel + ": not readable JSON (" + e.getMessage() + ")");
      }
    }
    return new VerifyCopyResult(checked, read, mismatches);
  }

  /**
   * A bad copy goes, and with it the manifest of its directory, so the offsite never shows a
   * committed backup whose data is wrong. Where Object Lock refuses, the key is hidden behind a
   * delete marker instead: the next sync then copies it afresh, and the locked versions go
   * with the copy's retention once their lock has run out.
   */
  private void discard(String rel) {
    if (!discardBad) return;
    for (String k : List.of(rel, OffsiteLayout.dir(rel) + RepositoryLayout.MANIFEST)) {
      String key = OffsiteLayout.join(offsitePrefix, k);
      try {
        dst.delete(key);
      } catch (StorageException e) {
        if (e.kind() != FailureKind.OFFSITE_LOCKED) {
          log.warn("could not remove bad offsite copy {}: {}", k, e.getMessage());
          continue;
        }
        try {
          dst.hide(key);
          log.warn("{}; hidden behind a delete marker for the next sync to copy again", e.getMessage());
        } catch (StorageException hideFailed) {
          log.warn("could not remove bad offsite copy {}: {}", k, hideFailed.getMessage());
        }
      }
    }
  }
}
