package org.bobbob.store.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.s3.TestS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Migration between a file store and S3 with the command-line tool, end to end: a {@code multi}
 * store of a few hundred objects (empty to 9 MiB, some deleted, a prime object) goes to a
 * {@code bobbob:s3:} store on the in-process S3Proxy with {@code export} and {@code import}, and
 * back into a new {@code multi} store the same way. Proves that every live object arrives with its
 * bytes under the ids the mapping files give (and no deleted one does), that the prime object
 * stays the prime object both ways, and that the tool reaches S3 with the credentials of the
 * SDK's default chain, as it must: it opens stores by URL alone and passes no {@code Properties},
 * and the provider refuses credentials in a URL. Here they are the system properties
 * {@code aws.accessKeyId} and {@code aws.secretAccessKey}, set around each run and restored.
 */
class S3MigrationTest {
    private static final int MIB = 1 << 20;

    private static TestS3 s3;
    private static S3Client raw;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = TestS3.start();
        raw = s3.rawClient();
    }

    @AfterAll
    static void stopServer() {
        raw.close();
        s3.close();
    }

    @Test
    void aMultiStoreMovesToS3AndBackWithExportAndImportEveryObjectWhole() throws Exception {
        Map<Long, byte[]> contents = new HashMap<>();
        Path source = dir.resolve("source.bob");
        long prime = fileStore(source, contents);

        // file -> s3
        Path toS3 = dir.resolve("to-s3.bobx");
        ToolRun export = ToolRun.of("export", "--json", source.toString(), toS3.toString());
        assertEquals(0, export.status(), export.toString());
        assertEquals((long) contents.size(), export.json().get("objects"));
        assertEquals(prime, export.json().get("prime"));
        String bucket = TestS3.newBucket();
        String s3Url = s3.url(bucket, "migrated", "");
        Path s3Mapping = dir.resolve("to-s3.idmap");
        ToolRun imported = withSdkCredentials(
                TestS3.SECRET_KEY,
                () -> ToolRun.of("import", "--json", "--mapping", s3Mapping.toString(), toS3.toString(), s3Url));
        assertEquals(0, imported.status(), imported.toString());
        assertEquals((long) contents.size(), imported.json().get("objects"));
        Map<Long, Long> inS3 = mapping(s3Mapping);
        assertEquals(contents.keySet(), inS3.keySet(), "one line per live object, none for a deleted one");
        assertEquals(1L, inS3.get(prime), "the prime object is the s3 store's prime object, id 1");
        assertEquals(1L, imported.json().get("prime"));

        // what is in the bucket, seen through a store opened with Properties credentials and a raw listing
        try (Storer s = StoreManager.open(s3Url + "&create=false", TestS3.credentials())) {
            assertEquals(contents.size(), s.unwrap(ObjectLister.class).objectIds().length);
            for (Map.Entry<Long, byte[]> e : contents.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(inS3.get(e.getKey())), "object " + e.getKey());
            }
        }
        assertEquals(
                contents.size(),
                raw.listObjectsV2(b -> b.bucket(bucket).prefix("migrated/")).keyCount());

        // s3 -> file
        Path fromS3 = dir.resolve("from-s3.bobx");
        ToolRun exportBack =
                withSdkCredentials(TestS3.SECRET_KEY, () -> ToolRun.of("export", "--json", s3Url, fromS3.toString()));
        assertEquals(0, exportBack.status(), exportBack.toString());
        assertEquals((long) contents.size(), exportBack.json().get("objects"));
        assertEquals(1L, exportBack.json().get("prime"));
        Path back = dir.resolve("back.bob");
        ToolRun importBack = ToolRun.of("import", "--json", fromS3.toString(), "bobbob:multi:" + back);
        assertEquals(0, importBack.status(), importBack.toString());
        Map<Long, Long> inFile = mapping(Path.of(back + ".idmap"));
        assertEquals(new java.util.HashSet<>(inS3.values()), inFile.keySet());
        try (Storer s = StoreManager.open("bobbob:multi:" + back + "?create=false")) {
            assertEquals(contents.size(), s.unwrap(ObjectLister.class).objectIds().length);
            for (Map.Entry<Long, byte[]> e : contents.entrySet()) {
                long id = inFile.get(inS3.get(e.getKey()));
                assertArrayEquals(e.getValue(), s.readBytesFromObj(id), "object " + e.getKey());
            }
            assertEquals(inFile.get(1L), s.primeObject(0), "the prime object came back as the prime object");
        }
        ToolRun verify = ToolRun.of("verify", "--read-all", back.toString());
        assertEquals(0, verify.status(), verify.toString());
    }

    /** The proof that the tool's credentials are those system properties: a wrong secret there is refused. */
    @Test
    void theToolWithAWrongSecretInTheSdkChainIsRefusedWithBob801AndNoSecretShown() throws Exception {
        String url = s3.url(TestS3.newBucket(), "p", "");
        ToolRun run = withSdkCredentials("wrong-SECRET-5e1f", () -> ToolRun.of("export", url, "-"));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().startsWith("[BOB-801]") && run.err().contains("HTTP 403"), run.err());
        assertFalse(run.toString().contains("wrong-SECRET-5e1f"), run.toString());
    }

    /**
     * A multi store at {@code file}: a prime object, 300 objects of 0 to 4 000 bytes with every
     * 60th of 1 to 3 MiB, one of 9 MiB through a Late writer (past the s3 store's 8 MiB part: a
     * multipart upload there), and 5 of them deleted; {@code contents} gets the live ones by id.
     * Returns the prime object's id.
     */
    private static long fileStore(Path file, Map<Long, byte[]> contents) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        long prime;
        try (Storer s = StoreManager.open("bobbob:multi:" + file)) {
            prime = s.primeObject(16);
            byte[] root = "the root object!".getBytes(StandardCharsets.US_ASCII);
            s.writeBytesToObj(prime, root);
            contents.put(prime, root);
            List<Long> made = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] data = new byte[i % 60 == 59 ? MIB + random.nextInt(2 * MIB) : random.nextInt(4001)];
                random.nextBytes(data);
                long id = s.writeNewObjFromBytes(data);
                contents.put(id, data);
                made.add(id);
            }
            byte[] large = new byte[9 * MIB + 5];
            random.nextBytes(large);
            try (ObjectWriter w = s.lateWriteNewObj(large.length)) {
                for (int at = 0; at < large.length; at += MIB) {
                    w.write(ByteBuffer.wrap(large, at, Math.min(MIB, large.length - at)));
                }
                contents.put(w.id(), large);
            }
            for (long id : new long[] {made.get(0), made.get(7), made.get(59), made.get(150), made.get(299)}) {
                s.deleteObj(id); // made.get(59) is one of the large ones
                contents.remove(id);
            }
        }
        return prime;
    }

    /** The mapping file's lines as old id to new id. */
    private static Map<Long, Long> mapping(Path file) throws Exception {
        Map<Long, Long> map = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split(" ");
            assertEquals(2, parts.length, line);
            assertEquals(null, map.put(Long.parseLong(parts[0]), Long.parseLong(parts[1])), line);
        }
        return map;
    }

    /**
     * Runs {@code run} with the test access key and {@code secret} in the SDK's credential system
     * properties, then puts back what they held.
     */
    private static <T> T withSdkCredentials(String secret, Callable<T> run) throws Exception {
        String accessBefore = System.getProperty("aws.accessKeyId");
        String secretBefore = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", TestS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", secret);
        try {
            return run.call();
        } finally {
            restore("aws.accessKeyId", accessBefore);
            restore("aws.secretAccessKey", secretBefore);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
