package org.bobbob.sample.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Users of WildFly's application realm, as {@code bin/add-user.sh -a} writes them, without
 * starting a JVM per user: {@code application-users.properties} holds
 * {@code user=HEX(MD5(user:ApplicationRealm:password))} and {@code application-roles.properties}
 * {@code user=role1,role2}. A user already there gets the new password and roles. The server
 * rereads both files when they change.
 *
 * <p>{@link #main}: {@code configurationDir user:password:role1,role2 ...}; the build gives the
 * integration tests' users to the unpacked server this way; {@link SampleServer} its demo user.
 */
public final class AppUsers {
    static final String REALM = "ApplicationRealm";
    static final String USERS = "application-users.properties";
    static final String ROLES = "application-roles.properties";

    private AppUsers() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            String[] f = args[i].split(":", 3);
            put(dir, f[0], f[1], f.length > 2 ? f[2] : "");
        }
    }

    /** Adds or updates {@code user} in {@code configurationDir}'s two files. */
    static void put(Path configurationDir, String user, String password, String roles) throws IOException {
        set(configurationDir.resolve(USERS), user, hash(user, password));
        set(configurationDir.resolve(ROLES), user, roles);
    }

    static String hash(String user, String password) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5")
                    .digest((user + ":" + REALM + ":" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    private static void set(Path file, String key, String value) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith(key + "=")) {
                out.add(line);
            }
        }
        out.add(key + "=" + value);
        Files.write(file, out, StandardCharsets.UTF_8);
    }
}
