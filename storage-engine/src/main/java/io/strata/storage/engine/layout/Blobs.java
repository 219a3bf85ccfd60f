package io.strata.storage.engine.layout;

import io.strata.storage.spi.blob.BlobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Blocking helpers over the backend SPI for the engine's own threads. Stateless. */
public final class Blobs {
    private static final int PAGE = 1000;

    private Blobs() {}

    /** Waits for a stage, rethrowing its runtime failure as itself (not wrapped). */
    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Every key under {@code prefix}, in order, page by page. */
    public static List<String> listAll(BlobStore data, String prefix) {
        List<String> out = new ArrayList<>();
        String after = null;
        while (true) {
            var page = join(data.list(prefix, after, PAGE));
            page.forEach(i -> out.add(i.key()));
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    /** Every key of every table, grouped by table root (in order). */
    public static TreeMap<String, List<String>> tableKeys(BlobStore data) {
        TreeMap<String, List<String>> byTable = new TreeMap<>();
        for (String k : listAll(data, StorageKeys.TABLES)) {
            Optional<String> root = StorageKeys.tableRootOf(k);
            if (root.isPresent()) {
                byTable.computeIfAbsent(root.get(), x -> new ArrayList<>()).add(k);
            }
        }
        return byTable;
    }
}
