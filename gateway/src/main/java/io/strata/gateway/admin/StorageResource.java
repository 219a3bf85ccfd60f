package io.strata.gateway.admin;

import io.strata.gateway.storage.StorageAssembly;
import io.strata.storage.spi.EngineStats;
import io.strata.storage.spi.RepairPass;
import io.strata.storage.spi.RepairStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Storage status for operators and monitoring ({@code GET /admin/storage}): the backend, the engine's
 * statistics (writer epoch and fencing, commit log, memtables, segments, caches, write amplification) and
 * zone repair progress, all through the storage SPI. {@code POST /admin/storage/repair} runs a zone repair
 * pass now. Bound to the admin HTTP port.
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
        return out;
    }

    @POST
    @Path("repair")
    @Produces(MediaType.APPLICATION_JSON)
    public RepairPass repairNow() {
        return storage.repair().runOnce();
    }
}
