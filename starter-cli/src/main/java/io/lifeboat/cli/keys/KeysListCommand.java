package io.lifeboat.cli.keys;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.storage.crypt.KeyUsage;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.worker.codec.PayloadKeys;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `keys list`: what is loaded, which key is primary, and what the repository needs. */
@Command(name = "list", description = "The configured keys (repository and payload): their"
    + " ids, which is primary, and how many retained backups (and, with --wal, WAL files)"
    + " each one wrote.")
final class KeysListCommand implements Callable<Integer> {
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
      KeySettings.Location repoLoc = null;
      if (c.repository().encryption() != null) {
        repoLoc = KeySettings.location(c, KeySettings.Kind.repository);
        repoKeys = RepositoryCipher.describe(KeySettings.read(repoLoc, root.env),
            repoLoc.describe());
      }
      String where = "s3://" + c.repository().bucket();
      Map<String, KeyUsage.Use> uses = KeyUsage.scan(s.repository(), c.repository().prefix(),
          wal, where);
      List<PayloadKeys.PayloadKey> payload = new ArrayList<>();
      KeySettings.Location payLoc = null;
      if (c.temporal().payloadEncryption() != null) {
        payLoc = KeySettings.location(c, KeySettings.Kind.payload);
        payload.add(PayloadKeys.parse(KeySettings.read(payLoc, root.env), payLoc.describe()));
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
              ? " (" + KeySettings.mode(repoLoc.file()) + ")" : "")));
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
            ? " (" + KeySettings.mode(payLoc.file()) + ")" : ""));
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
