package io.strata.storage.spi.blob;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Append logs made of chunks (one group commit = one chunk). A log has a name; its chunks are numbered by
 * the writer, strictly increasing. {@link #append} is durable when its stage completes normally, and a
 * chunk is either wholly present or absent after a crash (a torn local append is detected by checksum
 * and dropped on read: it was never acknowledged). Only one writer appends to a log (the engine fences
 * writers by epoch above this SPI). Thread-safe.
 */
public interface LogStore extends AutoCloseable {
    /** A chunk as stored: its sequence number and bytes. */
    record Chunk(long sequence, byte[] data) {}

    /** Appends a chunk; {@code sequence} must be positive and greater than every earlier chunk of this log. */
    CompletionStage<Void> append(String log, long sequence, byte[] data);

    /**
     * How many appends to one log a writer may have in flight at once, issued in sequence order; 1 (the default)
     * means each append is issued after the previous one completed. A store whose chunks are independent objects
     * (one per sequence number) can take several, so a writer pipelines its group commits over the store's
     * latency. After a crash a later chunk may then be present without an earlier one; neither was acknowledged
     * (writers acknowledge in sequence order), and readers take what is there.
     */
    default int maxAppendsInFlight() {
        return 1;
    }

    /** Every intact chunk of the log in sequence order (empty for an unknown log). */
    CompletionStage<List<Chunk>> read(String log);

    /** Names of logs whose name starts with {@code prefix}, sorted. */
    CompletionStage<List<String>> list(String prefix);

    /** Deletes a whole log; a missing log is ignored. */
    CompletionStage<Void> delete(String log);

    @Override
    void close();
}
