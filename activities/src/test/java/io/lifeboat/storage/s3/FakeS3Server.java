package io.lifeboat.storage.s3;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small S3 in this process (JDK HttpServer), path-style, one bucket, for unit tests of the
 * S3 client code without the stack: objects with user metadata, conditional puts
 * (If-None-Match: *), ListObjectsV2 in pages, multipart uploads and their listing, S3's XML
 * errors, a credential check, and injected failures. It speaks only what {@link S3ObjectStore}
 * and the offsite bucket send; it is no S3 conformance reference.
 */
public final class FakeS3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "fake-access";
  public static final String SECRET_KEY = "fake-secret";

  /** A stored object. */
  public record Obj(byte[] body, String contentType, Map<String, String> meta, Instant stored) {}

  private record Upload(String key, String contentType, Map<String, String> meta,
      Instant initiated, Map<Integer, byte[]> parts) {}

  private final HttpServer http;
  private final String bucket;
  public final ConcurrentSkipListMap<String, Obj> objects = new ConcurrentSkipListMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  /** Every request as "METHOD path?query", in order. */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  /** Keys per ListObjectsV2 page (S3's is 1000). */
  public volatile int pageSize = 1000;
  private final List<int[]> failures = new CopyOnWriteArrayList<>();
  private volatile String failCode;

  public FakeS3Server(String bucket) throws IOException {
    this.bucket = bucket;
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", this::handle);
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-s3");
      t.setDaemon(true);
      return t;
    }));
    http.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** The next {@code count} requests fail with this status and S3 error code. */
  public void failNext(int count, int status, String code) {
    failures.clear();
    failCode = code;
    for (int i = 0; i < count; i++) failures.add(new int[] {status});
  }

  /** Unfinished uploads: key to upload id. */
  public Map<String, String> pendingUploads() {
    Map<String, String> out = new TreeMap<>();
    uploads.forEach((id, u) -> out.put(u.key(), id));
    return out;
  }

  /** An unfinished upload as if a crashed attempt had started it at {@code initiated}. */
  public String startedUpload(String key, Instant initiated) {
    String id = "up-" + ids.incrementAndGet();
    uploads.put(id, new Upload(key, "application/octet-stream", Map.of(), initiated,
        new ConcurrentHashMap<>()));
    return id;
  }

  @Override
  public void close() {
    http.stop(0);
  }

  // ------------------------------------------------------------------------------------------

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      String path = x.getRequestURI().getPath();
      Map<String, String> q = query(x.getRequestURI().getRawQuery());
      requests.add(method + " " + path + (q.isEmpty() ? "" : "?" + String.join("&", q.keySet())));
      byte[] body = readBody(x);
      if (!failures.isEmpty()) {
        int status = failures.remove(0)[0];
        error(x, status, failCode, "injected");
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.contains("Credential=" + ACCESS_KEY + "/")) {
        error(x, 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist");
        return;
      }
      String rest = path.startsWith("/") ? path.substring(1) : path;
      int slash = rest.indexOf('/');
      String b = slash < 0 ? rest : rest.substring(0, slash);
      String key = slash < 0 ? "" : rest.substring(slash + 1);
      if (!b.equals(bucket)) {
        error(x, 404, "NoSuchBucket", "The specified bucket does not exist");
        return;
      }
      if (key.isEmpty()) {
        if (method.equals("GET") && q.containsKey("uploads")) listUploads(x, q);
        else if (method.equals("GET")) listObjects(x, q);
        else error(x, 501, "NotImplemented", method + " on the bucket");
        return;
      }
      switch (method) {
        case "PUT" -> {
          if (q.containsKey("uploadId")) uploadPart(x, key, q, body);
          else putObject(x, key, body);
        }
        case "GET", "HEAD" -> getObject(x, key, method.equals("HEAD"));
        case "DELETE" -> {
          if (q.containsKey("uploadId")) {
            if (uploads.remove(q.get("uploadId")) == null) {
              error(x, 404, "NoSuchUpload", "The specified upload does not exist");
              return;
            }
          } else {
            objects.remove(key);
          }
          x.sendResponseHeaders(204, -1);
        }
        case "POST" -> {
          if (q.containsKey("uploads")) createUpload(x, key);
          else if (q.containsKey("uploadId")) completeUpload(x, key, q, body);
          else error(x, 501, "NotImplemented", "POST");
        }
        default -> error(x, 501, "NotImplemented", method);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return out;
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  /** The payload, with aws-chunked framing (chunk sizes, signatures, trailers) removed. */
  private static byte[] readBody(HttpExchange x) throws IOException {
    byte[] raw;
    try (InputStream in = x.getRequestBody()) {
      raw = in.readAllBytes();
    }
    Headers h = x.getRequestHeaders();
    String sha = String.valueOf(h.getFirst("x-amz-content-sha256"));
    String enc = String.valueOf(h.getFirst("Content-Encoding"));
    if (!sha.startsWith("STREAMING") && !enc.contains("aws-chunked")
        && h.getFirst("x-amz-decoded-content-length") == null) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length) {
      int eol = indexOfCrlf(raw, i);
      String header = new String(raw, i, eol - i, StandardCharsets.US_ASCII);
      int semi = header.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? header : header.substring(0, semi)).strip(), 16);
      i = eol + 2;
      if (size == 0) break;
      out.write(raw, i, size);
      i += size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
    return b.length;
  }

  private static Map<String, String> userMetadata(Headers h) {
    Map<String, String> meta = new HashMap<>();
    h.forEach((k, v) -> {
      if (k.toLowerCase().startsWith("x-amz-meta-")) {
        meta.put(k.toLowerCase().substring("x-amz-meta-".length()), v.get(0));
      }
    });
    return meta;
  }

  private void putObject(HttpExchange x, String key, byte[] body) throws IOException {
    Headers h = x.getRequestHeaders();
    Obj o = new Obj(body, h.getFirst("Content-Type"), userMetadata(h),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
    if ("*".equals(h.getFirst("If-None-Match"))) {
      if (objects.putIfAbsent(key, o) != null) {
        error(x, 412, "PreconditionFailed", "At least one of the preconditions did not hold");
        return;
      }
    } else {
      objects.put(key, o);
    }
    x.getResponseHeaders().set("ETag", etag(body));
    x.sendResponseHeaders(200, -1);
  }

  private void getObject(HttpExchange x, String key, boolean head) throws IOException {
    Obj o = objects.get(key);
    if (o == null) {
      if (head) {
        x.sendResponseHeaders(404, -1);
      } else {
        error(x, 404, "NoSuchKey", "The specified key does not exist.");
      }
      return;
    }
    Headers r = x.getResponseHeaders();
    r.set("ETag", etag(o.body()));
    r.set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
        o.stored().atOffset(ZoneOffset.UTC)));
    r.set("Content-Type", o.contentType() == null ? "binary/octet-stream" : o.contentType());
    o.meta().forEach((k, v) -> r.set("x-amz-meta-" + k, v));
    if (head) {
      r.set("Content-Length", Long.toString(o.body().length));
      x.sendResponseHeaders(200, -1);
      return;
    }
    x.sendResponseHeaders(200, o.body().length == 0 ? -1 : o.body().length);
    x.getResponseBody().write(o.body());
  }

  private void listObjects(HttpExchange x, Map<String, String> q) throws IOException {
    String prefix = q.getOrDefault("prefix", "");
    String after = q.get("continuation-token");
    List<Map.Entry<String, Obj>> page = new ArrayList<>();
    boolean truncated = false;
    for (var e : (after == null ? objects : objects.tailMap(after, false)).entrySet()) {
      if (!e.getKey().startsWith(prefix)) continue;
      if (page.size() == pageSize) {
        truncated = true;
        break;
      }
      page.add(e);
    }
    StringBuilder xml = new StringBuilder("<ListBucketResult xmlns=\""
        + "http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name><Prefix>"
        + esc(prefix) + "</Prefix><KeyCount>" + page.size() + "</KeyCount><MaxKeys>" + pageSize
        + "</MaxKeys><IsTruncated>" + truncated + "</IsTruncated>");
    if (truncated) {
      xml.append("<NextContinuationToken>").append(esc(page.get(page.size() - 1).getKey()))
          .append("</NextContinuationToken>");
    }
    for (var e : page) {
      xml.append("<Contents><Key>").append(esc(e.getKey())).append("</Key><LastModified>")
          .append(e.getValue().stored()).append("</LastModified><ETag>")
          .append(esc(etag(e.getValue().body()))).append("</ETag><Size>")
          .append(e.getValue().body().length).append("</Size><StorageClass>STANDARD"
              + "</StorageClass></Contents>");
    }
    xml(x, 200, xml.append("</ListBucketResult>").toString());
  }

  private void createUpload(HttpExchange x, String key) throws IOException {
    String id = "up-" + ids.incrementAndGet();
    Headers h = x.getRequestHeaders();
    uploads.put(id, new Upload(key, h.getFirst("Content-Type"), userMetadata(h), Instant.now(),
        new ConcurrentHashMap<>()));
    xml(x, 200, "<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + "<Bucket>" + bucket + "</Bucket><Key>" + esc(key) + "</Key><UploadId>" + id
        + "</UploadId></InitiateMultipartUploadResult>");
  }

  private void uploadPart(HttpExchange x, String key, Map<String, String> q, byte[] body)
      throws IOException {
    Upload u = uploads.get(q.get("uploadId"));
    if (u == null || !u.key().equals(key)) {
      error(x, 404, "NoSuchUpload", "The specified upload does not exist");
      return;
    }
    u.parts().put(Integer.parseInt(q.get("partNumber")), body);
    x.getResponseHeaders().set("ETag", etag(body));
    x.sendResponseHeaders(200, -1);
  }

  private static final Pattern PART = Pattern.compile(
      "<Part>.*?<ETag>(.*?)</ETag>.*?<PartNumber>(\\d+)</PartNumber>.*?</Part>"
          + "|<Part>.*?<PartNumber>(\\d+)</PartNumber>.*?<ETag>(.*?)</ETag>.*?</Part>",
      Pattern.DOTALL);

  private void completeUpload(HttpExchange x, String key, Map<String, String> q, byte[] body)
      throws IOException {
    Upload u = uploads.get(q.get("uploadId"));
    if (u == null || !u.key().equals(key)) {
      error(x, 404, "NoSuchUpload", "The specified upload does not exist");
      return;
    }
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    Matcher m = PART.matcher(new String(body, StandardCharsets.UTF_8));
    while (m.find()) {
      String tag = (m.group(1) != null ? m.group(1) : m.group(4)).replace("&quot;", "\"");
      int n = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
      byte[] part = u.parts().get(n);
      if (part == null || !etag(part).equals(tag)) {
        error(x, 400, "InvalidPart", "part " + n + " with ETag " + tag + " was not uploaded");
        return;
      }
      whole.writeBytes(part);
    }
    uploads.remove(q.get("uploadId"));
    objects.put(key, new Obj(whole.toByteArray(), u.contentType(), u.meta(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    xml(x, 200, "<CompleteMultipartUploadResult xmlns=\""
        + "http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>" + bucket + "</Bucket><Key>"
        + esc(key) + "</Key><ETag>" + esc(etag(whole.toByteArray()))
        + "</ETag></CompleteMultipartUploadResult>");
  }

  private void listUploads(HttpExchange x, Map<String, String> q) throws IOException {
    String prefix = q.getOrDefault("prefix", "");
    StringBuilder xml = new StringBuilder("<ListMultipartUploadsResult xmlns=\""
        + "http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>" + bucket + "</Bucket>"
        + "<IsTruncated>false</IsTruncated>");
    new TreeMap<>(uploads).forEach((id, u) -> {
      if (u.key().startsWith(prefix)) {
        xml.append("<Upload><Key>").append(esc(u.key())).append("</Key><UploadId>").append(id)
            .append("</UploadId><Initiated>").append(u.initiated()).append("</Initiated></Upload>");
      }
    });
    xml(x, 200, xml.append("</ListMultipartUploadsResult>").toString());
  }

  private static void error(HttpExchange x, int status, String code, String message)
      throws IOException {
    if (x.getRequestMethod().equals("HEAD")) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    xml(x, status, "<Error><Code>" + code + "</Code><Message>" + esc(message)
        + "</Message><RequestId>fake</RequestId></Error>");
  }

  private static void xml(HttpExchange x, int status, String xml) throws IOException {
    byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml)
        .getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/xml");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static String etag(byte[] body) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
