package io.lifeboat.rollback;

import io.lifeboat.config.ApplicationConfig;
import io.lifeboat.config.RepositoryConfig;

/**
 * Prepares the release to roll back to in a staging directory beside current/, keyed by the
 * run, so a retry finds (and replaces) its own leftovers and never another run's.
 */
public record StageRequest(
    ApplicationConfig application, RepositoryConfig repository, String runKey, String backupId) {}
