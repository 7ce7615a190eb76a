package io.lifeboat.backup.base;

/**
 * What assess found about the cluster before a base backup.
 *
 * @param archiving archive_mode is on: without it the backup would wait forever for WAL
 * @param clusterBytes the sum of all databases' sizes, for a progress bar
 */
public record BaseClusterFacts(String serverVersion, boolean archiving, long clusterBytes) {}
