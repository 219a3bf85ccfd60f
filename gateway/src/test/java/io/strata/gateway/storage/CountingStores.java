package io.strata.gateway.storage;

import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** Stores that count how often they were closed, delegating everything else. */
final class CountingStores {
    private CountingStores() {}

    interface Counted {
        int closes();
    }

    static final class Blobs implements BlobStore, Counted {
        private final BlobStore delegate;
        private final AtomicInteger closes = new AtomicInteger();

        Blobs(BlobStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public int closes() {
            return closes.get();
        }

        @Override
        public CompletionStage<Optional<BlobInfo>> head(String key) {
            return delegate.head(key);
        }

        @Override
        public CompletionStage<byte[]> read(String key, long offset, int length) {
            return delegate.read(key, offset, length);
        }

        @Override
        public CompletionStage<byte[]> readAll(String key) {
            return delegate.readAll(key);
        }

        @Override
        public CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
            return delegate.put(key, content, mode);
        }

        @Override
        public CompletionStage<BlobInfo> put(String key, Path file, PutMode mode) {
            return delegate.put(key, file, mode);
        }

        @Override
        public CompletionStage<List<BlobInfo>> list(String prefix, String startAfter, int max) {
            return delegate.list(prefix, startAfter, max);
        }

        @Override
        public CompletionStage<Void> delete(Collection<String> keys) {
            return delegate.delete(keys);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            delegate.close();
        }
    }

    static final class Logs implements LogStore, Counted {
        private final LogStore delegate;
        private final AtomicInteger closes = new AtomicInteger();

        Logs(LogStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public int closes() {
            return closes.get();
        }

        @Override
        public CompletionStage<Void> append(String log, long sequence, byte[] data) {
            return delegate.append(log, sequence, data);
        }

        @Override
        public CompletionStage<List<Chunk>> read(String log) {
            return delegate.read(log);
        }

        @Override
        public CompletionStage<List<String>> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public CompletionStage<Void> delete(String log) {
            return delegate.delete(log);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            delegate.close();
        }
    }
}
