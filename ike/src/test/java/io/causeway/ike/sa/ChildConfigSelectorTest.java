package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.AddressRangeSelector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildConfigSelectorTest {
    private static final String DEFAULTS = """
            conn %default
                keyexchange=ikev2
                left=192.0.2.1
                right=192.0.2.2
                authby=secret
                auto=add
            """;
    // three conns to one peer with the same ids, as pfSense's phase-2 entries or seed 003's SPD policies
    private static final String CONF = DEFAULTS + """
            conn a
                leftsubnet=10.1.0.0/24
                rightsubnet=10.2.0.0/24
            conn b
                leftsubnet=10.1.0.0/24
                rightsubnet=10.2.5.0/24
            conn c
                leftsubnet=10.1.6.0/24,10.1.7.0/24
                rightsubnet=10.2.6.0/24
            """;

    // a fourth that covers all of the peer's side; the loader refuses it beside a and b in one file (traffic could
    // match either), so it comes from a file of its own, as a reload could bring it
    private static final String WIDE = DEFAULTS + """
            conn wide
                leftsubnet=10.1.0.0/24
                rightsubnet=10.2.0.0/16
            """;
    private static final String SECRETS = "192.0.2.1 192.0.2.2 : PSK \"not-a-real-secret-0123456789\"\n";

    @TempDir
    Path dir;

    private Optional<String> select(List<String> ourSide, List<String> peerSide) {
        List<Connection> all = new ArrayList<>(Lab.load(dir.resolve("abc"), CONF, SECRETS).config().activeConnections());
        all.addAll(Lab.load(dir.resolve("wide"), WIDE, SECRETS).config().activeConnections());
        return ChildConfigSelector.select(all, ts(ourSide), ts(peerSide), c -> c.left().subnets(), c -> c.right().subnets())
                .map(Connection::name);
    }

    private static List<AddressRangeSelector> ts(List<String> cidrs) {
        return cidrs.stream().map(c -> AddressRangeSelector.of(Subnet.parse(c))).toList();
    }

    @Test
    void eachSubnetPairGoesToTheConnectionThatHasItExactly() {
        assertThat(select(List.of("10.1.0.0/24"), List.of("10.2.0.0/24"))).contains("a");
        assertThat(select(List.of("10.1.0.0/24"), List.of("10.2.5.0/24"))).contains("b");
        assertThat(select(List.of("10.1.6.0/24", "10.1.7.0/24"), List.of("10.2.6.0/24"))).contains("c");
    }

    @Test
    void aPairNoConnectionHasExactlyGoesToTheOneThatCoversIt() {
        assertThat(select(List.of("10.1.0.0/24"), List.of("10.2.9.0/24"))).contains("wide");
        assertThat(select(List.of("10.1.0.0/24"), List.of("10.2.0.0/16"))).contains("wide");
    }

    @Test
    void aWideProposalThatIsNarrowedPicksTheFirstEqualFit() {
        // a peer proposing 0.0.0.0/0 for its side: a, b and wide narrow it equally well; a is listed first
        assertThat(select(List.of("10.1.0.0/24"), List.of("0.0.0.0/0"))).contains("a");
    }

    @Test
    void selectorsThatFitNoConnectionSelectNone() {
        assertThat(select(List.of("10.9.0.0/24"), List.of("10.2.0.0/24"))).isEmpty();
        assertThat(select(List.of("10.1.0.0/24"), List.of("172.16.0.0/24"))).isEmpty();
    }
}
