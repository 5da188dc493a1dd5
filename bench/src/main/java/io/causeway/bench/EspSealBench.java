package io.causeway.bench;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One outbound ESP packet sealed in place per operation. The buffer is sealed again and again: contents do
 * not matter to the cipher's speed, and ESN keeps the sequence space from running out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EspSealBench {
    @Param({"aes128gcm16", "aes256gcm16", "aes128-sha256", "aes256-sha1", "aes128-sha1", "3des-sha1"})
    public String suite;

    @Param({"64", "512", "1400"})
    public int size;

    @Param({"JCE", "BOUNCY_CASTLE", "ACCP"})
    public CryptoProvider provider;

    private OutboundSa sa;
    private byte[] buf;

    @Setup
    public void setUp() {
        SaConfig cfg = BenchSas.config(EspSuite.parse(suite), provider);
        sa = new OutboundSa(cfg);
        buf = BenchSas.buffer(sa.headroom(), size, sa.maxTailroom());
    }

    @Benchmark
    public int seal() {
        return sa.seal(buf, 0, size, 4);
    }
}
