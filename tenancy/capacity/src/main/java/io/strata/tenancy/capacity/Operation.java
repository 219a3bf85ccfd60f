package io.strata.tenancy.capacity;

/** What capacity a request consumes: read units or write units. */
public enum Operation {
    READ,
    WRITE;

    /** Lower-case name for messages ("read", "write"). */
    public String word() {
        return this == READ ? "read" : "write";
    }
}
