package io.strata.storage.engine.codec;

import net.jpountz.lz4.LZ4Factory;

/**
 * The LZ4 coder for what the engine stores (segment blocks, history records): the native (JNI) one where it loads,
 * else the pure-Java one. lz4-java's {@code fastestInstance()} tries JNI only when loaded by the system class loader,
 * so inside the gateway (Quarkus' class loader) it silently took the Java coder, a sixth of the flush and compaction
 * CPU in a profile. Callers decompress with the bounds-checked ("safe") decompressor, so even a crafted block cannot
 * make native code read or write out of bounds; the wire codec, which decodes clients' bytes, keeps its Java coder.
 * Thread-safe.
 */
public final class Lz4 {
    public static final LZ4Factory FACTORY = pick();

    private Lz4() {}

    private static LZ4Factory pick() {
        try {
            return LZ4Factory.nativeInstance();
        } catch (Throwable unavailable) { // no library for this platform, or loaded by another class loader already
            return LZ4Factory.fastestJavaInstance();
        }
    }
}
