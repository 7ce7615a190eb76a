package io.lifeboat.workflows.common;

public final class TaskQueues {
  public static final String DEFAULT = "lifeboat";

  private TaskQueues() {}
}
