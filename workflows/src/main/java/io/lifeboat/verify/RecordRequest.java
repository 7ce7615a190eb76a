package io.lifeboat.verify;

import io.lifeboat.config.RepositoryConfig;

/** @param verifiedAtMillis workflow time of the run: names the record */
public record RecordRequest(RepositoryConfig repository, VerificationRecord record,
    long verifiedAtMillis) {}
