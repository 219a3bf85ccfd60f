package io.strata.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where and how Strata keeps data ({@code strata.storage.*}). */
@ConfigMapping(prefix = "strata.storage")
public interface StorageConfig {
    /**
     * The backend, by the name of its {@code StorageBackend} bean: {@code local} (zone directories on local
     * disks) or {@code s3} (S3-compatible buckets). An unknown name fails the startup, listing the known ones.
     */
    @WithDefault("local")
    String type();

    /** Local settings (also the working directory of the S3 backend: lock, scratch files, disk cache). */
    Local local();

    /** S3 backend settings. */
    S3 s3();

    /** Engine tuning. */
    Engine engine();

    /** Encryption at rest (docs/security.md, "Data protection"). */
    Encryption encryption();

    /**
     * Rejects values out of range, every violation in one message. Checked in code, not with Bean Validation
     * constraints: those make Quarkus build a second validator factory while it boots, about 0.4 s of the start.
     */
    static void check(StorageConfig c) {
        List<String> problems = new java.util.ArrayList<>();
        if (!c.s3().commitLog().equals("s3") && !c.s3().commitLog().equals("local")) {
            problems.add("strata.storage.s3.commit-log must be 's3' or 'local', not '" + c.s3().commitLog() + "'");
        }
        Engine e = c.engine();
        if (!(e.tenantThreadShare() > 0 && e.tenantThreadShare() <= 1)) {
            problems.add("strata.storage.engine.tenant-thread-share must be greater than 0 and at most 1, not "
                    + e.tenantThreadShare());
        }
        if (e.tenantQueueLimit() < 1) {
            problems.add("strata.storage.engine.tenant-queue-limit must be at least 1, not " + e.tenantQueueLimit());
        }
        if (e.cellTargetBytes() < 65536) {
            problems.add("strata.storage.engine.cell-target-bytes must be at least 65536, not " + e.cellTargetBytes());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
    }

    interface Encryption {
        /**
         * Encrypt segments, commit-log records, manifests, table identities and the catalog with AES-256-GCM under
         * per-tenant data keys (on by default, as in Keyspaces). What was written encrypted needs the keys even
         * after this is turned off.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The master key provider: {@code local} (key files in {@code key-dir}) or the name of a
         * {@code KeyProviderFactory} on the class path (an external KMS).
         */
        @WithDefault("local")
        String provider();

        /**
         * The local provider's master keys; default {@code <strata.storage.local.path>/keys/master}, created with a
         * first key on first start. Keep it apart from the data (and backed up): a lost key makes the data unreadable.
         */
        Optional<Path> keyDir();

        /** Settings handed to an external provider's factory ({@code strata.storage.encryption.settings.<key>}). */
        java.util.Map<String, String> settings();
    }

    interface Local {
        /** Data directory: zones, signing keys, the dev token, and local working files. */
        @WithDefault("./data")
        Path path();

        /**
         * Zone directories (failure domains: one per disk in production), each holding a copy of the commit log
         * and of the data. A write is acknowledged once a quorum of them forced it. Default: three directories
         * {@code <path>/storage/zone-a..c}. With {@code type=s3} and {@code s3.commit-log=local}, these hold the
         * commit log only.
         */
        Optional<List<Path>> zones();
    }

    interface S3 {
        /** One bucket per zone: 3 (replicated by Strata, 2 of 3 acknowledge) or 1 (a store that replicates itself). */
        Optional<List<String>> buckets();

        /** Endpoint URLs: none (AWS), one shared by every bucket, or one per bucket. */
        Optional<List<String>> endpoints();

        @WithDefault("us-east-1")
        String region();

        /** Static credentials; when absent, the AWS default chain (environment, profile, instance role). */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Path-style addressing (MinIO, S3Proxy, most self-hosted stores). */
        @WithDefault("true")
        boolean pathStyle();

        /** Key prefix inside each bucket, so several deployments can share buckets. */
        @WithDefault("strata/")
        String prefix();

        /**
         * Where the commit log lives: {@code s3} (one object per group commit in the buckets; gateways stay
         * stateless, a write waits for an S3 PUT) or {@code local} (the local zone directories; lower latency,
         * but the node's disks hold unflushed writes).
         */
        @WithDefault("s3")
        String commitLog();

        /** Bytes of segments cached on local disk. */
        @WithDefault("1073741824")
        long diskCacheBytes();
    }

    interface Engine {
        /**
         * Memtables of all tables are flushed once together they exceed this; writers wait while they exceed four
         * times it. Default: sized from the heap (1/16 of it, 4 to 64 MiB; see {@code EngineOptions.HeapBudget}).
         */
        Optional<Long> flushThresholdBytes();

        /**
         * Threads serving reads (a read blocks its thread on a block fetch): default the core count on local
         * disks, 64 on S3, where a cold block is a ranged GET of a few milliseconds.
         */
        Optional<Integer> readThreads();

        /**
         * The share of the read threads (and of the conditional-write threads) one tenant may occupy at once,
         * greater than 0 and at most 1: {@code ceil(share × threads)}, at least 1; below 1, a flooding tenant
         * always leaves a thread to the others. Idle threads otherwise serve whoever has work.
         */
        @WithDefault("1.0")
        double tenantThreadShare();

        /**
         * Reads (and, separately, conditional writes) one tenant may have waiting for a thread; beyond it a request
         * is answered OVERLOADED at once.
         */
        @WithDefault("10000")
        int tenantQueueLimit();

        /** Uncompressed segment blocks cached in memory. Default: an eighth of the heap. */
        Optional<Long> blockCacheBytes();

        /**
         * Flushes and compactions cut a table's segments into token cells of at least this many bytes, so a
         * compaction rewrites cells, never a whole table (docs/design/0002-storage-engine.md, "Compaction").
         */
        @WithDefault("8388608")
        long cellTargetBytes();

        /**
         * How long tables with point-in-time recovery keep their history (superseded segments, manifests, flushed
         * commit logs): Keyspaces' 35 days. Tables without it keep none beyond a one-minute grace.
         */
        @WithDefault("35d")
        java.time.Duration retention();

        /** How often garbage collection runs (it is what removes compaction inputs and recycled history). */
        @WithDefault("10s")
        java.time.Duration gcInterval();

        /** How often zones are compared and lagging ones rebuilt. */
        @WithDefault("5m")
        java.time.Duration repairInterval();
    }
}
