package io.strata.storage.engine.crypto;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What encryption at rest adds where it runs: sealing a commit-log record (one small write: 128 B) and opening a
 * segment block on a block-cache miss (a compressed 64 KiB block is typically 16–40 KiB), with the JDK's AES-GCM
 * (AES-NI and carry-less multiply intrinsics). Compare with the gateway's CPU per operation on the load tool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AeadBenchmark {
    @Param({"128", "16384", "65536"})
    int bytes;

    private DataKey key;
    private byte[] plain;
    private byte[] sealed;
    private byte[] nonce;

    @Setup
    public void setup() {
        byte[] k = new byte[32];
        ThreadLocalRandom.current().nextBytes(k);
        key = new DataKey("bench", 1, new SecretKeySpec(k, "AES"));
        plain = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(plain);
        nonce = Aead.nonce(Aead.salt(), 7);
        sealed = Aead.seal(key, nonce, plain, 0, plain.length);
    }

    @Benchmark
    public byte[] seal() {
        return Aead.seal(key, Aead.nextNonce(), plain, 0, plain.length);
    }

    @Benchmark
    public byte[] open() {
        return Aead.open(key, nonce, sealed, 0, sealed.length);
    }
}
