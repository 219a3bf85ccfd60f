package io.strata.cql.request;

import java.util.ArrayList;
import java.util.List;

/**
 * The warnings a request collects for its response (native protocol v4+ sends them in the frame; drivers
 * log them), as Cassandra warns about aggregations without a partition key or large batches.
 * Thread-safe.
 */
public final class Warnings {
    private List<String> messages;

    public synchronized void add(String message) {
        if (messages == null) {
            messages = new ArrayList<>(2);
        }
        if (!messages.contains(message)) {
            messages.add(message);
        }
    }

    public synchronized List<String> all() {
        return messages == null ? List.of() : List.copyOf(messages);
    }
}
