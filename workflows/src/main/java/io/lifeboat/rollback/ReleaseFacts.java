package io.lifeboat.rollback;

/**
 * What the release directory says about itself.
 *
 * @param commit from a REVISION file in the release, else `git rev-parse HEAD`, else "unknown"
 * @param commitSource where the commit came from: REVISION, git or none
 */
public record ReleaseFacts(String directory, String commit, String commitSource) {}
