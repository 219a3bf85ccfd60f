package io.strata.gateway.admin;

import io.strata.gateway.storage.StorageAssembly;
import io.strata.storage.spi.EngineStats;
import io.strata.storage.spi.RepairPass;
import io.strata.storage.spi.RepairStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Storage status for operators and monitoring ({@code GET /admin/storage}): the backend, the engine's
 * statistics (writer epoch and fencing, commit log, memtables, segments, caches, write amplification) and
 * zone repair progress, all through the storage SPI. {@code POST /admin/storage/repair} runs a zone repair
 * pass now. {@code POST /admin/storage/keys/rotate} rotates the master key (re-wrapping every data key, no data
 * rewritten); {@code POST /admin/storage/keys/<tenant>/rotate} starts a new data key for a tenant. Bound to the
 * admin HTTP port; operators only. {@code POST /admin/storage/compact} merges every table's segments into one (as
 * {@code nodetool compact}); {@code POST /admin/storage/gc} runs garbage collection now.
 */
@Path("/admin/storage")
public class StorageResource {
    @Inject
    StorageAssembly storage;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        EngineStats s = storage.engine().stats();
        RepairStatus repair = storage.repair().status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backend", storage.description());
        out.put("writerEpoch", s.writerEpoch());
        out.put("fenced", s.fenced());
        out.put("commitLog", s.commitLog());
        out.put("commitLogBytes", s.commitLogBytes());
        out.put("memtableBytes", s.memtableBytes());
        out.put("tables", s.tables());
        out.put("segments", s.segments());
        out.put("blockCacheBytes", s.blockCacheBytes());
        out.put("blockCacheHitRate", s.blockCacheHitRate());
        out.put("diskCacheBytes", s.diskCacheBytes());
        out.put("bytesFlushed", s.bytesFlushed());
        out.put("bytesCompacted", s.bytesCompacted());
        out.put("writeAmplification", s.writeAmplification());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("passes", repair.passes());
        r.put("blobsCopied", repair.blobsCopied());
        repair.last().ifPresent(last -> r.put("last", last));
        out.put("zoneRepair", r);
        Map<String, Object> enc = new LinkedHashMap<>();
        enc.put("enabled", storage.keyProvider().isPresent());
        storage.keyProvider().ifPresent(k -> enc.put("masterKeyId", k.currentKeyId()));
        out.put("encryption", enc);
        return out;
    }

    @POST
    @Path("keys/rotate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotateMasterKey() {
        if (storage.keyProvider().isEmpty()) {
            return encryptionOff();
        }
        int n = storage.rotateMasterKey();
        return Response.ok(Map.of("masterKeyId", storage.keyProvider().get().currentKeyId(), "dataKeysRewrapped", n))
                .build();
    }

    @POST
    @Path("keys/{tenant}/rotate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotateDataKey(@PathParam("tenant") @jakarta.validation.constraints.Pattern(
            regexp = "[A-Za-z0-9_-]{1,64}", message = "not a tenant name") String tenant) {
        if (storage.keyProvider().isEmpty()) {
            return encryptionOff();
        }
        return Response.ok(Map.of("tenant", tenant, "dataKeyVersion", storage.rotateDataKey(tenant))).build();
    }

    private static Response encryptionOff() {
        return AdminProblems.problem(409, "Encryption at rest is off",
                "strata.storage.encryption.enabled is false: there are no keys to rotate");
    }

    @POST
    @Path("compact")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> compact() {
        long started = System.nanoTime();
        storage.compactFully();
        return Map.of("compacted", true, "seconds", (System.nanoTime() - started) / 1e9);
    }

    @POST
    @Path("gc")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> collectGarbage() {
        storage.collectGarbage();
        return Map.of("collected", true);
    }

    @POST
    @Path("repair")
    @Produces(MediaType.APPLICATION_JSON)
    public RepairPass repairNow() {
        return storage.repair().runOnce();
    }
}
