package io.lifeboat.backup.opensearch;

import io.lifeboat.config.OpenSearchConfig;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scratch restores on the node: the stored files fetched back into a directory under
 * path.repo, registered as a read-only fs repository, restored into renamed indices
 * ({@code lifeboat-verify-RUN-INDEX}, {@code lifeboat-restore-RUN-INDEX}) without aliases or
 * replicas, counted, and removed. Only indices with those prefixes are ever deleted here.
 */
public final class OpenSearchScratch {
  private static final Logger log = LoggerFactory.getLogger(OpenSearchScratch.class);

  private OpenSearchScratch() {}

  /** The verification itself, outside Temporal too (the tests flip a byte and call it). */
  public static OpenSearchVerifyResult verify(OpenSearchHttp http, ObjectStore store,
      RepositoryCipher cipher, OpenSearchVerifyRequest req, Runnable beat) {
    OpenSearchConfig o = req.opensearch();
    List<OpenSearchFiles.Entry> files = OpenSearchFiles.readList(store, cipher, req.fileListKey());
    Path scratch = Path.of(o.scratchRoot()).resolve("verify-" + req.runKey());
    String repo = "lifeboat-verify-" + req.runKey();
    String prefix = "lifeboat-verify-" + req.runKey() + "-";
    List<String> renamed = new ArrayList<>();
    for (String i : req.minDocuments().keySet()) renamed.add(prefix + i);
    try {
      OpenSearchFiles.deleteTree(scratch);
      Files.createDirectories(scratch);
      long bytes = OpenSearchFiles.fetch(store, cipher, files, scratch, beat);
      Map<String, Long> counts = restoreRenamed(http, o, repo, scratch, req.snapshot(),
          req.minDocuments().keySet(), prefix, beat);
      for (var e : req.minDocuments().entrySet()) {
        long got = counts.getOrDefault(e.getKey(), -1L);
        long min = e.getValue();
        long max = req.maxDocuments().getOrDefault(e.getKey(), min);
        if (got < min || got > max) {
          throw FailureKind.BACKUP_CORRUPT.failure("the stored snapshot " + req.snapshot()
              + " restores index " + e.getKey() + " with " + got + " documents; the node had "
              + (min == max ? String.valueOf(min) : min + " to " + max) + " when it was taken");
        }
      }
      return new OpenSearchVerifyResult(counts, files.size(), bytes);
    } catch (IOException e) {
      throw FailureKind.BACKUP_CORRUPT.failure("stored files of " + req.snapshot()
          + " cannot be read back into " + scratch + ": " + e.getMessage());
    } finally {
      dropScratch(http, o, repo, renamed);
      OpenSearchFiles.deleteTree(scratch);
    }
  }

  /**
   * Registers dir as a read-only fs repository and restores the snapshot's indices under
   * prefix (no aliases, no replicas: nothing of it joins the live indices); their counts, by
   * the original index names.
   */
  public static Map<String, Long> restoreRenamed(OpenSearchHttp http, OpenSearchConfig o,
      String repo, Path dir, String snapshot, java.util.Collection<String> indices,
      String prefix, Runnable beat) {
    http.send(o, "PUT", "/_snapshot/" + repo, OpenSearchHttp.map("type", "fs", "settings",
        OpenSearchHttp.map("location", dir.toString(), "readonly", true)), Duration.ofMinutes(5));
    Map<String, Long> counts = new TreeMap<>();
    if (indices.isEmpty()) return counts;
    List<String> renamed = new ArrayList<>();
    for (String i : indices) renamed.add(prefix + i);
    // A retry finds the renamed indices of its first attempt: start over from a clean slate.
    http.call(o, "DELETE", "/" + OpenSearchHttp.encode(String.join(",", renamed))
        + "?ignore_unavailable=true", null, Duration.ofMinutes(5));
    http.send(o, "POST", "/_snapshot/" + repo + "/" + snapshot + "/_restore",
        OpenSearchHttp.map("indices", String.join(",", indices), "include_global_state", false,
            "include_aliases", false, "rename_pattern", "(.+)", "rename_replacement",
            prefix + "$1", "index_settings", OpenSearchHttp.map("index.number_of_replicas", 0)),
        Duration.ofMinutes(10));
    http.awaitRestored(o, renamed, beat);
    for (String i : indices) {
      String name = prefix + i;
      http.call(o, "POST", "/" + OpenSearchHttp.encode(name) + "/_refresh", null,
          Duration.ofMinutes(5));
      counts.put(i, http.get(o, "/" + OpenSearchHttp.encode(name) + "/_count").path("count")
          .asLong());
    }
    return counts;
  }

  /** Deletes scratch indices and the scratch repository's registration; logs, never throws. */
  public static void dropScratch(OpenSearchHttp http, OpenSearchConfig o, String repo,
      List<String> indices) {
    try {
      if (!indices.isEmpty()) {
        for (String i : indices) {
          if (!i.startsWith("lifeboat-verify-") && !i.startsWith("lifeboat-restore-")) {
            throw new IllegalStateException("refusing to delete index " + i);
          }
        }
        http.call(o, "DELETE", "/" + OpenSearchHttp.encode(String.join(",", indices))
            + "?ignore_unavailable=true", null, Duration.ofMinutes(5));
      }
      http.call(o, "DELETE", "/_snapshot/" + repo, null, Duration.ofMinutes(5));
    } catch (RuntimeException e) {
      log.warn("could not remove the scratch indices {} or repository {} of opensearch {}: {}",
          indices, repo, o.name(), e.getMessage());
    }
  }

}
