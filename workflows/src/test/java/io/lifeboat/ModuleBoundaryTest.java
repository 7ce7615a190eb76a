package io.lifeboat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifeboat.backup.dump.DatabaseBackupWorkflowImpl;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflow code must be deterministic, so the workflows module never sees the libraries that
 * touch the world, and its workflow classes never reference the JDK's files, sockets, threads,
 * wall clock or unseeded randomness. Activities do those things.
 */
class ModuleBoundaryTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "software.amazon.awssdk.services.s3.S3Client",
      "org.apache.commons.exec.DefaultExecutor",
      "org.postgresql.Driver"})
  void worldTouchingLibrariesAreNotOnTheClasspath(String className) {
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName(className, false, getClass().getClassLoader()),
        className + " is reachable from the workflows module");
  }

  /** Types whose mere use in workflow code is non-deterministic or does I/O. */
  private static final List<Pattern> FORBIDDEN_TYPES = Stream.of(
          "software/amazon/awssdk/.*",
          "org/apache/commons/exec/.*",
          "org/postgresql/.*",
          "java/sql/.*",
          "java/net/(Socket|ServerSocket|DatagramSocket|URLConnection|HttpURLConnection)",
          "java/net/http/.*",
          "java/io/(File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile)",
          "java/nio/file/(Files|Paths)",
          "java/nio/channels/.*",
          "java/lang/(Thread|ProcessBuilder|Process|Runtime)",
          "java/util/concurrent/(Executors|ExecutorService|ThreadPoolExecutor|CompletableFuture"
              + "|ForkJoinPool|ThreadLocalRandom)",
          "java/util/Timer",
          "java/security/SecureRandom")
      .map(Pattern::compile).toList();

  /** Methods that read the wall clock, the environment or unseeded randomness. */
  private static final Set<String> FORBIDDEN_METHODS = Set.of(
      "java/lang/System.currentTimeMillis", "java/lang/System.nanoTime",
      "java/lang/System.getenv", "java/lang/System.getProperty",
      "java/time/Instant.now", "java/time/LocalDateTime.now", "java/time/LocalDate.now",
      "java/time/LocalTime.now", "java/time/ZonedDateTime.now", "java/time/OffsetDateTime.now",
      "java/time/Clock.systemUTC", "java/time/Clock.systemDefaultZone",
      "java/util/UUID.randomUUID", "java/lang/Math.random",
      "java/util/Random.<init>()V"); // unseeded; Workflow.newRandom() is the deterministic one

  @Test
  void workflowClassesReferenceNothingNonDeterministic() throws Exception {
    Path classes = Path.of(DatabaseBackupWorkflowImpl.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Path root = classes.resolve("io/lifeboat");
    List<Path> classFiles;
    try (Stream<Path> walk = Files.walk(root)) {
      classFiles = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    // The scan must see the real code, not an empty or wrong directory.
    assertTrue(classFiles.contains(
            root.resolve("backup/dump/DatabaseBackupWorkflowImpl.class")),
        "scanned " + root + " but did not find the workflow implementation");
    assertTrue(classFiles.size() >= 10, "only " + classFiles.size() + " classes under " + root);

    Map<String, Set<String>> offenders = new TreeMap<>();
    for (Path file : classFiles) {
      Set<String> found = violations(Files.readAllBytes(file));
      if (!found.isEmpty()) {
        offenders.put(classes.relativize(file).toString(), found);
      }
    }
    assertEquals(Map.of(), offenders,
        "workflow classes must not touch files, sockets, threads, clocks or randomness;"
            + " move that into an activity");
  }

  /** The control: the scanner does see forbidden references when they are there. */
  @Test
  void scannerFlagsForbiddenReferences() throws IOException {
    Set<String> found = violations(bytesOf(Offender.class));
    assertTrue(found.contains("java/io/File"), found.toString());
    assertTrue(found.contains("java/lang/Thread"), found.toString());
    assertTrue(found.contains("java/net/Socket"), found.toString());
    assertTrue(found.contains("java/lang/System.currentTimeMillis"), found.toString());
    assertTrue(found.contains("java/time/Instant.now"), found.toString());
    assertTrue(found.contains("java/util/UUID.randomUUID"), found.toString());
    assertTrue(found.contains("java/util/Random.<init>()V"), found.toString());
    // ...and does not cry wolf over what workflow code may use.
    assertEquals(Set.of(), violations(bytesOf(Innocent.class)));
  }

  @SuppressWarnings("unused")
  private static final class Offender {
    private java.io.File spool;

    long now() throws Exception {
      Thread.sleep(1);
      try (java.net.Socket s = new java.net.Socket()) {
        return System.currentTimeMillis() + java.time.Instant.now().getNano()
            + java.util.UUID.randomUUID().hashCode() + new java.util.Random().nextInt();
      }
    }
  }

  @SuppressWarnings("unused")
  private static final class Innocent {
    String at(long millis) {
      java.util.Random seeded = new java.util.Random(42); // seeded: Workflow.newRandom() style
      return java.time.Instant.ofEpochMilli(millis).toString() + seeded.nextInt()
          + java.util.UUID.nameUUIDFromBytes(new byte[] {1}) + java.nio.file.Path.of("a");
    }
  }

  private static byte[] bytesOf(Class<?> type) throws IOException {
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([\\w/$]+)[;<]");

  /**
   * Reads a class file's constant pool and returns the forbidden types and methods it refers
   * to: class entries, field and method descriptors and generic signatures, and method refs.
   */
  static Set<String> violations(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] className = new int[count];
    int[] refClass = new int[count];
    int[] refNameAndType = new int[count];
    int[] natName = new int[count];
    int[] natDescriptor = new int[count];
    List<Integer> classEntries = new ArrayList<>();
    List<Integer> methodRefs = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // takes two slots
        }
        case 7 -> {
          className[i] = in.readUnsignedShort();
          classEntries.add(i);
        }
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 9, 10, 11 -> {
          refClass[i] = in.readUnsignedShort();
          refNameAndType[i] = in.readUnsignedShort();
          methodRefs.add(i);
        }
        case 12 -> {
          natName[i] = in.readUnsignedShort();
          natDescriptor[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 17, 18 -> {
          in.readUnsignedShort();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
      }
    }

    Set<String> types = new TreeSet<>();
    for (int i : classEntries) {
      String name = utf8[className[i]];
      types.add(name.replaceAll("^\\[+L?|;$", "")); // array classes: [Ljava/io/File;
    }
    for (String s : utf8) {
      if (s != null && (s.startsWith("(") || s.startsWith("L") || s.startsWith("["))) {
        Matcher m = DESCRIPTOR_TYPE.matcher(s); // descriptors and generic signatures
        while (m.find()) {
          types.add(m.group(1));
        }
      }
    }
    Set<String> found = new TreeSet<>();
    for (String type : types) {
      if (FORBIDDEN_TYPES.stream().anyMatch(p -> p.matcher(type).matches())) {
        found.add(type);
      }
    }
    for (int i : methodRefs) {
      String owner = utf8[className[refClass[i]]];
      String member = owner + "." + utf8[natName[refNameAndType[i]]];
      String withDescriptor = member + utf8[natDescriptor[refNameAndType[i]]];
      if (FORBIDDEN_METHODS.contains(member)) {
        found.add(member);
      } else if (FORBIDDEN_METHODS.contains(withDescriptor)) {
        found.add(withDescriptor);
      }
    }
    return found;
  }
}
