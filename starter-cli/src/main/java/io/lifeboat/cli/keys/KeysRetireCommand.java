package io.lifeboat.cli.keys;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.OperationFailed;
import io.lifeboat.cli.Session;
import io.lifeboat.cli.UserError;
import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.offsite.CopyBucket;
import io.lifeboat.storage.crypt.KeyUsage;
import io.lifeboat.storage.crypt.RepositoryCipher;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `keys retire repository KEYID`: the one way a generation leaves the keyset, and only once
 * every committed backup and archived WAL file (here and offsite) that it sealed is gone;
 * otherwise a later restore would meet ENCRYPTION_KEY_MISSING.
 */
@Command(name = "retire", description = "Drop an older key from the repository keyset, after"
    + " checking that no retained backup or WAL file (here and offsite) still needs it.")
final class KeysRetireCommand implements Callable<Integer> {
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
    if (KeySettings.kind(kind) != KeySettings.Kind.repository) {
      throw new UserError("only repository keys can be retired: Temporal keeps histories for"
          + " the namespace's retention, and a payload key must stay as long as they do");
    }
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      LifeboatConfig c = s.config();
      KeySettings.Location l = KeySettings.location(c, KeySettings.Kind.repository);
      String json = KeySettings.read(l, root.env);
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
        try (CopyBucket bucket = CopyBucket.open(o, s.secrets())) {
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
      return KeySettings.store(l, smaller, "retired repository key " + keyId + " (no retained"
          + " backup or WAL file needs it)", root.spec.commandLine().getOut(),
          root.spec.commandLine().getErr());
    }
  }
}
