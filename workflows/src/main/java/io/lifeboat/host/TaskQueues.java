package io.lifeboat.host;

public final class TaskQueues {
  public static final String DEFAULT = "lifeboat";

  private TaskQueues() {}

  /**
   * The task queue of one host's agent (issue 17): {@code <temporal.taskQueue>-host-<name>}.
   * The one place this name is made; workflows, the agent and {@code lifeboat status} use it.
   */
  public static String forHost(String mainQueue, String host) {
    return mainQueue + "-host-" + host;
  }
}
