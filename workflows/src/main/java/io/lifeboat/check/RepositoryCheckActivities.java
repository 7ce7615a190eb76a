package io.lifeboat.check;

import io.temporal.activity.ActivityInterface;

/** Reads the repository's manifests and judges freshness and retention compliance. */
@ActivityInterface
public interface RepositoryCheckActivities {
  CheckReport check(CheckRequest request);
}
