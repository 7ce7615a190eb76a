package io.lifeboat.cli.keys;

import io.lifeboat.cli.ConfigOption;
import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.Session;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.worker.codec.PayloadKeys;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `keys rotate repository|payload`: a new primary generation; older ones stay for reading. */
@Command(name = "rotate", description = "Add a new key to the repository or payload keyset"
    + " and make it primary: new objects (or payloads) are written with it, every older key"
    + " stays for reading. The file is replaced atomically with the same mode and group; the"
    + " previous one is kept as FILE.bak-TIME. A keyset in an environment variable is printed"
    + " (one line) instead, with a non-zero exit: nothing can be written there.")
final class KeysRotateCommand implements Callable<Integer> {
  @ParentCommand KeysCommand parent;
  @Mixin ConfigOption configOption;

  @Parameters(paramLabel = "repository|payload", description = "which keyset")
  String kind;

  @Override
  public Integer call() throws Exception {
    LifeboatCli root = parent.root;
    KeySettings.Kind k = KeySettings.kind(kind);
    try (Session s = new Session(configOption.resolve(root.env), root.env)) {
      KeySettings.Location l = KeySettings.location(s.config(), k);
      String json = KeySettings.read(l, root.env);
      String rotated;
      String done;
      if (k == KeySettings.Kind.repository) {
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
      return KeySettings.store(l, rotated, done, root.spec.commandLine().getOut(),
          root.spec.commandLine().getErr());
    }
  }
}
