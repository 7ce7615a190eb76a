package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;

/** Copies what the offsite bucket lacks under one scope (a prefix relative to the repository's). */
public record CopyRequest(RepositoryConfig primary, OffsiteConfig offsite, String scope,
    LockStatus lock) {}
