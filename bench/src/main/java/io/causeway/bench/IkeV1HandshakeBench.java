package io.causeway.bench;

import io.causeway.conf.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Complete IKEv1 (RFC 2409) handshakes between two engines in memory: main mode (6 messages) or aggressive mode
 * (3 messages) with a pre-shared key, then quick mode (3 messages, no PFS) for the first IPsec SA pair. Both sides'
 * DH, SKEYID derivation, HASH_I/HASH_R, phase 1 encryption and KEYMAT; no sockets. One op = one tunnel up, the work
 * of both ends on one thread. IKE proposal {@code aes128-sha1-GROUP}, ESP {@code aes128-sha1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IkeV1HandshakeBench {
    /** DH group of the phase 1 proposal: 14 (modp2048) or 2 (modp1024). */
    @Param({"modp2048", "modp1024"})
    public String group;

    /** Phase 1 exchange: main (identity protection) or aggressive. */
    @Param({"main", "aggressive"})
    public String mode;

    private Config west;
    private Config east;
    private Path dir;

    @Setup
    public void load() throws Exception {
        dir = Files.createTempDirectory("cw-ikev1-bench");
        List<String> extra = new ArrayList<>(List.of("keyexchange=ikev1", "ike=aes128-sha1-" + group + "!",
                "esp=aes128-sha1!"));
        if (mode.equals("aggressive")) {
            extra.add("aggressive=yes");
        } else if (!mode.equals("main")) {
            throw new IllegalArgumentException("mode is main or aggressive, not " + mode);
        }
        Config[] both = EnginePair.configs(dir, extra);
        west = both[0];
        east = both[1];
    }

    @TearDown
    public void removeFiles() throws Exception {
        EnginePair.removeFiles(dir);
    }

    @Benchmark
    public int handshake() {
        return EnginePair.handshake(west, east);
    }
}
