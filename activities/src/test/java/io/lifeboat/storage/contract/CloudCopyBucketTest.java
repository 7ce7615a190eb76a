package io.lifeboat.storage.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lifeboat.config.OffsiteConfig;
import io.lifeboat.config.RepositoryConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.failure.FailureKind;
import io.lifeboat.offsite.CopyBucket;
import io.lifeboat.offsite.LockStatus;
import io.lifeboat.offsite.OffsiteLayout;
import io.lifeboat.storage.PartUploader;
import io.lifeboat.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A copy repository on fake-gcs-server and on Azurite (each started here on a free port): a
 * committed manifest is created conditionally and never overwritten, a multipart copy carries
 * its metadata, and the lock asked for is reported unavailable where the emulator has none.
 */
class CloudCopyBucketTest {
  private static final String BUCKET = "copy-test";
  private static final String AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2"
      + "UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  @ParameterizedTest
  @ValueSource(strings = {"gcs", "azure"})
  void manifestsAreNeverOverwrittenAndUploadsKeepTheirChecksum(String type) throws Exception {
    Emulator e;
    try {
      e = type.equals("gcs") ? Emulator.fakeGcs() : Emulator.azurite();
    } catch (Emulator.Unavailable u) {
      Assumptions.abort(type + " skipped: " + u.getMessage());
      return;
    }
    try (e) {
      String conn = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
          + AZURITE_KEY + ";BlobEndpoint=" + e.url() + "/devstoreaccount1;";
      OffsiteConfig config;
      if (type.equals("gcs")) {
        try (Storage admin = StorageOptions.newBuilder().setHost(e.url()).setProjectId("test")
            .setCredentials(NoCredentials.getInstance()).build().getService()) {
          admin.create(BucketInfo.of(BUCKET));
        }
        config = new OffsiteConfig(e.url(), BUCKET, "p", null, null, null, null, 5, null,
            new OffsiteConfig.ObjectLock(null, 1), null, null, "cloud", "gcs", null,
            new RepositoryConfig.GcsConfig("test", null), null);
      } else {
        new BlobServiceClientBuilder().connectionString(conn).buildClient()
            .createBlobContainer(BUCKET);
        config = new OffsiteConfig(null, BUCKET, "p", null, null, null, null, 5, null,
            new OffsiteConfig.ObjectLock(null, 1), null, null, "cloud", "azure", null, null,
            new RepositoryConfig.AzureConfig(null, null, "AZ_CONN", null));
      }
      try (CopyBucket bucket = CopyBucket.open(config, new Secrets(Map.of("AZ_CONN", conn)))) {
        LockStatus lock = bucket.probeLock();
        assertEquals(LockStatus.UNAVAILABLE, lock.state(), lock.toString());

        String manifest = "p/db/x/full/b1/manifest.json";
        byte[] first = "{\"backupId\":\"b1\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> meta = Map.of(OffsiteLayout.META_COPY_SHA256, "aaa");
        bucket.put(manifest, first, "application/json", meta, lock);
        bucket.put(manifest, first, "application/json", meta, lock); // a retry: the same copy
        StorageException refused = assertThrows(StorageException.class, () -> bucket.put(
            manifest, "{\"backupId\":\"b2\"}".getBytes(StandardCharsets.UTF_8),
            "application/json", Map.of(OffsiteLayout.META_COPY_SHA256, "bbb"), lock));
        assertEquals(FailureKind.OFFSITE_REFUSED, refused.kind());
        assertTrue(refused.getMessage().contains("never overwritten"), refused.getMessage());
        assertArrayEquals(first, bucket.get(manifest).readAllBytes());
        assertEquals("aaa", bucket.head(manifest).orElseThrow().metadata()
            .get(OffsiteLayout.META_COPY_SHA256));

        // A data object in parts: the checksum is on the completed object.
        byte[] data = new byte[11 * 1024 * 1024];
        new Random(7).nextBytes(data);
        String key = "p/db/x/full/b1/dump.pgc.zst";
        String id = bucket.startUpload(key, "application/octet-stream",
            Map.of(OffsiteLayout.META_COPY_SHA256, "ccc"), lock);
        PartUploader up = new PartUploader(bucket, key, id, 5 * 1024 * 1024, 0, null, () -> { });
        up.write(data, 0, data.length);
        bucket.completeUpload(key, id, up.finish());
        assertArrayEquals(data, bucket.get(key).readAllBytes());
        assertEquals("ccc", bucket.head(key).orElseThrow().metadata()
            .get(OffsiteLayout.META_COPY_SHA256));
        assertEquals(Map.of(manifest, (long) first.length, key, (long) data.length),
            bucket.listSizes("p/"));
        assertTrue(bucket.lock(key).isEmpty());

        // Deleted (hidden) for a repair: both gone, and the manifest can be created again.
        bucket.hide(manifest);
        bucket.delete(key);
        assertTrue(bucket.listSizes("p/").isEmpty());
        bucket.put(manifest, first, "application/json", meta, lock);
        assertTrue(bucket.exists(manifest));
      }
    }
  }
}
