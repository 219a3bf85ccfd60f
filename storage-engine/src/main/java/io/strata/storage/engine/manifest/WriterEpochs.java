package io.strata.storage.engine.manifest;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.PreconditionFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writer epochs: each opening engine claims max+1 by creating {@code epoch/<n>} only if absent, so two
 * engines never hold the same epoch, and a newer writer fences every older one (through the manifests it
 * commits, see {@link ManifestStore}). Epochs fence without clocks, unlike leases. Stateless.
 */
public final class WriterEpochs {
    private static final Logger LOG = Logger.getLogger(WriterEpochs.class);

    private WriterEpochs() {}

    /**
     * Claims the next epoch. A claim that raced another is retried with the next number; an inconclusive
     * one is decided by the unique token written (read back).
     */
    public static long claim(BlobStore data, Clock clock) {
        while (true) {
            long max = 0;
            for (String key : Blobs.listAll(data, StorageKeys.EPOCHS)) {
                if (StorageKeys.isEpoch(key)) {
                    max = Math.max(max, StorageKeys.epochOf(key));
                }
            }
            long next = max + 1;
            byte[] token = ("epoch " + next + " " + UUID.randomUUID() + " pid " + ProcessHandle.current().pid()
                    + " at " + clock.instant()).getBytes(StandardCharsets.UTF_8);
            try {
                Blobs.join(data.put(StorageKeys.epoch(next), token, PutMode.CREATE_IF_ABSENT));
                return next;
            } catch (PreconditionFailedException raced) {
                LOG.infof("writer epoch %d was claimed concurrently; trying the next one", next);
            } catch (StorageException inconclusive) {
                byte[] stored;
                try {
                    stored = Blobs.join(data.readAll(StorageKeys.epoch(next)));
                } catch (io.strata.storage.spi.blob.NoSuchBlobException minorityOnly) {
                    continue; // the claim reached no quorum: claim the next epoch
                }
                if (Arrays.equals(stored, token)) {
                    return next;
                }
            }
        }
    }
}
