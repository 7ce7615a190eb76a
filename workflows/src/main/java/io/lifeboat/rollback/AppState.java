package io.lifeboat.rollback;

/**
 * The application as found: what PM2 says and whether the health URL answers.
 *
 * @param pm2Status online, stopped, errored, ... or "unknown to pm2"
 * @param healthDetail the HTTP status or the connection error, one line
 */
public record AppState(String pm2Status, int restarts, boolean healthy, String healthDetail,
    String commit) {}
