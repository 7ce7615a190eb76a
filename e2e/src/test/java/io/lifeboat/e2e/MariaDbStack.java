package io.lifeboat.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The MariaDB tests' setup in one place: the shared stack with a worker of this build that
 * knows the server's password (by {@link #PASSWORD_ENV}), and a private mariadbd. Closed in the
 * reverse order; a server that fails to start closes the stack it was given.
 */
record MariaDbStack(RealStack stack, MariaDbServer db, String password) implements AutoCloseable {
  /** The environment variable the tests' configs name for the server's password. */
  static final String PASSWORD_ENV = "LIFEBOAT_IT_MARIADB_PW";

  static MariaDbStack start(String password) throws Exception {
    return start(password, env(password));
  }

  /** The same, the worker started with this environment (which names the password too). */
  static MariaDbStack start(String password, Map<String, String> workerEnv) throws Exception {
    RealStack stack = new RealStack();
    try {
      stack.startWorker(workerEnv);
      return new MariaDbStack(stack, MariaDbServer.start(password), password);
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  /** The process environment with the password set: for the worker and the CLI. */
  static Map<String, String> env(String password) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(PASSWORD_ENV, password);
    return env;
  }

  Map<String, String> env() {
    return env(password);
  }

  /**
   * Adds a mariadb[] source NAME on the private server (user lifeboat, password by
   * {@link #PASSWORD_ENV}) to a config being written, and returns it for more settings.
   */
  ObjectNode addSource(ObjectNode configRoot, String name) {
    ArrayNode sources = configRoot.has("mariadb") ? (ArrayNode) configRoot.get("mariadb")
        : configRoot.putArray("mariadb");
    ObjectNode m = sources.addObject();
    m.put("name", name).put("port", db.port).put("user", db.user).put("passwordEnv", PASSWORD_ENV);
    return m;
  }

  @Override
  public void close() throws Exception {
    try {
      db.close();
    } finally {
      stack.close();
    }
  }
}
