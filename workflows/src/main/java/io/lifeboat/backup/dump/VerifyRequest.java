package io.lifeboat.backup.dump;

import io.lifeboat.config.RepositoryConfig;

/** @param format as DumpResult's: directory, or null for the custom format */
public record VerifyRequest(
    RepositoryConfig repository, String objectKey, String expectedSha256, long expectedBytes,
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String format) {

  public VerifyRequest(RepositoryConfig repository, String objectKey, String expectedSha256,
      long expectedBytes) {
    this(repository, objectKey, expectedSha256, expectedBytes, null);
  }
}
