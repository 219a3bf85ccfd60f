package io.strata.gateway.storage;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the storage assembly opened and must close, closed in reverse order of opening. Ownership can move:
 * once the engine opened over the stores it closes them itself, so {@link #handOver} replaces them by the
 * engine, and nothing is closed twice. Closing runs every close even when one fails. Not thread-safe: used
 * while opening, then once at shutdown.
 */
public final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Registers a resource just opened; returns it. */
    public <T extends AutoCloseable> T register(T resource) {
        opened.push(requireNonNull(resource, "resource is null"));
        return resource;
    }

    /** Everything registered so far is now owned (and closed) by {@code owner}, which takes its place. */
    public <T extends AutoCloseable> T handOver(T owner) {
        requireNonNull(owner, "owner is null");
        opened.clear();
        opened.push(owner);
        return owner;
    }

    /** Resources registered and not yet closed. */
    public int size() {
        return opened.size();
    }

    /** Closes everything, newest first; throws the first failure (with later ones suppressed) after all ran. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (failure == null) {
                    failure = r;
                } else {
                    failure.addSuppressed(r);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes everything after {@code failure} broke an opening; close failures join it as suppressed. */
    public void closeAfter(Throwable failure) {
        try {
            close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
