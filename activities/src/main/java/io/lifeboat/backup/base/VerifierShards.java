package io.lifeboat.backup.base;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * pg_verifybackup in parallel. It is single-threaded: on a 2 GB backup it spends most of its
 * time computing CRC32Cs, one file after another, while the other cores are idle (the stream
 * and the upload are over by then). So the manifest's files are split into shards of about
 * equal size, and one pg_verifybackup per shard checks its own files and ignores
 * ({@code -i PATH}) every file of the other shards; only the first parses the WAL. Every file
 * of backup_manifest is therefore checked by exactly one real pg_verifybackup, each also
 * checks the manifest's own checksum and the system identifier, and a file on disk that no
 * manifest entry lists is reported by the shard that does not ignore it (files are ignored by
 * exact path only, so an unknown file is caught by every shard).
 *
 * <p>One process (no split) when a path is not plain UTF-8 in the manifest (Encoded-Path) or
 * the command lines would grow past {@link #MAX_ARGUMENT_CHARS}.
 */
final class VerifierShards {
  static final int MAX_ARGUMENT_CHARS = 256 * 1024;

  private VerifierShards() {}

  /** The extra arguments of each pg_verifybackup process (one empty list: no split). */
  static List<List<String>> split(JsonNode manifest, int shards) {
    JsonNode files = manifest.path("Files");
    if (shards < 2 || !files.isArray() || files.size() < shards) return List.of(List.of());
    List<JsonNode> bySize = new ArrayList<>();
    long chars = 0;
    for (JsonNode f : files) {
      if (!f.hasNonNull("Path")) return List.of(List.of());
      bySize.add(f);
      chars += f.get("Path").asText().length() + 4;
    }
    if (chars * (shards - 1) > MAX_ARGUMENT_CHARS) return List.of(List.of());
    bySize.sort(Comparator.comparingLong((JsonNode f) -> f.path("Size").asLong()).reversed());
    List<List<String>> paths = new ArrayList<>();
    long[] load = new long[shards];
    for (int i = 0; i < shards; i++) paths.add(new ArrayList<>());
    for (JsonNode f : bySize) {
      int lightest = 0;
      for (int i = 1; i < shards; i++) if (load[i] < load[lightest]) lightest = i;
      paths.get(lightest).add(f.get("Path").asText());
      load[lightest] += f.path("Size").asLong() + 8192;   // a file's own cost beside its bytes
    }
    List<List<String>> args = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      List<String> a = new ArrayList<>();
      if (i > 0) a.add("--no-parse-wal");
      for (int j = 0; j < shards; j++) {
        if (j == i) continue;
        for (String p : paths.get(j)) {
          a.add("--ignore=" + p);
        }
      }
      args.add(a);
    }
    return args;
  }
}
