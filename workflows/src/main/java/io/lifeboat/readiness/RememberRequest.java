package io.lifeboat.readiness;

import io.lifeboat.config.RepositoryConfig;
import java.util.List;

/** Stores a run's findings beside the primary's reports and compares them with the last. */
public record RememberRequest(String estate, RepositoryConfig repository, long checkedAtMillis,
    List<ReadinessFinding> findings) {

  public RememberRequest {
    findings = findings == null ? List.of() : List.copyOf(findings);
  }
}
