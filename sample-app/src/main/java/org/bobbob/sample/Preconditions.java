package org.bobbob.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code If-Match} and {@code If-None-Match} against a blob's strong ETag (its SHA-256 in quotes),
 * RFC 9110 section 13: {@code If-Match} compares strongly (a weak tag never matches),
 * {@code If-None-Match} weakly; {@code *} matches any existing blob. Changes check them inside
 * their transaction, on the row they lock, so two clients that read the same ETag cannot both
 * replace it: the second gets 412.
 */
final class Preconditions {
    private final List<String> ifMatch;
    private final List<String> ifNoneMatch;

    private Preconditions(List<String> ifMatch, List<String> ifNoneMatch) {
        this.ifMatch = ifMatch;
        this.ifNoneMatch = ifNoneMatch;
    }

    /** From the headers' values, each {@code null} when absent. */
    static Preconditions of(String ifMatch, String ifNoneMatch) {
        return new Preconditions(tags(ifMatch), tags(ifNoneMatch));
    }

    /** For a change ({@code PUT}, {@code DELETE}): a 412 unless they hold for {@code current}. */
    void checkChange(BlobInfo current) {
        if (ifMatch != null && !matches(ifMatch, current, true)) {
            throw new BadInput(
                    412,
                    current == null
                            ? "If-Match: the blob does not exist"
                            : "If-Match: the blob's ETag is " + current.etag() + " now; nothing changed");
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, current, false)) {
            throw new BadInput(412, "If-None-Match: the blob exists with ETag " + current.etag() + "; nothing changed");
        }
    }

    /** For a read: whether {@code If-None-Match} matches, so the answer is 304. */
    boolean notModified(BlobInfo current) {
        return ifNoneMatch != null && matches(ifNoneMatch, current, false);
    }

    private static boolean matches(List<String> tags, BlobInfo current, boolean strong) {
        if (current == null) {
            return false;
        }
        for (String tag : tags) {
            if (tag.equals("*")) {
                return true;
            }
            boolean weak = tag.startsWith("W/");
            String opaque = weak ? tag.substring(2) : tag;
            if ((!weak || !strong) && opaque.equals(current.etag())) {
                return true;
            }
        }
        return false;
    }

    /** The header's entity tags, {@code null} if absent; {@code "a", W/"b"} gives two. */
    private static List<String> tags(String header) {
        if (header == null) {
            return null;
        }
        List<String> tags = new ArrayList<>();
        for (String t : header.split(",")) {
            if (!t.isBlank()) {
                tags.add(t.trim());
            }
        }
        return tags;
    }
}
