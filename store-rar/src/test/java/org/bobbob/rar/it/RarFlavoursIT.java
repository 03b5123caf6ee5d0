package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.util.VersionInfo;

/**
 * The two RARs the build makes (no server): {@code store-rar.rar} holds the adapter and
 * store-core and nothing of S3; {@code store-rar-s3.rar} holds the same entries, byte for byte,
 * plus store-s3 and its dependencies at the versions store-s3 is built with, and no Netty.
 */
class RarFlavoursIT {
    private static final Set<String> PLAIN_JARS = Set.of("store-rar.jar", "store-core-", "ironjacamar-core-api-");

    private static Map<String, Long> entries(String property) throws IOException {
        String path = System.getProperty(property);
        assertTrue(path != null, property + " is not set; run through failsafe");
        Map<String, Long> crcs = new TreeMap<>();
        try (JarFile rar = new JarFile(new File(path))) {
            for (ZipEntry e : rar.stream().toList()) {
                if (!e.isDirectory() && !e.getName().startsWith("META-INF/maven/")) {
                    crcs.put(e.getName(), e.getCrc());
                }
            }
        }
        return crcs;
    }

    private static String dependencies(String property) throws IOException {
        try (JarFile rar = new JarFile(new File(System.getProperty(property)))) {
            return rar.getManifest().getMainAttributes().getValue("Dependencies");
        }
    }

    private static Set<String> jars(Map<String, Long> entries) {
        Set<String> jars = new TreeSet<>();
        for (String name : entries.keySet()) {
            if (name.endsWith(".jar")) {
                jars.add(name);
            }
        }
        return jars;
    }

    @Test
    void thePlainRarHoldsTheAdapterAndStoreCoreOnly() throws IOException {
        Map<String, Long> plain = entries("store.rar");
        Set<String> jars = jars(plain);
        assertEquals(3, jars.size(), jars.toString());
        for (String prefix : PLAIN_JARS) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix)), prefix + " in " + jars);
        }
        assertTrue(plain.containsKey("META-INF/ironjacamar.xml"), plain.keySet().toString());
        assertEquals("jdk.jfr", dependencies("store.rar"));
    }

    @Test
    void theS3RarIsThePlainOnePlusStoreS3AndItsDependencies() throws IOException {
        Map<String, Long> plain = entries("store.rar");
        Map<String, Long> s3 = entries("store.rar.s3");
        for (Map.Entry<String, Long> e : plain.entrySet()) {
            if (!e.getKey().equals("META-INF/MANIFEST.MF")) {
                assertEquals(e.getValue(), s3.get(e.getKey()), "the same bytes: " + e.getKey());
            }
        }
        Set<String> added = jars(s3);
        added.removeAll(jars(plain));
        String sdk = VersionInfo.SDK_VERSION;
        for (String jar : new String[] {
            "s3-" + sdk + ".jar", "sdk-core-" + sdk + ".jar", "auth-" + sdk + ".jar", "apache5-client-" + sdk + ".jar"
        }) {
            assertTrue(added.contains(jar), jar + " in " + added);
        }
        assertTrue(added.stream().anyMatch(j -> j.startsWith("store-s3-")), added.toString());
        assertTrue(added.stream().anyMatch(j -> j.startsWith("httpclient5-")), added.toString());
        assertTrue(added.stream().noneMatch(j -> j.contains("netty")), "no Netty: " + added);
        // every SDK module at the one version store-s3 is built with (none of S3Proxy's)
        Set<String> sdkModules = Set.of(
                "s3-",
                "sdk-core-",
                "auth-",
                "regions-",
                "aws-core-",
                "http-auth-aws-",
                "http-auth-aws-eventstream-",
                "aws-query-protocol-",
                "aws-xml-protocol-",
                "utils-",
                "profiles-");
        for (String module : sdkModules) {
            assertTrue(added.contains(module + sdk + ".jar"), module + sdk + ".jar in " + added);
        }
        assertEquals("jdk.jfr, jdk.net", dependencies("store.rar.s3"));
    }
}
