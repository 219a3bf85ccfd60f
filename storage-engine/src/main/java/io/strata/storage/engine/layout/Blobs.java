package io.strata.storage.engine.layout;

import io.strata.storage.spi.blob.BlobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/** Blocking helpers over the backend SPI for the engine's own threads. Stateless. */
public final class Blobs {
    private static final int PAGE = 1000;

    private Blobs() {}

    /** Waits for a stage, rethrowing its runtime failure as itself (not wrapped). */
    public static <T> T join(CompletionStage<T> stage) {
        return BlobStore.join(stage);
    }

    /** Every key under {@code prefix}, in order, page by page. */
    public static List<String> listAll(BlobStore data, String prefix) {
        List<String> keys = new ArrayList<>();
        listInfos(data, prefix).forEach(i -> keys.add(i.key()));
        return keys;
    }

    /** Every blob (key and size) under {@code prefix}, in order, page by page. */
    public static List<BlobStore.BlobInfo> listInfos(BlobStore data, String prefix) {
        List<BlobStore.BlobInfo> out = new ArrayList<>();
        String after = null;
        while (true) {
            var page = join(data.list(prefix, after, PAGE));
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    /** Every key of every table, grouped by table root (in order). */
    public static TreeMap<String, List<String>> tableKeys(BlobStore data) {
        TreeMap<String, List<String>> byTable = new TreeMap<>();
        tableBlobs(data).forEach((root, infos) -> byTable.put(root,
                new ArrayList<>(infos.stream().map(BlobStore.BlobInfo::key).toList())));
        return byTable;
    }

    /** Every blob of every table with its size, grouped by table root (in order). */
    public static TreeMap<String, List<BlobStore.BlobInfo>> tableBlobs(BlobStore data) {
        TreeMap<String, List<BlobStore.BlobInfo>> byTable = new TreeMap<>();
        for (BlobStore.BlobInfo i : listInfos(data, StorageKeys.TABLES)) {
            Optional<String> root = StorageKeys.tableRootOf(i.key());
            if (root.isPresent()) {
                byTable.computeIfAbsent(root.get(), x -> new ArrayList<>()).add(i);
            }
        }
        return byTable;
    }
}
