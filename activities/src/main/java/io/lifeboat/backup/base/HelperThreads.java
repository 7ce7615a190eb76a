package io.lifeboat.backup.base;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The helper threads of a base backup stream: started as daemons, awaited with heartbeats. */
final class HelperThreads {
  private HelperThreads() {}

  /** {@code count} daemon threads named {@code name}: a killed activity leaves none running. */
  static ExecutorService daemons(int count, String name) {
    return Executors.newFixedThreadPool(count, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A helper thread's end (the upload's tail, the unpack, the archive watcher), heartbeating
   * while it lasts; its failure surfaces as this thread's.
   */
  static <T> T await(java.util.concurrent.Future<T> reader, Runnable beat)
      throws IOException, InterruptedException {
    while (true) {
      try {
        return reader.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException stillUploading) {
        beat.run();
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException io) throw io;
        if (e.getCause() instanceof RuntimeException re) throw re;
        throw new IOException(e.getCause());
      }
    }
  }
}
