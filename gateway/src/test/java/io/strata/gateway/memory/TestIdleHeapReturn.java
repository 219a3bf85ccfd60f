package io.strata.gateway.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** G1's idle-memory flags are set only on G1, only while at their defaults, and in an order the JVM accepts. */
final class TestIdleHeapReturn {
    /** A JVM's flags: values and origins; refuses MinHeapFreeRatio above MaxHeapFreeRatio as HotSpot does. */
    private static final class Flags implements HotSpotDiagnosticMXBean {
        final Map<String, VMOption> options = new HashMap<>();

        Flags(boolean g1) {
            put("UseG1GC", Boolean.toString(g1), VMOption.Origin.ERGONOMIC);
            put(IdleHeapReturn.PERIODIC_GC, "0", VMOption.Origin.DEFAULT);
            put(IdleHeapReturn.MIN_FREE, "40", VMOption.Origin.DEFAULT);
            put(IdleHeapReturn.MAX_FREE, "70", VMOption.Origin.DEFAULT);
        }

        void put(String name, String value, VMOption.Origin origin) {
            options.put(name, new VMOption(name, value, true, origin));
        }

        int value(String name) {
            return Integer.parseInt(options.get(name).getValue());
        }

        @Override
        public VMOption getVMOption(String name) {
            VMOption o = options.get(name);
            if (o == null) {
                throw new IllegalArgumentException("no flag " + name);
            }
            return o;
        }

        @Override
        public void setVMOption(String name, String value) {
            getVMOption(name);
            Flags after = new Flags(true);
            after.options.putAll(options);
            after.put(name, value, VMOption.Origin.MANAGEMENT);
            if (after.value(IdleHeapReturn.MIN_FREE) > after.value(IdleHeapReturn.MAX_FREE)) {
                throw new IllegalArgumentException(name + "=" + value + " puts MinHeapFreeRatio above MaxHeapFreeRatio");
            }
            put(name, value, VMOption.Origin.MANAGEMENT);
        }

        @Override
        public List<VMOption> getDiagnosticOptions() {
            return List.copyOf(options.values());
        }

        @Override
        public void dumpHeap(String outputFile, boolean live) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }

    @Test
    void g1AtItsDefaultsReturnsIdleHeap() {
        Flags vm = new Flags(true);
        assertThat(IdleHeapReturn.apply(Duration.ofSeconds(30), vm)).hasValueSatisfying(s -> assertThat(s).contains("30 s"));
        assertThat(vm.value(IdleHeapReturn.PERIODIC_GC)).isEqualTo(30_000);
        assertThat(vm.value(IdleHeapReturn.MIN_FREE)).isEqualTo(10);
        assertThat(vm.value(IdleHeapReturn.MAX_FREE)).isEqualTo(30);
    }

    @Test
    void operatorsFlagsOtherCollectorsAndZeroAreLeftAlone() {
        Flags tuned = new Flags(true);
        tuned.put(IdleHeapReturn.PERIODIC_GC, "5000", VMOption.Origin.VM_CREATION);
        assertThat(IdleHeapReturn.apply(Duration.ofSeconds(30), tuned)).isEmpty();
        assertThat(tuned.value(IdleHeapReturn.PERIODIC_GC)).isEqualTo(5000);
        assertThat(tuned.value(IdleHeapReturn.MAX_FREE)).isEqualTo(70);

        Flags parallel = new Flags(false);
        assertThat(IdleHeapReturn.apply(Duration.ofSeconds(30), parallel)).isEmpty();
        assertThat(parallel.value(IdleHeapReturn.PERIODIC_GC)).isZero();

        Flags off = new Flags(true);
        assertThat(IdleHeapReturn.apply(Duration.ZERO, off)).isEmpty();
        assertThat(off.value(IdleHeapReturn.PERIODIC_GC)).isZero();
    }

    @Test
    void theRunningJvmAcceptsTheFlags() {
        // the real HotSpot: on the test JVM (G1, flags at their defaults unless surefire set them) this must not throw
        IdleHeapReturn.apply(Duration.ofSeconds(30));
    }
}
