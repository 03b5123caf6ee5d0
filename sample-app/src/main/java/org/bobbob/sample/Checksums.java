package org.bobbob.sample;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The digests an upload is checked against: {@code Content-MD5} (base64 of the MD5, RFC 1864)
 * and {@code x-checksum-sha256} (the SHA-256 in hex or base64). The SHA-256 is always computed
 * (it is the ETag); the MD5 only when the request names one. A mismatch is a 400 thrown before
 * the commit, so nothing is stored.
 */
final class Checksums {
    static final String MD5_HEADER = "Content-MD5";
    static final String SHA256_HEADER = "x-checksum-sha256";

    private final byte[] md5;
    private final byte[] sha256;
    private final MessageDigest md5Digest;
    private final MessageDigest sha256Digest = digest("SHA-256");

    private Checksums(byte[] md5, byte[] sha256) {
        this.md5 = md5;
        this.sha256 = sha256;
        this.md5Digest = md5 == null ? null : digest("MD5");
    }

    /** From the two headers' values, each {@code null} when absent. */
    static Checksums expecting(String contentMd5, String xChecksumSha256) {
        return new Checksums(
                contentMd5 == null ? null : decode(MD5_HEADER, contentMd5, 16),
                xChecksumSha256 == null ? null : decode(SHA256_HEADER, xChecksumSha256, 32));
    }

    /** Checks nothing besides computing the SHA-256. */
    static Checksums none() {
        return new Checksums(null, null);
    }

    /** Feeds the digests with the next bytes of the body. */
    void update(byte[] b, int off, int len) {
        sha256Digest.update(b, off, len);
        if (md5Digest != null) {
            md5Digest.update(b, off, len);
        }
    }

    /** The SHA-256 of the body, hex; a 400 if it or the MD5 is not what the request said. */
    String verify() {
        byte[] sha = sha256Digest.digest();
        if (sha256 != null && !MessageDigest.isEqual(sha, sha256)) {
            throw mismatch(
                    SHA256_HEADER,
                    HexFormat.of().formatHex(sha256),
                    HexFormat.of().formatHex(sha));
        }
        if (md5Digest != null) {
            byte[] got = md5Digest.digest();
            if (!MessageDigest.isEqual(got, md5)) {
                Base64.Encoder b64 = Base64.getEncoder();
                throw mismatch(MD5_HEADER, b64.encodeToString(md5), b64.encodeToString(got));
            }
        }
        return HexFormat.of().formatHex(sha);
    }

    private static BadInput mismatch(String header, String said, String got) {
        return new BadInput(400, header + " says " + said + " but the body's is " + got + "; nothing is stored");
    }

    private static byte[] decode(String header, String value, int bytes) {
        String v = value.trim();
        try {
            if (v.length() == bytes * 2 && v.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(v);
            }
            byte[] b = Base64.getDecoder().decode(v);
            if (b.length == bytes) {
                return b;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw new BadInput(
                400,
                header + " '" + value + "' is not a " + (bytes * 8) + "-bit digest in base64"
                        + (bytes == 32 ? " or hex" : ""));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }
}
