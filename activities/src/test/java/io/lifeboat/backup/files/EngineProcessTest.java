package io.lifeboat.backup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineProcessTest {
  @Test
  void theChildIsStartedToDieWithTheWorkerWhereSetprivExists() {
    List<String> cmd = EngineProcess.dyingWithTheWorker(List.of("rsync", "-a"));
    if (EngineProcess.SETPRIV == null) {
      assertEquals(List.of("rsync", "-a"), cmd);
    } else {
      assertEquals(List.of(EngineProcess.SETPRIV, "--pdeathsig", "KILL", "--", "rsync", "-a"),
          cmd);
    }
  }

  @Test
  void aChildRunsAndItsOutputComesBack() {
    Restic.Output o = EngineProcess.run("sh", List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
        Map.of(), List.of(), null, l -> { }, null);
    assertEquals(3, o.exit());
    assertEquals(List.of("out"), o.stdout());
    assertTrue(o.stderr().contains("err"), o.stderr());
  }

  @Test
  void aMissingToolIsSaidAsBeforeNotAsSetprivsExit() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> EngineProcess.run(
        "restic", List.of("lifeboat-no-such-tool"), Map.of(), List.of(), null, l -> { }, null));
    assertTrue(e.getMessage().startsWith("cannot start lifeboat-no-such-tool (is restic"
        + " installed?"), e.getMessage());
  }
}
