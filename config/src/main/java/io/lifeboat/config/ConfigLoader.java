package io.lifeboat.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates the estate's YAML. Every problem becomes one line that names the file and
 * the key, because the operator reading it is usually in the middle of something else.
 */
public final class ConfigLoader {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  public LifeboatConfig load(Path file) {
    String where = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(where + ": no such config file");
    } catch (IOException e) {
      throw new ConfigException(where + ": cannot read: " + e.getMessage());
    }
    LifeboatConfig config = parse(where, text);
    validate(where, config);
    ApplicationConfigRules.validate(where, config);
    ServerTargetRules.validate(where, config);
    HostRules.validate(where, config);
    return absolutise(config, file.toAbsolutePath().getParent());
  }

  LifeboatConfig parse(String where, String text) {
    if (text.isBlank()) {
      throw new ConfigException(where + ": the file is empty");
    }
    checkKeys(where, text);
    try {
      LifeboatConfig config = yaml.readValue(text, LifeboatConfig.class);
      if (config == null) {
        throw new ConfigException(where + ": the file holds no settings");
      }
      return config;
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException(where + ": unknown key '" + path(e, e.getPropertyName())
          + "'" + line(e) + (known.isEmpty() ? "" : " (expected one of: " + known + ")"));
    } catch (InvalidFormatException e) {
      throw new ConfigException(where + ": '" + path(e, null) + "'" + line(e) + " must be "
          + describe(e.getTargetType()) + ", not '" + e.getValue() + "'");
    } catch (MismatchedInputException e) {
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Missing required creator property")) {
        String key = msg.replaceAll("^Missing required creator property '([^']*)'.*$", "$1");
        throw new ConfigException(where + ": missing key '" + path(e, key) + "'" + line(e));
      }
      throw new ConfigException(where + ": '" + path(e, null) + "'" + line(e) + " must be "
          + describe(e.getTargetType()));
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
      throw new ConfigException(where + ": not valid YAML" + line(e) + ": " + msg);
    }
  }

  /**
   * Reports the first unknown key at its own line before binding. The binder cannot: records
   * are built through their constructors, so Jackson buffers unknown keys, reports a missing
   * required key first (a typo'd "buckt" became "missing key 'repository.bucket'") and reports
   * unknown keys at the end of their mapping, not at their line.
   */
  private void checkKeys(String where, String text) {
    try (JsonParser p = yaml.getFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ConfigException(where + ": the file holds no settings (only comments?)");
      }
      walk(where, p, first, LifeboatConfig.class, "");
    } catch (IOException e) {
      // Not valid YAML: readValue reports it, with its line.
    }
  }

  private static void walk(String where, JsonParser p, JsonToken t, Type type, String path)
      throws IOException {
    if (t == JsonToken.START_OBJECT && type instanceof Class<?> c && c.isRecord()) {
      Map<String, Type> known = new TreeMap<>();
      for (RecordComponent rc : c.getRecordComponents()) {
        known.put(rc.getName(), rc.getGenericType());
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        String key = path.isEmpty() ? name : path + "." + name;
        if (!known.containsKey(name)) {
          throw new ConfigException(where + ": unknown key '" + key + "' (line "
              + p.currentTokenLocation().getLineNr() + ") (expected one of: "
              + String.join(", ", known.keySet()) + ")");
        }
        walk(where, p, p.nextToken(), known.get(name), key);
      }
    } else if (t == JsonToken.START_ARRAY && type instanceof ParameterizedType pt
        && pt.getRawType() == List.class) {
      int i = 0;
      for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
        walk(where, p, e, pt.getActualTypeArguments()[0], path + "[" + i++ + "]");
      }
    } else {
      p.skipChildren(); // scalars, and shapes the binder rejects with its own message
    }
  }

  private void validate(String where, LifeboatConfig c) {
    requireValue(where, "estate", c.estate());
    requireValue(where, "repository", c.repository());
    if (c.databases().isEmpty()) {
      throw new ConfigException(where + ": 'databases' must list at least one database");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < c.databases().size(); i++) {
      DatabaseConfig d = c.databases().get(i);
      String key = "databases[" + i + "]";
      if (d == null) {
        throw new ConfigException(where + ": '" + key + "' is empty");
      }
      requireValue(where, key + ".name", d.name());
      requireValue(where, key + ".host", d.host());
      requireValue(where, key + ".port", d.port());
      requireValue(where, key + ".user", d.user());
      requireName(where, key + ".name", d.name());
      if (!seen.add(d.name())) {
        throw new ConfigException(where + ": '" + key + ".name' repeats '" + d.name() + "'");
      }
      requirePort(where, key + ".port", d.port());
      if (d.passwordEnv() != null) {
        requireEnvName(where, key + ".passwordEnv", d.passwordEnv());
      }
      validateRecovery(where, key + ".recovery", d.recovery());
    }
    validateTemporal(where, c.temporal());
    validateEncryption(where, c.repository());
    RepositoryConfig r = c.repository();
    requireValue(where, "repository.endpoint", r.endpoint());
    requireValue(where, "repository.bucket", r.bucket());
    requireValue(where, "repository.accessKeyEnv", r.accessKeyEnv());
    requireValue(where, "repository.secretKeyEnv", r.secretKeyEnv());
    if (!r.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
      throw new ConfigException(where + ": 'repository.endpoint' must be an http(s) URL, not '"
          + r.endpoint() + "'");
    }
    if (!r.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": 'repository.bucket' is not a valid S3 bucket name: '"
          + r.bucket() + "'");
    }
    if (r.prefix().contains("..")) {
      throw new ConfigException(where + ": 'repository.prefix' must not contain '..'");
    }
    requireEnvName(where, "repository.accessKeyEnv", r.accessKeyEnv());
    requireEnvName(where, "repository.secretKeyEnv", r.secretKeyEnv());
    if (!List.of("none", "AES256", "aws:kms").contains(r.serverSideEncryption())) {
      throw new ConfigException(where + ": 'repository.serverSideEncryption' must be none, AES256"
          + " or aws:kms, not '" + r.serverSideEncryption() + "'");
    }
    if (r.partSizeMb() < 5 || r.partSizeMb() > 512) {
      throw new ConfigException(where + ": 'repository.partSizeMb' must be between 5 and 512"
          + " (S3's smallest part is 5 MiB)");
    }
    if (r.maxUploadMbPerSecond() < 0) {
      throw new ConfigException(where + ": 'repository.maxUploadMbPerSecond' must be 0 or more");
    }
    if (c.retention().fullDays() < 1) {
      throw new ConfigException(where + ": 'retention.fullDays' must be at least 1");
    }
    RetentionConfig.Keep gfs = c.retention().keep();
    if (gfs != null && (gfs.daily() < 0 || gfs.weekly() < 0 || gfs.monthly() < 0
        || gfs.yearly() < 0)) {
      throw new ConfigException(where + ": 'retention.keep.daily', 'weekly', 'monthly' and"
          + " 'yearly' must be 0 or more");
    }
    if (c.compression().level() < 1 || c.compression().level() > 19) {
      throw new ConfigException(where + ": 'compression.level' must be between 1 and 19");
    }
    if (c.compression().workers() < 0 || c.compression().workers() > 64) {
      throw new ConfigException(where + ": 'compression.workers' must be between 0 and 64");
    }
    if (c.schedules().catchupWindowMinutes() < 1) {
      throw new ConfigException(where + ": 'schedules.catchupWindowMinutes' must be at least 1");
    }
    requirePort(where, "metrics.port", c.metrics().port());
    WalConfig w = c.wal();
    if (w.baseRetentionCount() < 1 || w.baseRetentionDays() < 1) {
      throw new ConfigException(where + ": 'wal.baseRetentionCount' and 'wal.baseRetentionDays'"
          + " must be at least 1");
    }
    if (w.compressionLevel() < 1 || w.compressionLevel() > 19) {
      throw new ConfigException(where + ": 'wal.compressionLevel' must be between 1 and 19");
    }
    if (w.baseCompressionLevel() < 1 || w.baseCompressionLevel() > 19) {
      throw new ConfigException(where + ": 'wal.baseCompressionLevel' must be between 1 and 19");
    }
    if (Integer.bitCount(w.segmentSizeMb()) != 1 || w.segmentSizeMb() > 1024) {
      throw new ConfigException(where + ": 'wal.segmentSizeMb' must be a power of 2 from 1 to 1024"
          + " (initdb --wal-segsize)");
    }
    if (c.retries().maxAttempts() < 1 || c.retries().initialIntervalSeconds() < 1
        || c.retries().maxIntervalSeconds() < c.retries().initialIntervalSeconds()) {
      throw new ConfigException(where + ": 'retries' needs maxAttempts >= 1, initialIntervalSeconds"
          + " >= 1 and maxIntervalSeconds >= initialIntervalSeconds");
    }
    validateMonitoring(where, c);
    validateDrills(where, c);
    validateOffsite(where, c);
  }

  /** The offsite copy (issue #8): another bucket than the primary, with sane limits. */
  private static void validateOffsite(String where, LifeboatConfig c) {
    OffsiteConfig o = c.offsite();
    if (o == null) return;
    requireValue(where, "offsite.endpoint", o.endpoint());
    requireValue(where, "offsite.bucket", o.bucket());
    requireValue(where, "offsite.accessKeyEnv", o.accessKeyEnv());
    requireValue(where, "offsite.secretKeyEnv", o.secretKeyEnv());
    if (!o.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
      throw new ConfigException(where + ": 'offsite.endpoint' must be an http(s) URL, not '"
          + abbreviate(o.endpoint()) + "'");
    }
    if (!o.bucket().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(where + ": 'offsite.bucket' is not a valid S3 bucket name: '"
          + abbreviate(o.bucket()) + "'");
    }
    RepositoryConfig r = c.repository();
    String prefix = o.prefixOr(r.prefix());
    if (prefix.contains("..")) {
      throw new ConfigException(where + ": 'offsite.prefix' must not contain '..'");
    }
    // A copy into the very place it is read from would be no copy at all.
    if (o.endpoint().replaceAll("/+$", "").equals(r.endpoint().replaceAll("/+$", ""))
        && o.bucket().equals(r.bucket()) && prefix.equals(r.prefix())) {
      throw new ConfigException(where + ": 'offsite' is the primary repository itself (same"
          + " endpoint, bucket and prefix); give it another bucket or endpoint");
    }
    requireEnvName(where, "offsite.accessKeyEnv", o.accessKeyEnv());
    requireEnvName(where, "offsite.secretKeyEnv", o.secretKeyEnv());
    if (o.partSizeMb() < 5 || o.partSizeMb() > 512) {
      throw new ConfigException(where + ": 'offsite.partSizeMb' must be between 5 and 512"
          + " (S3's smallest part is 5 MiB)");
    }
    if (o.retention().days() < 1 || o.retention().monthly() < 0) {
      throw new ConfigException(where + ": 'offsite.retention.days' must be at least 1 and"
          + " 'offsite.retention.monthly' 0 or more");
    }
    OffsiteConfig.ObjectLock lock = o.objectLock();
    if (lock != null) {
      if (!List.of("GOVERNANCE", "COMPLIANCE").contains(lock.mode())) {
        throw new ConfigException(where + ": 'offsite.objectLock.mode' must be GOVERNANCE or"
            + " COMPLIANCE, not '" + abbreviate(lock.mode()) + "'");
      }
      if (lock.days() < 1 || lock.days() > 36500) {
        throw new ConfigException(where + ": 'offsite.objectLock.days' must be between 1 and"
            + " 36500");
      }
      // Retention would try to delete copies the lock still protects, every run.
      if (lock.days() > o.retention().days()) {
        throw new ConfigException(where + ": 'offsite.objectLock.days' (" + lock.days()
            + ") is longer than 'offsite.retention.days' (" + o.retention().days()
            + "); locked copies could not be expired");
      }
    }
  }

  /** The verification, checks and notifications sections (issue #7). */
  private static void validateMonitoring(String where, LifeboatConfig c) {
    ChecksConfig k = c.checks();
    if (k.maxAgeHours() < 1) {
      throw new ConfigException(where + ": 'checks.maxAgeHours' must be at least 1");
    }
    if (k.daily() < 0 || k.weekly() < 0 || k.monthly() < 0) {
      throw new ConfigException(where + ": 'checks.daily', 'checks.weekly' and 'checks.monthly'"
          + " must be 0 or more");
    }
    // A requirement the retention cannot keep would fail every check: say so now instead. Each
    // requirement is met by the days (fullDays) or by the GFS keep of its own period, which
    // must count the current, still open period too (hence +1).
    int keep = c.retention().fullDays();
    RetentionConfig.Keep gfs = c.retention().keep() != null ? c.retention().keep()
        : RetentionConfig.Keep.NONE;
    if ((k.daily() + 1 > keep && k.daily() + 1 > gfs.daily())
        || (7 * k.weekly() > keep && k.weekly() + 1 > gfs.weekly())
        || (31 * k.monthly() > keep && k.monthly() + 1 > gfs.monthly())) {
      throw new ConfigException(where + ": 'checks' asks for " + k.daily() + " daily, "
          + k.weekly() + " weekly and " + k.monthly() + " monthly backups, but"
          + " 'retention.fullDays' " + keep + (c.retention().keep() != null
              ? " and 'retention.keep' " + gfs.daily() + "/" + gfs.weekly() + "/"
                  + gfs.monthly() + " (daily/weekly/monthly)" : "")
          + " keep fewer (needs daily+1, 7 x weekly and 31 x monthly days at most, or keep"
          + " counts of daily+1, weekly+1 and monthly+1)");
    }
    requireValue(where, "checks.schedule", k.schedule());
    requireValue(where, "verification.schedule", c.verification().schedule());
    NotificationsConfig n = c.notifications();
    if (n.webhook() != null) {
      requireValue(where, "notifications.webhook.urlEnv", n.webhook().urlEnv());
      requireEnvName(where, "notifications.webhook.urlEnv", n.webhook().urlEnv());
    }
    NotificationsConfig.Email e = n.email();
    if (e != null) {
      requireValue(where, "notifications.email.host", e.host());
      requireValue(where, "notifications.email.from", e.from());
      requirePort(where, "notifications.email.port", e.port());
      if (e.to().isEmpty()) {
        throw new ConfigException(where + ": 'notifications.email.to' must list at least one"
            + " address");
      }
      for (String addr : e.to()) {
        if (addr == null || !addr.matches("[^@\\s]+@[^@\\s]+")) {
          throw new ConfigException(where + ": 'notifications.email.to' holds '" + addr
              + "', not an email address");
        }
      }
      if (!e.from().matches("[^@\\s]+@[^@\\s]+")) {
        throw new ConfigException(where + ": 'notifications.email.from' is not an email address");
      }
      if ((e.usernameEnv() == null) != (e.passwordEnv() == null)) {
        throw new ConfigException(where + ": 'notifications.email' needs both usernameEnv and"
            + " passwordEnv, or neither");
      }
      if (e.usernameEnv() != null) {
        requireEnvName(where, "notifications.email.usernameEnv", e.usernameEnv());
        requireEnvName(where, "notifications.email.passwordEnv", e.passwordEnv());
      }
    }
  }

  private static void validateEncryption(String where, RepositoryConfig r) {
    RepositoryConfig.EncryptionConfig e = r.encryption();
    if (e == null) return;
    if ((e.keyFile() == null) == (e.keyEnv() == null)) {
      throw new ConfigException(where + ": 'repository.encryption' needs exactly one of keyFile"
          + " or keyEnv (a Tink streaming keyset: `lifeboat keys generate --repository FILE`)");
    }
    if (e.keyEnv() != null) {
      requireEnvName(where, "repository.encryption.keyEnv", e.keyEnv());
    } else if (e.keyFile().isBlank()) {
      throw new ConfigException(where + ": 'repository.encryption.keyFile' is empty");
    }
  }

  private static void validateTemporal(String where, TemporalConfig t) {
    TemporalConfig.PayloadEncryptionConfig pe = t.payloadEncryption();
    if (pe != null) {
      if ((pe.keysetFile() == null) == (pe.keysetEnv() == null)) {
        throw new ConfigException(where + ": 'temporal.payloadEncryption' needs exactly one of"
            + " keysetFile or keysetEnv");
      }
      if (pe.keysetEnv() != null) {
        requireEnvName(where, "temporal.payloadEncryption.keysetEnv", pe.keysetEnv());
      }
      if (pe.codecServerPort() != 0) {
        requirePort(where, "temporal.payloadEncryption.codecServerPort", pe.codecServerPort());
      }
    }
    TemporalConfig.TlsConfig tls = t.tls();
    if (tls != null && (tls.certFile() == null) != (tls.keyFile() == null)) {
      throw new ConfigException(where + ": 'temporal.tls' needs both certFile and keyFile for"
          + " mTLS, or neither");
    }
  }

  private static void validateRecovery(String where, String key, DatabaseConfig.RecoveryConfig r) {
    if (r.dataDirectory() != null && !Path.of(r.dataDirectory()).isAbsolute()) {
      throw new ConfigException(where + ": '" + key + ".dataDirectory' must be an absolute path,"
          + " not '" + abbreviate(r.dataDirectory()) + "'");
    }
    if (!r.osUser().matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new ConfigException(where + ": '" + key + ".osUser' is not a user name: '"
          + abbreviate(r.osUser()) + "'");
    }
    if (r.downloadMbPerSecond() < 0) {
      throw new ConfigException(where + ": '" + key + ".downloadMbPerSecond' must be 0 or more");
    }
    var app = r.application();
    if (app != null && app.healthUrl() != null && !app.healthUrl().matches("https?://\\S+")) {
      throw new ConfigException(where + ": '" + key + ".application.healthUrl' must be an http(s)"
          + " URL, not '" + abbreviate(app.healthUrl()) + "'");
    }
    if (app != null && app.pm2Name() != null && !SAFE_NAME.matcher(app.pm2Name()).matches()) {
      throw new ConfigException(where + ": '" + key + ".application.pm2Name' must be letters,"
          + " digits, _ . -, not '" + abbreviate(app.pm2Name()) + "'");
    }
  }

  /** A key written with nothing after it is null in YAML: present, so Jackson lets it pass. */
  private static void requireValue(String where, String key, Object value) {
    if (value == null || value instanceof String str && str.isBlank()) {
      throw new ConfigException(where + ": '" + key + "' has no value");
    }
  }

  private static void requireName(String where, String key, String value) {
    if (!SAFE_NAME.matcher(value).matches()) {
      throw new ConfigException(where + ": '" + key + "' must be letters, digits, _ . - (at most"
          + " 63), not '" + abbreviate(value) + "'");
    }
  }

  private static void requireEnvName(String where, String key, String value) {
    if (!ENV_NAME.matcher(value).matches()) {
      throw new ConfigException(where + ": '" + key + "' must name an environment variable, not '"
          + abbreviate(value) + "'");
    }
  }

  private static void requirePort(String where, String key, int port) {
    if (port < 1 || port > 65535) {
      throw new ConfigException(where + ": '" + key + "' must be a port between 1 and 65535");
    }
  }

  private static DrillsConfig drillsAbsolute(DrillsConfig d) {
    if (d.appDir() == null) return d;
    return d.withTarget(null, Path.of(d.appDir()).toAbsolutePath().normalize().toString(), null,
        null);
  }

  /** The drills section: names a person types, a port, a sane reminder interval. */
  private static void validateDrills(String where, LifeboatConfig c) {
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

  /**
   * Relative local paths are taken from the directory the command runs in, once, here. Key
   * files are the exception: they are taken from the config file's directory, because the WAL
   * shipper runs from PostgreSQL's data directory and must find the same key as the worker.
   */
  private static LifeboatConfig absolutise(LifeboatConfig c, Path configDir) {
    RepositoryConfig r = c.repository();
    RepositoryConfig repo = r;
    if (r.localCopyDir() != null || r.encryption() != null && r.encryption().keyFile() != null) {
      String abs = r.localCopyDir() == null ? null
          : Path.of(r.localCopyDir()).toAbsolutePath().normalize().toString();
      // The key file too: the worker and the WAL shipper may run from another directory.
      RepositoryConfig.EncryptionConfig enc = r.encryption();
      if (enc != null && enc.keyFile() != null) {
        enc = new RepositoryConfig.EncryptionConfig(keyPath(configDir, enc.keyFile()), null);
      }
      repo = new RepositoryConfig(r.endpoint(), r.bucket(), r.prefix(), r.region(),
          r.pathStyle(), r.accessKeyEnv(), r.secretKeyEnv(), r.serverSideEncryption(),
          r.storageClass(), abs, r.partSizeMb(), r.maxUploadMbPerSecond(), enc);
    }
    TemporalConfig t = c.temporal();
    TemporalConfig.PayloadEncryptionConfig pe = t.payloadEncryption();
    if (pe != null && pe.keysetFile() != null) {
      t = new TemporalConfig(t.address(), t.namespace(), t.taskQueue(), t.webUi(), t.tls(),
          new TemporalConfig.PayloadEncryptionConfig(keyPath(configDir, pe.keysetFile()), null,
              pe.codecServerPort()));
    }
    return new LifeboatConfig(c.estate(), t, repo, c.databases(), c.retention(),
        c.schedules(), c.targets(), c.compression(), c.metrics(), c.retries(), c.verification(),
        c.checks(), c.notifications(),
        ApplicationConfigRules.absolute(c.applications()),
        ApplicationConfigRules.absolute(c.configuration()), c.wal(), drillsAbsolute(c.drills()),
        ServerTargetRules.absolute(c.servers()), c.offsite(), c.hosts());
  }

  private static String keyPath(Path configDir, String file) {
    Path p = Path.of(file);
    return (p.isAbsolute() || configDir == null ? p : configDir.resolve(p)).toAbsolutePath()
        .normalize().toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private static String path(JsonMappingException e, String leaf) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    if (leaf != null && !sb.toString().endsWith(leaf)) {
      if (sb.length() > 0) sb.append('.');
      sb.append(leaf);
    }
    return sb.toString();
  }

  private static String line(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
        : " (line " + e.getLocation().getLineNr() + ")";
  }

  private static String describe(Class<?> type) {
    if (type == null) return "of another type";
    if (type == Integer.class || type == int.class || type == Long.class) return "a whole number";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (List.class.isAssignableFrom(type)) return "a list";
    return "a mapping (" + type.getSimpleName() + ")";
  }
}
