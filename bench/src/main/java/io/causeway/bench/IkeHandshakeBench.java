package io.causeway.bench;

import io.causeway.conf.Config;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Complete IKE_SA_INIT + IKE_AUTH handshakes (PSK, first CHILD_SA) between two engines in memory:
 * both sides' DH, key derivation, AUTH and SK protection, no sockets. One op = one tunnel up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IkeHandshakeBench {
    /** DH group of the IKE proposal: 14 (modp2048), 2 (modp1024, as IKEv1 often uses), 19 (ecp256), 31 (curve25519). */
    @Param({"modp2048", "modp1024", "ecp256", "curve25519"})
    public String group;

    private Config west;
    private Config east;
    private Path dir;

    @Setup
    public void load() throws Exception {
        dir = Files.createTempDirectory("cw-ike-bench");
        Config[] both = EnginePair.configs(dir, List.of("ike=aes128gcm16-prfsha256-" + group + "!",
                "esp=aes128gcm16!"));
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
