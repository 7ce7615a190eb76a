package io.lifeboat.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@code hosts:} and of every source's {@code host:} (issue 17), kept apart from
 * {@link ConfigLoader}. A host name becomes part of a task queue name and an agent's identity,
 * so it is a plain name; a source may only name a host the file declares.
 */
final class HostRules {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");

  private HostRules() {}

  static void validate(String where, LifeboatConfig c) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.hosts().size(); i++) {
      HostConfig h = c.hosts().get(i);
      String key = "hosts[" + i + "]";
      if (h == null) throw new ConfigException(where + ": '" + key + "' is empty");
      if (h.name() == null || h.name().isBlank()) {
        throw new ConfigException(where + ": '" + key + ".name' has no value");
      }
      if (!SAFE_NAME.matcher(h.name()).matches()) {
        throw new ConfigException(where + ": '" + key + ".name' must be letters, digits, _ . -"
            + " (at most 63), not '" + h.name() + "'");
      }
      if (!names.add(h.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + h.name()
            + "': a host is named once");
      }
      if (h.address() != null && h.address().isBlank()) {
        throw new ConfigException(where + ": '" + key + ".address' has no value");
      }
    }
    for (Map.Entry<String, String> e : bindings(c).entrySet()) {
      String key = e.getKey();
      String host = e.getValue();
      if (c.hosts().isEmpty()) {
        throw new ConfigException(where + ": '" + key + "' names host '" + host
            + "', but the file has no 'hosts:' section");
      }
      if (!names.contains(host)) {
        throw new ConfigException(where + ": '" + key + "' names host '" + host
            + "', which is not in hosts: (" + String.join(", ", c.hosts().stream()
                .map(HostConfig::name).toList()) + ")");
      }
    }
  }

  /** Every source's host binding, by its key in the file, in file order. */
  static Map<String, String> bindings(LifeboatConfig c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < c.databases().size(); i++) {
      DatabaseConfig d = c.databases().get(i);
      if (d != null && d.onHost() != null) out.put("databases[" + i + "].onHost", d.onHost());
      if (d != null && d.recovery().application() != null
          && d.recovery().application().host() != null) {
        out.put("databases[" + i + "].recovery.application.host",
            d.recovery().application().host());
      }
    }
    for (int i = 0; i < c.applications().size(); i++) {
      ApplicationConfig a = c.applications().get(i);
      if (a != null && a.host() != null) out.put("applications[" + i + "].host", a.host());
    }
    if (c.configuration().host() != null) {
      out.put("configuration.host", c.configuration().host());
    }
    for (int i = 0; i < c.servers().size(); i++) {
      ServerTargetConfig s = c.servers().get(i);
      if (s != null && s.host() != null) out.put("servers[" + i + "].host", s.host());
    }
    return out;
  }
}
