package io.lifeboat.cli.keys;

import io.lifeboat.cli.ExitCodes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.TemporalConfig;
import io.lifeboat.storage.crypt.KeysetFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

/** Where the config keeps each keyset, and how a changed keyset is written back (or printed). */
final class KeySettings {
  private KeySettings() {}

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

  static Kind kind(String kind) {
    try {
      return Kind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new UserError("unknown key kind '" + kind + "': expected repository or payload");
    }
  }
}
