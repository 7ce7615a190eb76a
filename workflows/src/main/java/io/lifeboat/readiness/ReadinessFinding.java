package io.lifeboat.readiness;

/**
 * One check of one recovery path.
 *
 * @param path the recovery path: {@code db/NAME} (what does not depend on the repository: the
 *     database host's agent), {@code db/NAME/REPOSITORY} (keys, base backup and WAL, recovery
 *     point) or {@code server/TARGET} (its agent, DNS, ACME)
 * @param check {@code agent}, {@code keys}, {@code wal}, {@code rpo}, {@code dns} or
 *     {@code acme}
 * @param ok true when the path would work as far as this check can tell; a check that could
 *     not run because nothing is configured for it is ok, with "not configured" in the detail
 * @param detail one line: what was found, and for a problem what to do
 */
public record ReadinessFinding(String path, String check, boolean ok, String detail) {
  public static final String AGENT = "agent";
  public static final String KEYS = "keys";
  public static final String WAL = "wal";
  public static final String RPO = "rpo";
  public static final String DNS = "dns";
  public static final String ACME = "acme";

  public static ReadinessFinding ok(String path, String check, String detail) {
    return new ReadinessFinding(path, check, true, detail);
  }

  public static ReadinessFinding problem(String path, String check, String detail) {
    return new ReadinessFinding(path, check, false, detail);
  }

  /** {@code path check}: what identifies this finding from one run to the next. */
  public String key() {
    return path + " " + check;
  }
}
