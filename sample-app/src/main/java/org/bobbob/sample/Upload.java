package org.bobbob.sample;

import java.time.Instant;

/**
 * A stored upload's new object and what describes it, before its row takes it.
 *
 * @param contentType {@code null} when the request named none (a replacement keeps the row's)
 */
record Upload(long objectId, long size, String sha256, String name, String contentType, Instant at) {
    static final String DEFAULT_TYPE = "application/octet-stream";
}
