package io.lifeboat.backup.mariadb;

import io.lifeboat.storage.crypt.EncryptionInfo;
import java.util.List;
import java.util.Map;

/**
 * The commit mark of a MariaDB backup, logical (kind mariadb-dump) or physical (mariadb-backup) (manifest.json, written last, after the stored
 * dump was read back and restored into a scratch server).
 *
 * @param databases the databases in the dump
 * @param tables every base table as the scratch restore held it (rows, CHECKSUM TABLE): what a
 *     recovery must give back
 * @param binlogFile the binlog file the dump's snapshot corresponds to (null: no binlog)
 * @param binlogPosition the position in it: where a point-in-time replay starts
 * @param gtidPosition the GTID position the dump records, or null
 */
public record MariaDbManifest(
    int formatVersion,
    String backupId,
    String kind,
    String name,
    String sourceAddress,
    String serverVersion,
    String startedAt,
    String finishedAt,
    List<String> databases,
    List<MariaDbTable> tables,
    String binlogFile,
    Long binlogPosition,
    String gtidPosition,
    long rawBytes,
    long storedBytes,
    String sha256,
    String compression,
    String objectKey,
    Map<String, String> toolVersions,
    String verification,
    String workflowId,
    EncryptionInfo encryption) {

  public static final int FORMAT_VERSION = 1;
  public static final String KIND = "mariadb-dump";
  /** A physical backup (mariadb-backup --stream=xbstream); objectKey is the xbstream. */
  public static final String KIND_PHYSICAL = "mariadb-backup";

  public boolean physical() {
    return KIND_PHYSICAL.equals(kind);
  }

  public MariaDbManifest withEncryption(EncryptionInfo e) {
    return new MariaDbManifest(formatVersion, backupId, kind, name, sourceAddress, serverVersion,
        startedAt, finishedAt, databases, tables, binlogFile, binlogPosition, gtidPosition,
        rawBytes, storedBytes, sha256, compression, objectKey, toolVersions, verification,
        workflowId, e);
  }
}
