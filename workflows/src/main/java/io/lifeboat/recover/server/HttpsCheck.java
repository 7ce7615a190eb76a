package io.lifeboat.recover.server;

import java.util.List;

/**
 * The final check through nginx over HTTPS, trusting only the CA's root.
 *
 * @param checks one line per request, e.g. "200 https://farmtally.test:8443/api/health"
 * @param data what the app served from the restored database, e.g. "users=2000 tallies=100000"
 */
public record HttpsCheck(boolean healthy, List<String> checks, String data) {}
