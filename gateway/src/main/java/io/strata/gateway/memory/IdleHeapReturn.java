package io.strata.gateway.memory;

import static java.util.Objects.requireNonNull;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes G1 hand heap it no longer needs back to the operating system once the gateway goes quiet, unless the
 * operator chose otherwise with JVM flags. After a burst G1 keeps the heap it grew to (a gateway at the default
 * heap, a quarter of the machine's memory, held 3.3 GB resident for 100 MB of live data after an overload); with a
 * periodic collection when no collection ran for {@code interval}, and heap shrunk down to 30 % free after a
 * collection, resident memory falls back once the load does. Only G1's manageable flags are set, and only those
 * still at their defaults; a JVM without them (another collector) is left as it is.
 *
 * <p>Stateless; {@link #apply} may be called from any thread.
 */
public final class IdleHeapReturn {
    static final String PERIODIC_GC = "G1PeriodicGCInterval";
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";

    private IdleHeapReturn() {}

    /** What was set, as a sentence for the log, or empty when nothing was (disabled, not G1, or set by flags). */
    public static Optional<String> apply(Duration interval) {
        requireNonNull(interval, "interval is null");
        return apply(interval, ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
    }

    static Optional<String> apply(Duration interval, HotSpotDiagnosticMXBean vm) {
        if (interval.isZero() || interval.isNegative() || !"true".equals(value(vm, "UseG1GC"))) {
            return Optional.empty();
        }
        if (!isDefault(vm, PERIODIC_GC) || !isDefault(vm, MIN_FREE) || !isDefault(vm, MAX_FREE)) {
            return Optional.empty(); // the operator tuned these: theirs to keep
        }
        vm.setVMOption(MIN_FREE, "10"); // first: MinHeapFreeRatio may never exceed MaxHeapFreeRatio
        vm.setVMOption(MAX_FREE, "30");
        vm.setVMOption(PERIODIC_GC, Long.toString(Math.max(1, interval.toMillis())));
        return Optional.of("G1 returns unused heap to the system after " + interval.toSeconds()
                + " s without a collection (strata.memory.return-idle-heap-after; 0 turns this off)");
    }

    private static String value(HotSpotDiagnosticMXBean vm, String flag) {
        try {
            return vm.getVMOption(flag).getValue();
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static boolean isDefault(HotSpotDiagnosticMXBean vm, String flag) {
        try {
            return vm.getVMOption(flag).getOrigin() == VMOption.Origin.DEFAULT;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
