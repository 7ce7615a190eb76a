package io.lifeboat.backup.artifact;

/**
 * One file or directory to put into an archive.
 *
 * @param path absolute path on the worker's machine
 * @param nameInArchive where it goes in the archive (relative, forward slashes)
 * @param required a missing required source fails the backup; a missing optional one is noted
 */
public record ArchiveSource(String path, String nameInArchive, boolean required) {}
