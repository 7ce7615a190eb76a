package io.lifeboat.cli.repo;

import com.github.luben.zstd.ZstdInputStream;
import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

/**
 * Break-glass access to the repository: the config and the keys are enough, Temporal is never
 * contacted. For the day Lifeboat's own control plane is down and an operator restores by
 * hand (docs/operator/database-backup.md, "Restoring by hand").
 */
@Command(name = "repo", description = "Read the repository directly, without Temporal:"
    + " list objects, fetch one (decrypted and decompressed on request).",
    subcommands = {RepoCommand.Ls.class, RepoCommand.Get.class})
public final class RepoCommand {
  @ParentCommand LifeboatCli root;

  /** A key relative to the repository's prefix, or the whole key; never one outside it. */
  static String fullKey(RepositoryConfig repo, String key) {
    String prefix = prefixOf(repo);
    String k = key.startsWith("/") ? key.substring(1) : key;
    if (k.isEmpty() || k.contains("//") || ("/" + k + "/").contains("/../")
        || ("/" + k + "/").contains("/./")) {
      throw new UserError("'" + key + "' is not an object key (like db/NAME/full/ID/manifest.json)");
    }
    return k.startsWith(prefix) ? k : prefix + k;
  }

  /** The repository's prefix as a key folder ("" or "PREFIX/"). */
  static String prefixOf(RepositoryConfig repo) {
    return repo.prefix() == null || repo.prefix().isBlank() ? ""
        : repo.prefix().replaceAll("/+$", "") + "/";
  }

  @Command(name = "ls", description = "Object keys under the repository prefix (or under"
      + " PATH inside it), in key order; --long adds size, time and encryption key id.")
  static final class Ls implements Callable<Integer> {
    @ParentCommand RepoCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "PATH", arity = "0..1", description = "a folder inside the"
        + " repository, e.g. db/farmtally_production/full/")
    String path;

    @Option(names = {"-l", "--long"}, description = "size, stored time and key id of each"
        + " object (one HEAD request and one short read each)")
    boolean longFormat;

    @Option(names = "--json") boolean json;

    @Override
    public Integer call() {
      LifeboatCli root = parent.root;
      PrintWriter out = root.spec.commandLine().getOut();
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        RepositoryConfig repo = s.config().repository();
        ObjectStore store = s.repository();
        String under = path == null ? prefixOf(repo)
            : fullKey(repo, path.endsWith("/") ? path : path + "/");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String key : store.list(under)) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("key", key);
          if (longFormat) {
            store.head(key).ifPresent(i -> {
              row.put("bytes", i.size());
              row.put("lastModified", i.lastModified().toString());
            });
            io.lifeboat.storage.crypt.EncryptionInfo e = RepositoryCipher.infoOf(store, key);
            row.put("keyId", e == null ? null : e.keyId());
          }
          rows.add(row);
        }
        if (json) {
          out.println(Json.write(Map.of("prefix", under, "objects", rows)));
          return 0;
        }
        for (Map<String, Object> r : rows) {
          if (!longFormat) {
            out.println(r.get("key"));
          } else {
            out.printf("%12s  %-24s  %-24s  %s%n", r.get("bytes"), r.get("lastModified"),
                r.get("keyId") == null ? "plain" : r.get("keyId"), r.get("key"));
          }
        }
        if (rows.isEmpty()) root.spec.commandLine().getErr().println("lifeboat: nothing under " + under);
        return 0;
      }
    }
  }

  @Command(name = "get", description = "Write one object to FILE (default: standard output)"
      + " as stored; --decrypt opens the repository encryption with the configured keyset,"
      + " --decompress also undoes zstd (a .zst object). With --output the file appears only"
      + " once the whole object was read and checked, so a failure leaves nothing behind.")
  static final class Get implements Callable<Integer> {
    @ParentCommand RepoCommand parent;
    @Mixin ConfigOption configOption;

    @Parameters(paramLabel = "KEY", description = "the object's key, relative to the"
        + " repository prefix (as `repo ls` prints it, with or without the prefix)")
    String key;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "write here instead of standard output (never overwrites)")
    Path output;

    @Option(names = "--decrypt", description = "open the repository encryption (the object"
        + " must have been written with a key in the configured keyset)")
    boolean decrypt;

    @Option(names = "--decompress", description = "--decrypt, then zstd -d (.zst objects)")
    boolean decompress;

    @Override
    public Integer call() throws Exception {
      LifeboatCli root = parent.root;
      try (Session s = new Session(configOption.resolve(root.env), root.env)) {
        RepositoryConfig repo = s.config().repository();
        ObjectStore store = s.repository();
        String full = fullKey(repo, key);
        if (decompress && !full.endsWith(".zst")) {
          throw new UserError(full + " is not zstd-compressed (.zst): use --decrypt alone");
        }
        if (store.head(full).isEmpty()) {
          throw new UserError("no object " + full + " in s3://" + repo.bucket()
              + " (lifeboat repo ls lists them)");
        }
        if (output != null && Files.exists(output)) {
          throw new UserError(output + " exists: repo get never overwrites (move it away first)");
        }
        RepositoryCipher cipher = decrypt || decompress ? s.cipher() : null;
        if (output == null) {
          OutputStream stdout = new FileOutputStream(FileDescriptor.out);
          copy(store, full, cipher, decompress, stdout);
          stdout.flush();
          return 0;
        }
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + output.getFileName() + ".", ".part");
        try {
          try (OutputStream os = Files.newOutputStream(tmp)) {
            copy(store, full, cipher, decompress, os);
          }
          Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        root.spec.commandLine().getErr().println("lifeboat: wrote " + output + " ("
            + Files.size(output) + " bytes) from " + full);
        return 0;
      }
    }

    private static void copy(ObjectStore store, String key, RepositoryCipher cipher,
        boolean decompress, OutputStream to) {
      try (InputStream raw = store.get(key);
           InputStream opened = cipher == null ? raw : cipher.open(raw, key, "object " + key);
           InputStream in = decompress ? new ZstdInputStream(opened) : opened) {
        in.transferTo(to);
      } catch (IOException e) {
        throw new OperationFailed("cannot read " + key + ": " + e.getMessage().lines()
            .findFirst().orElse("") + " (nothing was written)");
      }
    }
  }
}
