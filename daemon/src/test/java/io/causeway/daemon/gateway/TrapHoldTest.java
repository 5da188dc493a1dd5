package io.causeway.daemon.gateway;

import static io.causeway.ike.sa.DownCause.DEAD_PEER;
import static io.causeway.ike.sa.DownCause.OTHER;
import static io.causeway.ike.sa.DownCause.PEER_DELETED;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.conf.connection.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which DOWN reports send a connection back to a trap (dpdaction=hold, closeaction=hold). */
class TrapHoldTest {
    @TempDir Path dir;


    private Connection conn(String extra) throws Exception {
        Path conf = Files.writeString(dir.resolve("ipsec.conf"), String.join("\n",
                "conn s2s", "  keyexchange=ikev2", "  left=192.0.2.1", "  leftsubnet=10.1.0.0/24",
                "  right=192.0.2.2", "  rightsubnet=10.2.0.0/24", "  authby=secret", "  auto=add", "  " + extra, ""));
        Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), "192.0.2.1 192.0.2.2 : PSK \"x\"\n");
        LoadResult loaded = ConfigLoader.load(conf, secrets);
        assertThat(loaded.errors()).isEmpty();
        return loaded.config().connection("s2s").orElseThrow();
    }

    @Test
    void dpdactionHoldTrapsOnADeadPeerOnly() throws Exception {
        Connection c = conn("dpdaction=hold");

        assertThat(Traps.holdWanted(c, DEAD_PEER)).isTrue();
        assertThat(Traps.holdWanted(c, PEER_DELETED)).isFalse();
        assertThat(Traps.holdWanted(c, OTHER)).as("a local close").isFalse();
    }

    @Test
    void closeactionHoldTrapsWhenThePeerDeletes() throws Exception {
        Connection c = conn("closeaction=hold");

        assertThat(Traps.holdWanted(c, PEER_DELETED)).isTrue();
        assertThat(Traps.holdWanted(c, DEAD_PEER)).isFalse();
    }

    @Test
    void clearAndRestartNeverTrap() throws Exception {
        assertThat(Traps.holdWanted(conn("dpdaction=clear"), DEAD_PEER)).isFalse();
        assertThat(Traps.holdWanted(conn("dpdaction=restart"), DEAD_PEER)).isFalse();
    }
}
