package io.lifeboat.host;

import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Test fakes registered on one queue for one placement (issue 17): a proxy of an activity
 * interface that serves only the methods {@link ActivityPlacement} places {@code where}, records
 * each call as {@code method@queue}, and refuses (non-retryable) a method placed elsewhere, so a
 * call routed to the wrong queue fails the workflow instead of passing unnoticed.
 */
public final class PlacedFake {
  private PlacedFake() {}

  @SuppressWarnings("unchecked")
  public static <T> T serving(Class<T> type, T delegate, ActivityPlacement.Where where,
      List<String> calls) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? proxy == args[0]
                : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                : "PlacedFake[" + type.getSimpleName() + " " + where + "]";
          }
          String queue = Activity.getExecutionContext().getInfo().getActivityTaskQueue();
          calls.add(method.getName() + "@" + queue);
          if (ActivityPlacement.where(type, method.getName()) != where) {
            throw ApplicationFailure.newNonRetryableFailure(type.getSimpleName() + "."
                + method.getName() + " reached " + queue + ", which serves only " + where,
                "WrongQueue");
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** An agent check that finds {@code agent@HOST/1} on every host queue at once. */
  public static AgentActivities agentsPresent(List<String> asked) {
    return queue -> {
      asked.add(queue);
      return List.of("agent@" + queue.substring(queue.lastIndexOf("-host-") + 6) + "/1");
    };
  }
}
