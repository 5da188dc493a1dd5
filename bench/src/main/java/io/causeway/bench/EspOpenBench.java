package io.causeway.bench;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.DropReason;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;
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
 * One inbound ESP packet opened in place per operation, replay check and window update included. Opening
 * consumes the ciphertext and the window refuses a sequence number twice, so each operation copies one of
 * RING pre-sealed packets into the work buffer, and a fresh InboundSa (same keys) takes over when the ring
 * wraps. Both costs are in the figures: the copy (one arraycopy of the packet) and 1/RING of an SA setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EspOpenBench {
    private static final int RING = 16384;

    @Param({"aes128gcm16", "aes256gcm16", "aes128-sha256", "aes256-sha1", "aes128-sha1", "3des-sha1"})
    public String suite;

    @Param({"64", "512", "1400"})
    public int size;

    @Param({"JCE", "BOUNCY_CASTLE", "ACCP"})
    public CryptoProvider provider;

    private SaConfig cfg;
    private InboundSa sa;
    private byte[][] sealed;
    private int[] lengths;
    private byte[] work;
    private int next;
    private final Opened opened = new Opened();

    @Setup
    public void setUp() {
        cfg = BenchSas.config(EspSuite.parse(suite), provider);
        OutboundSa out = new OutboundSa(cfg);
        sealed = new byte[RING][];
        lengths = new int[RING];
        for (int i = 0; i < RING; i++) {
            byte[] b = BenchSas.buffer(out.headroom(), size, out.maxTailroom());
            lengths[i] = out.seal(b, 0, size, 4);
            sealed[i] = b;
        }
        work = new byte[sealed[0].length];
        sa = new InboundSa(cfg);
    }

    @Benchmark
    public DropReason open() {
        if (next == RING) {
            next = 0;
            sa = new InboundSa(cfg);
        }
        int i = next++;
        System.arraycopy(sealed[i], 0, work, 0, lengths[i]);
        DropReason r = sa.open(work, 0, lengths[i], opened);
        if (r != DropReason.NONE) {
            throw new IllegalStateException("open failed: " + r);
        }
        return r;
    }
}
