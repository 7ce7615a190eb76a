package io.lifeboat.backup.base;

import io.lifeboat.config.RepositoryConfig;

public record BaseVerifyStoredRequest(RepositoryConfig repository, String objectKey,
    String expectedSha256, long expectedBytes) {}
