package io.lifeboat.rollback;

import io.lifeboat.config.ApplicationConfig;

/** One step on a staged release (install its dependencies, swap it in). */
public record ReleaseStep(ApplicationConfig application, String stagingDir, String runKey) {}
