package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManySasBenchTest {
    @Test
    void pairsAreDistinctSubnetsStartingWithTheTopologys() {
        assertThat(ManySasBench.westSubnet(0)).isEqualTo(Topology.WEST_SUBNET_V4);
        assertThat(ManySasBench.eastSubnet(0)).isEqualTo(Topology.EAST_SUBNET_V4);
        assertThat(ManySasBench.westSubnet(255)).isEqualTo("10.1.255.0/24");
        assertThat(ManySasBench.westSubnet(256)).isEqualTo("10.3.0.0/24");
        assertThat(ManySasBench.eastSubnet(999)).isEqualTo("10.8.231.0/24");
        assertThat(ManySasBench.westHost(999)).isEqualTo("10.7.231.1");
        Set<String> all = new HashSet<>();
        for (int i = 0; i < ManySasBench.MAX_SAS; i++) {
            all.add(ManySasBench.westSubnet(i));
            all.add(ManySasBench.eastSubnet(i));
        }
        assertThat(all).hasSize(2 * ManySasBench.MAX_SAS);
    }

    @Test
    void groupedConnectionsShareIdsInDefault() {
        String west = ManySasBench.conf(true, 3, false);
        String east = ManySasBench.conf(false, 3, false);

        assertThat(west).startsWith("conn %default\n").contains("auto=start", "leftid=west.example",
                "rightid=east.example", "ike=aes128-sha256-ecp256!", "esp=aes128gcm16!", "left=192.0.2.1",
                "conn s2\n    leftsubnet=10.1.2.0/24\n    rightsubnet=10.2.2.0/24\n").doesNotContain("conn s3");
        assertThat(east).contains("auto=add", "leftid=east.example", "left=192.0.2.2",
                "conn s2\n    leftsubnet=10.2.2.0/24\n    rightsubnet=10.1.2.0/24\n");
        assertThat(west.split("leftid=", -1)).hasSize(2);
    }

    @Test
    void separateIkeSasGetIdsOfTheirOwn() {
        String west = ManySasBench.conf(true, 2, true);

        assertThat(west).contains("leftid=west-0.example\n    rightid=east-0.example",
                "leftid=west-1.example\n    rightid=east-1.example").doesNotContain("west.example");
    }

    @Test
    void tableHasARowPerSideAndNamesFailures() {
        ManySasBench.Settings settings = new ManySasBench.Settings(1000, false, 5, true,
                new CausewayLauncher(Path.of("java"), Path.of("causeway.jar"), List.of("-Xmx96m")),
                Path.of("/tmp/unused"));
        ManySasBench.Side west = new ManySasBench.Side(200 * 1024, 150 * 1024, new JvmHeap(20 * 1024, 64 * 1024,
                21 * 1024, 22 * 1024), 28, 230 * 1024);
        ManySasBench.Side east = new ManySasBench.Side(190 * 1024, 140 * 1024, new JvmHeap(19 * 1024, 64 * 1024,
                20 * 1024, 21 * 1024), 27, 220 * 1024);
        ManySasBench.Results results = new ManySasBench.Results(settings,
                new ManySasBench.Measurement(1000, 1, 1500, 17_700, 333.5, west, east, null),
                ManySasBench.Measurement.failed(1, "no READY line after 30000 ms"));

        String table = results.table();
        assertThat(table).contains("one IKE SA", "Causeway JVM options: -Xmx96m", "iperf3: 5 s")
                .containsPattern("1000 +1 +1.5 +17.7 +333.5 +west +200 +150 +230 +20 / 64 +21 +28")
                .containsPattern("\\n +east +190 +140 +220 +19 / 64 +20 +27")
                .containsPattern("\\n +1 +FAILED")
                .contains("1 tunnel(s) failed:", "no READY line after 30000 ms");
    }

    @Test
    void deadlineGrowsWithTheTunnels() {
        assertThat(ManySasBench.upDeadline(1).toSeconds()).isEqualTo(60);
        assertThat(ManySasBench.upDeadline(1000).toSeconds()).isEqualTo(260);
    }
}
