package io.lifeboat.cli.backup;

import io.lifeboat.cli.Bytes;
import io.lifeboat.cli.Json;
import io.lifeboat.cli.RedisSources;
import io.lifeboat.cli.Session;
import io.lifeboat.backup.redis.RedisBackupActivitiesImpl;
import io.lifeboat.backup.redis.RedisManifest;
import io.lifeboat.config.LifeboatConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code backups list --redis NAME}: the committed Redis snapshots, newest first. */
final class RedisListing {
  private RedisListing() {}

  static int print(Session s, String name, boolean json, PrintWriter out) {
    LifeboatConfig c = s.config();
    String redis = RedisSources.named(c, s.configPath(), name).name();
    List<RedisManifest> found = new ArrayList<>(
        RedisBackupActivitiesImpl.committed(s.repository(), c.repository().prefix(), redis));
    Collections.reverse(found);
    if (json) {
      out.println(Json.write(found));
      return 0;
    }
    if (found.isEmpty()) {
      out.println("no committed backups of redis " + redis);
      return 0;
    }
    out.printf("%-29s %-16s %10s %10s %10s  %s%n", "ID", "REDIS", "KEYS", "RDB", "STORED",
        "STARTED");
    for (RedisManifest m : found) {
      out.printf("%-29s %-16s %10d %10s %10s  %s%n", m.backupId(), m.name(), m.keys(),
          Bytes.human(m.rawBytes()), Bytes.human(m.storedBytes()), m.startedAt());
    }
    return 0;
  }
}
