package io.lifeboat.cli;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.TemporalConfig;
import io.lifeboat.offsite.OffsiteBucket;
import io.lifeboat.storage.crypt.KeyUsage;
import io.lifeboat.storage.crypt.KeysetFiles;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.worker.codec.PayloadKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "keys", description = "Make, list, rotate and retire the keys Lifeboat encrypts"
    + " with.",
    subcommands = {KeysCommand.Generate.class, KeysCommand.ListKeys.class,
        KeysCommand.Rotate.class, KeysCommand.Retire.class})
final class KeysCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "generate",
      description = "Write a new payload keyset (Tink AES-256-GCM, JSON, mode 0600) to FILE;"
          + " name it in temporal.payloadEncryption.keysetFile, or put its content in the"
          + " variable keysetEnv names. With --repository, a repository keyset instead (Tink"
          + " streaming AES-256-GCM-HKDF) for repository.encryption.keyFile. Keep a copy"
          + " outside this server: without it, encrypted histories or backups cannot be read.")
  static final class Generate implements Callable<Integer> {
    @ParentCommand KeysCommand parent;

    @Parameters(paramLabel = "FILE") Path file;

    @Option(names = "--repository", description = "a key for encrypting stored backups (kept"
        + " apart from the payload key: either can be rotated or handed out alone)")
    boolean repository;

    @Override
    public Integer call() throws Exception {
      try {
        if (repository) {
          String id = RepositoryCipher.generate(file);
          parent.root.spec.commandLine().getOut().println("wrote repository keyset " + file
              + " (key id " + id + ")");
          return 0;
        }
        String id = PayloadKeys.generate(file);
        parent.root.spec.commandLine().getOut().println("wrote payload keyset " + file
            + " (primary key " + id + ")");
        return 0;
      } catch (FileAlreadyExistsException e) {
        throw new UserError(file + " exists: a key is never overwritten (move it away first)");
      }
    }
  }

  /** Which keyset a rotate or retire is about. */
  enum Kind { repository, payload }

  /** Where a keyset is, as the config says: a file, or a variable. */
  record Location(String setting, Path file, String env) {
    String describe() {
      return file != null ? setting + " " + file : setting + " (environment variable " + env + ")";
    }
  }

  static Location location(LifeboatConfig c, Kind kind) {
    if (kind == Kind.repository) {
      RepositoryConfig.EncryptionConfig e = c.repository().encryption();
      if (e == null) {
        throw new UserError("repository.encryption is not set: stored objects are not encrypted,"
            + " there is no repository key to rotate (make one with `lifeboat keys generate"
            + " --repository FILE` and name it in repository.encryption.keyFile)");
      }
      return e.keyFile() != null
          ? new Location("repository.encryption.keyFile", Path.of(e.keyFile()), null)
          : new Location("repository.encryption.keyEnv", null, e.keyEnv());
    }
    TemporalConfig.PayloadEncryptionConfig p = c.temporal().payloadEncryption();
    if (p == null) {
      throw new UserError("temporal.payloadEncryption is not set: payloads are not encrypted,"
          + " there is no payload key to rotate (make one with `lifeboat keys generate FILE`)");
    }
    return p.keysetFile() != null
        ? new Location("temporal.payloadEncryption.keysetFile", Path.of(p.keysetFile()), null)
        : new Location("temporal.payloadEncryption.keysetEnv", null, p.keysetEnv());
  }

  static String read(Location l, Map<String, String> env) {
    if (l.file() == null) {
      String json = env.get(l.env());
      if (json == null || json.isBlank()) {
        throw new UserError(l.setting() + " names " + l.env() + ", which is not set for this"
            + " command: set it to the keyset JSON the worker uses");
      }
      return json;
    }
    try {
      return KeysetFiles.read(l.file());
    } catch (IOException e) {
      throw new UserError("cannot read " + l.describe() + " (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  /**
   * Writes a changed keyset where the config says, or, when it lives in a variable, prints the
   * one line to set it to (this process cannot change another's environment) and fails, so a
   * script does not take "printed" for "done".
   */
  static int store(Location l, String json, String done, PrintWriter out, PrintWriter err)
      throws IOException {
    if (l.file() == null) {
      out.println(l.env() + "='" + compact(json) + "'");
      err.println("lifeboat: nothing was written: " + l.setting() + " names the variable "
          + l.env() + "; set it to the line above wherever Lifeboat runs (worker, CLI, WAL"
          + " shipper) and restart them; " + done);
      return ExitCodes.FAILED;
    }
    KeysetFiles.Replaced r = KeysetFiles.replace(l.file(), json, Instant.now());
    out.println(done + "; wrote " + l.file() + " (" + mode(l.file()) + "), the previous keyset is "
        + r.backup());
    return 0;
  }

  private static String compact(String json) {
    try {
      return Json.MAPPER.readTree(json).toString();
    } catch (IOException e) {
      return json.replace("\n", "");
    }
  }

  static String mode(Path f) {
    try {
      PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class);
      return "mode " + PosixFilePermissions.toString(a.permissions()) + ", group "
          + a.group().getName();
    } catch (IOException | UnsupportedOperationException e) {
      return "mode unknown";
    }
  }

  @Command(name = "list", description = "The configured keys (repository and payload): their"
      + " ids, which is primary, and how many retained backups (and, with --wal, WAL files)"
      + " each one wrote.")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand KeysCommand parent;
    @Mixin ConfigOption configOption;

    @Option(names = "--wal", description = "also read the header of every archived WAL file"
        + " (one short GET each)")
    boolean wal;

    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        LifeboatConfig c = s.config();
        Map<String, Object> report = new LinkedHashMap<>();
        List<RepositoryCipher.KeyEntry> repoKeys = List.of();
        Location repoLoc = null;
        if (c.repository().encryption() != null) {
          repoLoc = location(c, Kind.repository);
          repoKeys = RepositoryCipher.describe(read(repoLoc, root.env), repoLoc.describe());
        }
        String where = "s3://" + c.repository().bucket();
        Map<String, KeyUsage.Use> uses = KeyUsage.scan(s.repository(), c.repository().prefix(),
            wal, where);
        List<PayloadKeys.PayloadKey> payload = new ArrayList<>();
        Location payLoc = null;
        if (c.temporal().payloadEncryption() != null) {
          payLoc = location(c, Kind.payload);
          payload.add(PayloadKeys.parse(read(payLoc, root.env), payLoc.describe()));
        }
        if (json) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (RepositoryCipher.KeyEntry k : repoKeys) {
            KeyUsage.Use u = uses.getOrDefault(k.keyId(), new KeyUsage.Use(0, 0, null));
            rows.add(row(k.keyId(), k.tinkKeyId(), k.primary(), true, u));
          }
          for (var e : uses.entrySet()) {
            if (repoKeys.stream().noneMatch(k -> k.keyId().equals(e.getKey()))) {
              rows.add(row(e.getKey(), null, false, false, e.getValue()));
            }
          }
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("source", repoLoc == null ? "none" : repoLoc.describe());
          r.put("walCounted", wal);
          r.put("keys", rows);
          report.put("repository", r);
          if (!payload.isEmpty()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("source", payLoc.describe());
            p.put("primary", payload.get(0).keyId());
            p.put("keys", payload.get(0).keyIds());
            report.put("payload", p);
          }
          out.println(Json.write(report));
          return 0;
        }
        out.println("repository keyset: " + (repoLoc == null ? "none (objects are stored"
            + " unencrypted)" : repoLoc.describe() + (repoLoc.file() != null
                ? " (" + mode(repoLoc.file()) + ")" : "")));
        out.printf("  %-20s %-11s %-8s %-8s %8s %8s%n", "KEY ID", "TINK ID", "PRIMARY",
            "IN SET", "BACKUPS", wal ? "WAL" : "WAL(?)");
        for (RepositoryCipher.KeyEntry k : repoKeys) {
          KeyUsage.Use u = uses.getOrDefault(k.keyId(), new KeyUsage.Use(0, 0, null));
          out.printf("  %-20s %-11s %-8s %-8s %8d %8s%n", k.keyId(), k.tinkKeyId(),
              k.primary() ? "yes" : "no", "yes", u.backups(), wal ? u.walFiles() : "-");
        }
        for (var e : uses.entrySet()) {
          if (repoKeys.stream().anyMatch(k -> k.keyId().equals(e.getKey()))) continue;
          out.printf("  %-20s %-11s %-8s %-8s %8d %8s%n", e.getKey(), "-", "-",
              e.getKey().equals(KeyUsage.PLAINTEXT) ? "-" : "MISSING", e.getValue().backups(),
              wal ? e.getValue().walFiles() : "-");
        }
        if (payLoc != null) {
          PayloadKeys.PayloadKey p = payload.get(0);
          out.println("payload keyset: " + payLoc.describe() + (payLoc.file() != null
              ? " (" + mode(payLoc.file()) + ")" : ""));
          for (String id : p.keyIds()) {
            out.printf("  %-20s %s%n", id, id.equals(p.keyId()) ? "primary" : "readable");
          }
        } else {
          out.println("payload keyset: none (Temporal payloads are not encrypted)");
        }
        return 0;
      }
    }

    private static Map<String, Object> row(String id, String tinkId, boolean primary,
        boolean inKeyset, KeyUsage.Use u) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("keyId", id);
      r.put("tinkKeyId", tinkId);
      r.put("primary", primary);
      r.put("inKeyset", inKeyset);
      r.put("backups", u.backups());
      r.put("walFiles", u.walFiles());
      return r;
    }
  }

  @Command(name = "rotate", description = "Add a new key to the repository or payload keyset"
      + " and make it primary: new objects (or payloads) are written with it, every older key"
      + " stays for reading. The file is replaced atomically with the same mode and group; the"
      + " previous one is kept as FILE.bak-TIME. A keyset in an environment variable is printed"
      + " (one line) instead, with a non-zero exit: nothing can be written there.")
  static final class Rotate implements Callable<Integer> {
    @ParentCommand KeysCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "repository|payload", description = "which keyset")
    String kind;

    @Override
    public Integer call() throws Exception {
      LifeboatCli root = parent.root;
      Kind k = kind(kind);
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        Location l = location(s.config(), k);
        String json = read(l, root.env);
        String rotated;
        String done;
        if (k == Kind.repository) {
          rotated = RepositoryCipher.rotate(json, l.describe());
          List<RepositoryCipher.KeyEntry> keys = RepositoryCipher.describe(rotated, l.describe());
          done = "repository key " + keys.get(0).keyId() + " is primary; still readable: "
              + String.join(", ", keys.stream().skip(1).map(RepositoryCipher.KeyEntry::keyId)
                  .toList());
        } else {
          rotated = PayloadKeys.rotate(json, l.describe());
          PayloadKeys.PayloadKey p = PayloadKeys.parse(rotated, l.describe());
          done = "payload key " + p.keyId() + " is primary; still readable: "
              + String.join(", ", p.keyIds().subList(1, p.keyIds().size()));
        }
        return store(l, rotated, done, root.spec.commandLine().getOut(),
            root.spec.commandLine().getErr());
      }
    }
  }

  static Kind kind(String kind) {
    try {
      return Kind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new UserError("unknown key kind '" + kind + "': expected repository or payload");
    }
  }

  @Command(name = "retire", description = "Drop an older key from the repository keyset, after"
      + " checking that no retained backup or WAL file (here and offsite) still needs it.")
  static final class Retire implements Callable<Integer> {
    @ParentCommand KeysCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(index = "0", paramLabel = "repository", description = "which keyset (only the"
        + " repository's: a payload key is needed as long as Temporal keeps histories it wrote)")
    String kind;

    @Parameters(index = "1", paramLabel = "KEYID", description = "the lbk-... id `keys list`"
        + " shows")
    String keyId;

    @Override
    public Integer call() throws Exception {
      LifeboatCli root = parent.root;
      if (kind(kind) != Kind.repository) {
        throw new UserError("only repository keys can be retired: Temporal keeps histories for"
            + " the namespace's retention, and a payload key must stay as long as they do");
      }
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        LifeboatConfig c = s.config();
        Location l = location(c, Kind.repository);
        String json = read(l, root.env);
        List<RepositoryCipher.KeyEntry> keys = RepositoryCipher.describe(json, l.describe());
        if (keys.stream().noneMatch(k -> k.keyId().equals(keyId))) {
          throw new UserError("unknown key id '" + keyId + "': " + l.describe() + " holds "
              + String.join(", ", keys.stream().map(RepositoryCipher.KeyEntry::keyId).toList()));
        }
        if (keys.get(0).keyId().equals(keyId)) {
          throw new UserError(keyId + " is the primary repository key: rotate first (`lifeboat"
              + " keys rotate repository`), then retire it once nothing needs it");
        }
        // Every retained object, WAL included: a key is only safe to drop when nothing needs it.
        String prefix = c.repository().prefix();
        KeyUsage.Use use = KeyUsage.scan(s.repository(), prefix, true,
            "s3://" + c.repository().bucket()).get(keyId);
        OffsiteConfig o = c.offsite();
        if (use == null && o != null) {
          try (OffsiteBucket bucket = new OffsiteBucket(o, s.secrets())) {
            use = KeyUsage.scan(bucket, o.prefixOr(prefix), true, "offsite s3://" + o.bucket())
                .get(keyId);
          }
        }
        if (use != null) {
          throw new OperationFailed("key " + keyId + " is still needed by " + use.backups()
              + " backup(s) and " + use.walFiles() + " WAL file(s), e.g. " + use.example()
              + "; nothing was changed (retire it after retention has removed them)");
        }
        String smaller = RepositoryCipher.without(json, keyId, l.describe());
        return store(l, smaller, "retired repository key " + keyId + " (no retained backup or WAL"
            + " file needs it)", root.spec.commandLine().getOut(),
            root.spec.commandLine().getErr());
      }
    }
  }
}
