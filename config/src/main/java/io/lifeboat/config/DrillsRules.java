package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

/** The checks of the drills section: names a person types, a port, a sane reminder interval. */
final class DrillsRules {
  private DrillsRules() {}

  static void validate(String where, LifeboatConfig c) {
    DrillsConfig d = c.drills();
    if (d.reminderMinutes() < 1) {
      throw new ConfigException(where + ": 'drills.reminderMinutes' must be at least 1");
    }
    requirePort(where, "drills.appPort", d.appPort());
    if (d.scratchDatabase() != null) requireName(where, "drills.scratchDatabase", d.scratchDatabase());
    if (d.appPm2Name() != null) requireName(where, "drills.appPm2Name", d.appPm2Name());
    if (d.serverTarget() != null) {
      var t = c.servers().stream().filter(s -> s.name().equals(d.serverTarget())).findFirst();
      if (t.isEmpty()) {
        throw new ConfigException(where + ": 'drills.serverTarget' " + d.serverTarget()
            + " is not a servers[].name");
      }
      if (Boolean.TRUE.equals(t.get().production())) {
        throw new ConfigException(where + ": 'drills.serverTarget' " + d.serverTarget()
            + " is the production server; a drill never touches production");
      }
    }
    for (String a : d.approvers()) {
      if (a == null || a.isBlank() || a.length() > 100 || a.contains("\n")) {
        throw new ConfigException(where + ": 'drills.approvers' lists names of one line, at most"
            + " 100 characters");
      }
    }
  }
}
