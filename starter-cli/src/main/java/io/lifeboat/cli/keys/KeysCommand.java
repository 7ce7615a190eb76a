package io.lifeboat.cli.keys;

import io.lifeboat.cli.LifeboatCli;
import io.lifeboat.cli.UserError;
import io.lifeboat.storage.crypt.RepositoryCipher;
import io.lifeboat.worker.codec.PayloadKeys;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "keys", description = "Make, list, rotate and retire the keys Lifeboat encrypts"
    + " with.",
    subcommands = {KeysCommand.Generate.class, KeysListCommand.class, KeysRotateCommand.class,
        KeysRetireCommand.class})
public final class KeysCommand {
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
}
