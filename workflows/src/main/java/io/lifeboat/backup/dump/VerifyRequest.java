package io.lifeboat.backup.dump;

import io.lifeboat.config.RepositoryConfig;

public record VerifyRequest(
    RepositoryConfig repository, String objectKey, String expectedSha256, long expectedBytes) {}
