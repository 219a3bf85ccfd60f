package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** One entry of a {@code SELECT} list; {@code alias} is null unless {@code AS alias} was written. */
public record SelectItem(Selector selector, String alias) {
    public SelectItem {
        requireNonNull(selector, "selector is null");
    }
}
