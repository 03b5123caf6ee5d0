package org.bobbob.sample;

/**
 * The one byte range of a {@code Range: bytes=...} header (RFC 9110 section 14): {@code a-b},
 * {@code a-} and the suffix {@code -n}, clipped to the blob's size. A header with several ranges,
 * another unit or bad syntax is ignored (the whole blob is sent, as the RFC allows); a
 * well-formed range that starts at or past the end is unsatisfiable (416).
 *
 * @param first first byte sent
 * @param last last byte sent, inclusive
 */
record ByteRange(long first, long last) {

    /** Bytes in the range. */
    long length() {
        return last - first + 1;
    }

    /** {@code Content-Range} of a 206. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range {@code header} asks of a blob of {@code size} bytes; {@code null} for the whole
     * blob.
     *
     * @throws Unsatisfiable if it asks for no byte the blob has
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    throw new Unsatisfiable(size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null; // syntactically invalid: ignored
            }
            if (first >= size) {
                throw new Unsatisfiable(size);
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A range past the blob's end: 416 with {@code Content-Range: bytes }{@code *}{@code /size}. */
    static final class Unsatisfiable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long size;

        Unsatisfiable(long size) {
            super("the range asks for bytes past the blob's end (" + size + " bytes)", null, false, false);
            this.size = size;
        }
    }
}
