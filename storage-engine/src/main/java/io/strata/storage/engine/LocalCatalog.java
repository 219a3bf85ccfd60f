package io.strata.storage.engine;

import io.strata.storage.spi.CatalogStore;
import io.strata.storage.spi.CommitConflictException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Catalog documents as files {@code catalog/<name>/<version 20 digits>}: a commit creates version N+1
 * exclusively (hard link of a forced temp file, which fails if another writer got there first), so
 * compare-and-set holds across processes sharing the directory. Old versions are kept (point-in-time
 * recovery reads them later). Thread-safe.
 */
final class LocalCatalog implements CatalogStore {
    private final Path root;
    private final Executor executor;

    LocalCatalog(Path root, Executor executor) throws IOException {
        this.root = root;
        this.executor = executor;
        Files.createDirectories(root);
    }

    private Path dir(String name) {
        if (name.contains("..") || name.startsWith("/")) {
            throw new IllegalArgumentException("bad catalog name " + name);
        }
        return root.resolve(name);
    }

    @Override
    public CompletionStage<Optional<Versioned>> load(String name) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                long v = latest(dir(name));
                if (v == 0) {
                    return Optional.empty();
                }
                return Optional.of(new Versioned(v, Files.readAllBytes(dir(name).resolve(String.format("%020d", v)))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    private static long latest(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}"))
                    .mapToLong(Long::parseLong).max().orElse(0);
        }
    }

    @Override
    public CompletionStage<Long> commit(String name, long expectedVersion, byte[] content) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Path d = dir(name);
                Files.createDirectories(d);
                long current = latest(d);
                if (current != expectedVersion) {
                    throw new CommitConflictException("catalog " + name + " is at version " + current + ", not " + expectedVersion);
                }
                long next = expectedVersion + 1;
                if (!Fsync.createExclusive(d.resolve(String.format("%020d", next)), content)) {
                    throw new CommitConflictException("catalog " + name + " version " + next + " was committed concurrently");
                }
                return next;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    @Override
    public CompletionStage<List<String>> list(String prefix) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> names = new ArrayList<>();
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(Files::isDirectory).map(p -> root.relativize(p).toString())
                        .filter(n -> !n.isEmpty() && n.startsWith(prefix))
                        .forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            names.sort(String::compareTo);
            return names;
        }, executor);
    }
}
