package io.lifeboat.cli;

import io.lifeboat.worker.codec.PayloadKeys;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "keys", description = "Make the keys Lifeboat encrypts with.",
    subcommands = {KeysCommand.Generate.class})
final class KeysCommand {
  @ParentCommand LifeboatCli root;

  @Command(name = "generate",
      description = "Write a new payload keyset (Tink AES-256-GCM, JSON, mode 0600) to FILE;"
          + " name it in temporal.payloadEncryption.keysetFile, or put its content in the"
          + " variable keysetEnv names. Keep a copy outside this server: without it, encrypted"
          + " workflow histories cannot be read.")
  static final class Generate implements Callable<Integer> {
    @ParentCommand KeysCommand parent;

    @Parameters(paramLabel = "FILE") Path file;

    @Override
    public Integer call() throws Exception {
      try {
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
