package io.lifeboat.backup.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.config.FilesConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StoreFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link Duplicity} reads from and writes to the object store itself: the sets, from the
 * names of duplicity's manifests ({@code duplicity-full.T.manifest.gpg},
 * {@code duplicity-inc.A.to.B.manifest.gpg}: a set is complete once its manifest is there), and
 * the generation records ({@code PREFIX/files-generations/NAME/ID.json}) that map Lifeboat's
 * backup ids to set times and hold each generation's listing.
 */
final class DuplicityRecords {
  private static final DateTimeFormatter SET_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final Pattern MANIFEST = Pattern.compile(
      "duplicity-(?:full\\.(\\d{8}T\\d{6}Z)|inc\\.(\\d{8}T\\d{6}Z)\\.to\\.(\\d{8}T\\d{6}Z))\\.manifest(?:\\.gpg)?");
  private static final Pattern LISTED = Pattern.compile(
      "^\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} (.*)$");

  /** One backup set: its time (epoch seconds) and the start of its chain. */
  record Set1(long time, long chain, boolean full) {}

  private final FilesConfig f;
  private final RepositoryConfig repo;
  private final Secrets secrets;
  private final String url;

  DuplicityRecords(FilesConfig f, RepositoryConfig repo, Secrets secrets) {
    this.f = f;
    this.repo = repo;
    this.secrets = secrets;
    this.url = "boto3+s3://" + repo.bucket() + "/" + ResticTarget.keyPrefix(repo, f.name());
  }

  private ObjectStore store() {
    return StoreFactory.open(repo, secrets);
  }

  private String recordPrefix() {
    return repo.prefix() + "/files-generations/" + f.name() + "/";
  }

  /** The complete sets (those with a manifest), oldest first. */
  List<Set1> sets() {
    List<String> keys;
    try (ObjectStore s = store()) {
      keys = s.list(ResticTarget.keyPrefix(repo, f.name()) + "/");
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot list " + url + ": " + e.getMessage(), e);
    }
    return sets(keys);
  }

  /** The sets the object keys name, oldest first, each with the start of its chain. */
  static List<Set1> sets(List<String> keys) {
    TreeMap<Long, Long> prev = new TreeMap<>();
    for (String k : keys) {
      Matcher m = MANIFEST.matcher(k.substring(k.lastIndexOf('/') + 1));
      if (!m.matches()) continue;
      if (m.group(1) != null) {
        prev.put(epoch(m.group(1)), -1L);
      } else {
        prev.put(epoch(m.group(3)), epoch(m.group(2)));
      }
    }
    List<Set1> out = new ArrayList<>();
    Map<Long, Long> chainOf = new HashMap<>();
    for (Map.Entry<Long, Long> e : prev.entrySet()) {
      boolean full = e.getValue() < 0;
      long chain = full ? e.getKey() : chainOf.getOrDefault(e.getValue(), e.getValue());
      chainOf.put(e.getKey(), chain);
      out.add(new Set1(e.getKey(), chain, full));
    }
    return out;
  }

  static long epoch(String setTime) {
    return LocalDateTime.parse(setTime, SET_TIME).toEpochSecond(ZoneOffset.UTC);
  }

  /** The generation records by name. */
  Map<String, JsonNode> records() {
    Map<String, JsonNode> out = new HashMap<>();
    try (ObjectStore s = store()) {
      for (String k : s.list(recordPrefix())) {
        if (!k.endsWith(".json")) continue;
        try (InputStream in = s.get(k)) {
          JsonNode n = FilesActivitiesImpl.JSON.readTree(in);
          out.put(n.path("generation").asText(), n);
        }
      }
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot read the generation records of files"
          + " source " + f.name() + ": " + e.getMessage(), e);
    }
    return out;
  }

  void put(ObjectNode n) {
    try (ObjectStore s = store()) {
      s.put(recordPrefix() + n.path("generation").asText() + ".json",
          FilesActivitiesImpl.JSON.writeValueAsBytes(n), "application/json");
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot write the generation record of files"
          + " source " + f.name() + ": " + e.getMessage(), e);
    }
  }

  void delete(Collection<String> generations) {
    try (ObjectStore s = store()) {
      for (String r : generations) s.delete(recordPrefix() + r + ".json");
    } catch (Exception e) {
      throw FailureKind.FILES_ENGINE_FAILED.failure("cannot delete generation records of files"
          + " source " + f.name() + ": " + e.getMessage(), e);
    }
  }

  /** The listing of a set from {@code list-current-files}: each entry described from the source. */
  static List<JsonNode> entries(FilesConfig f, List<String> lines) {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LISTED.matcher(line);
      if (!m.matches() || m.group(1).equals(".")) continue;
      String path = "/" + m.group(1);
      boolean inside = f.paths().stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
      ObjectNode n;
      if (inside) {
        n = describe(Path.of(path));
        if (n == null) continue; // gone since duplicity read it
      } else {
        n = FilesActivitiesImpl.JSON.createObjectNode();
        n.put("struct_type", "node");
        n.put("type", "dir");
      }
      n.put("path", path);
      entries.add(n);
    }
    return entries;
  }

  private static ObjectNode describe(Path p) {
    try {
      ObjectNode n = FilesActivitiesImpl.JSON.createObjectNode();
      n.put("struct_type", "node");
      if (Files.isSymbolicLink(p)) {
        n.put("type", "symlink");
        n.put("linktarget", Files.readSymbolicLink(p).toString());
        return n;
      }
      int mode = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
      n.put("mode", mode);
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        n.put("type", "dir");
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        n.put("type", "file");
        n.put("size", Files.size(p));
        n.put("sha256", MirrorTree.sha256(p));
      } else {
        n.put("type", "other");
      }
      return n;
    } catch (IOException e) {
      return null;
    }
  }

}
