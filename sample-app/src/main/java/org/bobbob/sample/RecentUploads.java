package org.bobbob.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last {@value #KEEP} uploads, newest first, for the page's list. Kept in memory only: the
 * blobs survive a restart, this list does not. Thread-safe.
 */
@ApplicationScoped
public class RecentUploads {
    static final int KEEP = 50;

    private record Upload(String id, String name, long size, Instant at) {}

    private final Deque<Upload> uploads = new ArrayDeque<>();

    public synchronized void add(long id, String name, long size) {
        uploads.addFirst(new Upload(Long.toString(id), name, size, Instant.now()));
        while (uploads.size() > KEEP) {
            uploads.removeLast();
        }
    }

    public synchronized void remove(long id) {
        String key = Long.toString(id);
        uploads.removeIf(u -> u.id.equals(key));
    }

    public synchronized String toJson() {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (Upload u : uploads) {
            list.add(Json.createObjectBuilder()
                    .add("id", u.id)
                    .add("name", u.name)
                    .add("size", u.size)
                    .add("at", u.at.toString()));
        }
        return list.build().toString();
    }
}
