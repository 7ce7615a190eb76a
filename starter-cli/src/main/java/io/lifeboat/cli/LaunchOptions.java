package io.lifeboat.cli;

import picocli.CommandLine.Option;

/** --wait, --json and the tests' hidden --task-queue: the flags of every verb that starts a workflow. */
public class LaunchOptions {
  @Option(names = "--wait", description = "follow it to the end (progress, approvals) and print"
      + " the summary; exit 1 if it failed")
  boolean waitForIt;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  /** Tests run their own worker on their own queue; operators use the config's. */
  @Option(names = "--task-queue", hidden = true)
  String taskQueue;

  /** --wait given (for verbs that start several workflows and follow them themselves). */
  public boolean waiting() {
    return waitForIt;
  }

  /** --json given. */
  public boolean json() {
    return json;
  }
}
