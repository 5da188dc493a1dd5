package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose configuration has no connection to run waits without a data plane (no TUN, no sockets):
 * the control-socket answers stay well formed. The first reload with connections is EmptyStartIT's (root, namespaces).
 */
class GatewayWaitingTest {
    @TempDir
    Path dir;

    private LoadResult load(String conf, String secrets) throws Exception {
        LoadResult loaded = ConfigLoader.load(Files.writeString(dir.resolve("ipsec.conf"), conf),
                Files.writeString(dir.resolve("ipsec.secrets"), secrets));
        assertThat(loaded.ok()).as("%s", loaded.errors()).isTrue();
        return loaded;
    }

    @Test
    void aConfigurationOfCommentsOnlyStartsAGatewayWithoutTunnels() throws Exception {
        // the tun name is never used: a waiting gateway creates no device
        try (Gateway gateway = Gateway.start(load("# conn example\n#    auto=start\n", "# none\n").config(),
                new Gateway.Settings("cwwait0", 1, 500, 4500))) {
            assertThat(gateway.status(null)).containsEntry("ok", true).containsEntry("tunnels", List.of());
            assertThat(gateway.status("s2s")).containsEntry("ok", false).containsEntry("usage_error", true);
            assertThat(gateway.up("s2s")).containsEntry("ok", false).containsEntry("error", "no connection named s2s");
            assertThat(gateway.down("s2s")).containsEntry("ok", false).containsEntry("usage_error", true);
            assertThat(gateway.hasConnection("s2s")).isFalse();
            assertThat(gateway.dataPathDrops()).isNotEmpty().allSatisfy((reason, count) -> assertThat(count).isEqualTo(0L));

            Map<String, Object> reload = gateway.reload(load("conn later\n    keyexchange=ikev2\n    authby=psk\n"
                    + "    left=192.0.2.1\n    right=192.0.2.2\n    auto=ignore\n",
                    "192.0.2.1 192.0.2.2 : PSK \"not-a-real-key-only-for-this-test\"\n"));
            assertThat(reload).containsEntry("ok", true).containsEntry("added", List.of());
            assertThat(gateway.status(null)).containsEntry("tunnels", List.of());
        }
    }
}
