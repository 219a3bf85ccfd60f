package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/**
 * Where a restore into a new table stands: {@link State#CREATING} while segments are referenced and the commit-log
 * tail is replayed ({@code bytesDone} of {@code bytesTotal}, both estimates), {@link State#ACTIVE} once the table is
 * readable, {@link State#FAILED} with the reason (its half-built storage is removed). Immutable.
 */
public record RestoreStatus(State state, long bytesTotal, long bytesDone, String error) {
    public enum State { CREATING, ACTIVE, FAILED }

    public RestoreStatus {
        requireNonNull(state, "state is null");
        if (bytesTotal < 0 || bytesDone < 0) {
            throw new IllegalArgumentException("negative byte counts");
        }
    }

    /** Progress in percent (100 when active; 0 when nothing is known yet). */
    public int percent() {
        if (state == State.ACTIVE) {
            return 100;
        }
        return bytesTotal == 0 ? 0 : (int) Math.min(99, bytesDone * 100 / bytesTotal);
    }
}
