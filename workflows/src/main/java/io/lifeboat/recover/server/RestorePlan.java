package io.lifeboat.recover.server;

import io.lifeboat.config.LifeboatConfig;
import io.lifeboat.config.ServerTargetConfig;
import io.lifeboat.config.TargetItem;
import io.lifeboat.config.TargetsConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order a server recovery restores a target's databases and applications in (issue 17):
 * every P1 item before any P2 one, P2 before P3; within a priority the databases first (the
 * applications need them; the loader refuses an application of a higher priority than its
 * database), then as listed. Pure functions: the CLI resolves, the workflow orders.
 */
public final class RestorePlan {
  private RestorePlan() {}

  /** The target's items with production's entries, as the CLI puts them in the request. */
  public static List<RestoreItem> resolve(LifeboatConfig c, ServerTargetConfig t) {
    TargetsConfig rto = c.targets();
    List<RestoreItem> items = new ArrayList<>();
    for (TargetItem i : t.restoredDatabases()) {
      items.add(RestoreItem.database(c.database(i.name()).orElseThrow(), i.rank(),
          rto.databaseRtoMinutes()));
    }
    for (TargetItem i : t.restoredApplications()) {
      items.add(RestoreItem.application(c.application(i.name()).orElseThrow(), i.rank(),
          rto.applicationRtoMinutes(), i.database() != null ? i.database() : t.database()));
    }
    return List.copyOf(items);
  }

  /**
   * The request's items in restore order; a request without items (recorded before issue 17,
   * or a drill's) restores its database, then its application, both P1.
   */
  public static List<RestoreItem> order(ServerRecoveryRequest req) {
    List<RestoreItem> items = req.items();
    if (items == null || items.isEmpty()) {
      items = List.of(RestoreItem.database(req.database(), 1, req.databaseRtoMinutes()),
          RestoreItem.application(req.application(), 1,
              TargetsConfig.DEFAULT.applicationRtoMinutes(), req.database().name()));
    }
    return items.stream().sorted(Comparator.comparingInt(RestoreItem::priority)
        .thenComparing(i -> i.isDatabase() ? 0 : 1)).toList();
  }

  /**
   * The step an item runs as: the target's own database and application keep the step names
   * runs had before ({@code database}, {@code application}: the projection and the dashboards
   * know them); every other item is {@code KIND:NAME}.
   */
  static String step(ServerTargetConfig t, RestoreItem i) {
    String own = i.isDatabase() ? t.database() : t.application();
    return i.name().equals(own) ? i.kind() : i.kind() + ":" + i.name();
  }
}
