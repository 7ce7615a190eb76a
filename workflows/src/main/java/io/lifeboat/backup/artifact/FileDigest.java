package io.lifeboat.backup.artifact;

/** One regular file as archived: its name in the archive, size and SHA-256. */
public record FileDigest(String name, long bytes, String sha256) {}
