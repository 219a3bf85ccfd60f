package io.strata.gateway.admin;

import io.strata.gateway.config.StorageRuntime;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.ZoneRepair;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Storage status for operators and monitoring ({@code GET /admin/storage}): the backend, the writer epoch
 * and whether it was fenced, cache sizes and hit rate, write amplification, and zone repair progress.
 * {@code POST /admin/storage/repair} runs a zone repair pass now. Bound to the admin HTTP port.
 */
@Path("/admin/storage")
public class StorageResource {
    @Inject
    StorageRuntime storage;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        LsmEngine engine = storage.engine();
        ZoneRepair repair = storage.repair();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backend", storage.description());
        out.put("writerEpoch", engine.epoch());
        out.put("fenced", engine.isFenced());
        out.put("commitLog", engine.currentLogName());
        out.put("blockCacheBytes", engine.blockCacheBytes());
        out.put("blockCacheHitRate", engine.blockCacheHitRate());
        out.put("diskCacheBytes", engine.diskCacheBytes());
        out.put("writeAmplification", engine.writeAmplification());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("passes", repair.passes());
        r.put("blobsCopied", repair.copiedTotal());
        repair.lastReport().ifPresent(last -> r.put("last", last));
        out.put("zoneRepair", r);
        return out;
    }

    @POST
    @Path("repair")
    @Produces(MediaType.APPLICATION_JSON)
    public ZoneRepair.Report repairNow() {
        return storage.repair().runOnce();
    }
}
