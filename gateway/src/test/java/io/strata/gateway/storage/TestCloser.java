package io.strata.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCloser {
    private final List<String> closed = new ArrayList<>();

    private AutoCloseable named(String name) {
        return () -> closed.add(name);
    }

    @Test
    void closesNewestFirstAndEveryOneEvenAfterAFailure() {
        Closer closer = new Closer();
        closer.register(named("a"));
        closer.register(() -> {
            throw new IllegalStateException("b failed");
        });
        closer.register(named("c"));
        assertThatThrownBy(closer::close).hasMessage("b failed");
        assertThat(closed).containsExactly("c", "a");
        assertThat(closer.size()).isZero();
    }

    @Test
    void handingOverReplacesWhatTheNewOwnerCloses() {
        Closer closer = new Closer();
        closer.register(named("store 1"));
        closer.register(named("store 2"));
        closer.handOver(named("engine"));
        closer.register(named("repair"));
        closer.close();
        assertThat(closed).containsExactly("repair", "engine");
    }

    @Test
    void closingAfterAFailureKeepsTheFailureFirst() {
        Closer closer = new Closer();
        closer.register(() -> {
            throw new IllegalStateException("close failed");
        });
        RuntimeException opening = new RuntimeException("open failed");
        closer.closeAfter(opening);
        assertThat(opening.getSuppressed()).singleElement().extracting(Throwable::getMessage).isEqualTo("close failed");
    }
}
