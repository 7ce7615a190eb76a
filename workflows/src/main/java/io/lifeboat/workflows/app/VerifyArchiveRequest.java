package io.lifeboat.workflows.app;

import io.lifeboat.config.RepositoryConfig;

public record VerifyArchiveRequest(
    RepositoryConfig repository, String objectKey, String expectedSha256, long expectedBytes) {}
