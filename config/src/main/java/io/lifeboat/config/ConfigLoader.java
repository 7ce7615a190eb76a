package io.lifeboat.config;

import static io.lifeboat.config.ConfigChecks.*;

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
import java.util.stream.Collectors;

/**
 * Reads and validates the estate's YAML. Every problem becomes one line that names the file and
 * the key, because the operator reading it is usually in the middle of something else.
 */
public final class ConfigLoader {

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
    // Issue 20: offsite: or repositories:, checked and brought to one model.
    config = OffsiteRules.normalize(where, config);
    ApplicationConfigRules.validate(where, config);
    ServerTargetRules.validate(where, config);
    HostRules.validate(where, config);
    RedisRules.validate(where, config);
    MariaDbRules.validate(where, config);
    FilesRules.validate(where, config);
    BaculaRules.validate(where, config);
    WorkerRules.validate(where, config);
    OpenSearchRules.validate(where, config);
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
      validateDump(where, key + ".dump", d.dumpSettings());
    }
    EncryptionRules.validateTemporal(where, c.temporal());
    EncryptionRules.validateRepository(where, c.repository());
    RepositoryConfig r = c.repository();
    RepositoryRules.validate(where, r);
    if (r.prefix().contains("..")) {
      throw new ConfigException(where + ": 'repository.prefix' must not contain '..'");
    }
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
    if (c.retention().reportsAuditDays() < 1) {
      throw new ConfigException(where + ": 'retention.reportsAuditDays' must be at least 1");
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
    MonitoringRules.validate(where, c);
    DrillsRules.validate(where, c);
    ApprovalsConfig.validate(where, c.approvals());
  }

  private static void validateDump(String where, String key, DatabaseConfig.DumpConfig d) {
    if (!DatabaseConfig.DumpConfig.CUSTOM.equals(d.format()) && !d.directory()) {
      throw new ConfigException(where + ": '" + key + ".format' must be custom or directory, not '"
          + d.format() + "'");
    }
    if (d.jobs() < 1 || d.jobs() > 64) {
      throw new ConfigException(where + ": '" + key + ".jobs' must be between 1 and 64, not "
          + d.jobs());
    }
    if (!d.directory() && d.jobs() != 1) {
      throw new ConfigException(where + ": '" + key + ".jobs' needs format: directory (a custom"
          + " format dump is one stream)");
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

  private static DrillsConfig drillsAbsolute(DrillsConfig d) {
    if (d.appDir() == null) return d;
    return d.withTarget(null, Path.of(d.appDir()).toAbsolutePath().normalize().toString(), null,
        null);
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
      repo = r.withLocal(abs, enc);
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
        ServerTargetRules.absolute(c.servers()), c.offsite(), c.hosts(), c.redis(), c.files(),
        c.worker(), OpenSearchRules.absolute(c.opensearch(), configDir), c.readiness(), c.approvals(),
        c.mariadb(), c.restorePoints(), c.repositories(), c.bacula());
  }

  private static String keyPath(Path configDir, String file) {
    Path p = Path.of(file);
    return (p.isAbsolute() || configDir == null ? p : configDir.resolve(p)).toAbsolutePath()
        .normalize().toString();
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
