package io.lifeboat.backup.redis;

/**
 * What INFO says about a server: version, keys over every db, used_memory.
 *
 * @param replOffset INFO replication's master_repl_offset (null in results recorded before the
 *     AOF artifact): equal readings around a window mean nothing was written in it
 */
public record RedisFacts(String serverVersion, long keys, long usedMemory, Long replOffset) {
  public RedisFacts(String serverVersion, long keys, long usedMemory) {
    this(serverVersion, keys, usedMemory, null);
  }
}
