package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.IdType;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.Subnet;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import io.causeway.ike.sa.ChildSaInstall;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variables strongSwan's updown plugin documents (docs.strongswan.org, plugins/updown.html). */
class UpdownEnvironmentTest {
    @TempDir
    Path dir;

    static Connection connection(Path dir, String extra) throws IOException {
        String conf = "conn site\n    authby=psk\n    left=192.0.2.1\n    leftid=west.example\n"
                + "    leftsubnet=10.1.0.0/24,10.11.0.0/16\n    right=192.0.2.2\n    rightid=%any\n"
                + "    rightsubnet=10.2.0.0/24\n    leftupdown=/etc/causeway/updown.sh\n    auto=add\n" + extra;
        LoadResult r = ConfigLoader.load(Files.writeString(dir.resolve("ipsec.conf"), conf),
                Files.writeString(dir.resolve("ipsec.secrets"), "west.example : PSK \"never shown to scripts\"\n"));
        assertThat(r.errors()).isEmpty();
        return r.config().activeConnections().get(0);
    }

    static ChildSaInstall child(boolean encapsulated, List<String> local, List<String> remote) throws IOException {
        return child(encapsulated, local, remote, null);
    }

    static ChildSaInstall child(boolean encapsulated, List<String> local, List<String> remote, Identity peerId)
            throws IOException {
        SaKeys keys = new SaKeys(new byte[20], new byte[0]);
        return new ChildSaInstall("site", 0x1001, 0x2002, EspSuite.aesGcm(128, 16), keys, keys, false,
                local.stream().map(Subnet::parse).toList(), remote.stream().map(Subnet::parse).toList(), EspMode.TUNNEL,
                encapsulated, new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 4500),
                new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 4500), peerId);
    }

    @Test
    void oneEnvironmentPerLocalAndRemoteSubnetPairWithStrongSwansVariables() throws IOException {
        Connection conn = connection(dir, "");
        ChildSaInstall child = child(true, List.of("10.1.0.0/24", "10.11.0.0/16"), List.of("10.2.0.0/24"));

        List<Map<String, String>> envs = UpdownEnvironment.of(true, conn, child, new UpdownEnvironment.Context("cw0", 3, 7));

        assertThat(envs).hasSize(2);
        Map<String, String> first = envs.get(0);
        assertThat(first).containsEntry("PLUTO_VERSION", "1.1")
                .containsEntry("PLUTO_VERB", "up-client")
                .containsEntry("PLUTO_CONNECTION", "site")
                .containsEntry("PLUTO_INTERFACE", "cw0")
                .containsEntry("PLUTO_REQID", "3")
                .containsEntry("PLUTO_UNIQUEID", "7")
                .containsEntry("PLUTO_PROTO", "esp")
                .containsEntry("PLUTO_ME", "192.0.2.1")
                .containsEntry("PLUTO_MY_ID", "west.example")
                .containsEntry("PLUTO_MY_CLIENT", "10.1.0.0/24")
                .containsEntry("PLUTO_MY_CLIENT_NET", "10.1.0.0")
                .containsEntry("PLUTO_MY_CLIENT_MASK", "255.255.255.0")
                .containsEntry("PLUTO_MY_PROTOCOL", "0")
                .containsEntry("PLUTO_MY_PORT", "0")
                .containsEntry("PLUTO_PEER", "192.0.2.2")
                .containsEntry("PLUTO_PEER_ID", "192.0.2.2") // rightid=%any: the peer is known by its address
                .containsEntry("PLUTO_PEER_CLIENT", "10.2.0.0/24")
                .containsEntry("PLUTO_PEER_CLIENT_NET", "10.2.0.0")
                .containsEntry("PLUTO_PEER_CLIENT_MASK", "255.255.255.0")
                .containsEntry("PLUTO_PEER_PROTOCOL", "0")
                .containsEntry("PLUTO_PEER_PORT", "0")
                .containsEntry("PLUTO_UDP_ENC", "4500")
                .doesNotContainKeys("PLUTO_MARK_IN", "PLUTO_MARK_OUT", "PLUTO_IPCOMP");
        assertThat(envs.get(1)).containsEntry("PLUTO_MY_CLIENT", "10.11.0.0/16")
                .containsEntry("PLUTO_MY_CLIENT_MASK", "255.255.0.0")
                .containsEntry("PLUTO_PEER_CLIENT", "10.2.0.0/24");
        assertThat(envs.toString()).doesNotContain("never shown");
    }

    @Test
    void thePeerIdIsTheOneIkeAuthAuthenticatedWhenTheEngineKnowsIt() throws IOException {
        Connection any = connection(dir, "");
        Identity moon = new Identity(IdType.FQDN, "moon.example");

        Map<String, String> env = UpdownEnvironment.of(true, any,
                child(false, List.of("10.1.0.0/24"), List.of("10.2.0.0/24"), moon), new UpdownEnvironment.Context("cw0", 1, 1))
                .get(0);
        assertThat(env).containsEntry("PLUTO_PEER_ID", "moon.example").containsEntry("PLUTO_MY_ID", "west.example");

        Identity odd = new Identity(IdType.FQDN, "moon\nPLUTO_VERB=x\0");
        Map<String, String> shown = UpdownEnvironment.of(false, any,
                child(false, List.of("10.1.0.0/24"), List.of("10.2.0.0/24"), odd), new UpdownEnvironment.Context("cw0", 1, 1))
                .get(0);
        assertThat(shown).containsEntry("PLUTO_PEER_ID", "moon?PLUTO_VERB=x?").containsEntry("PLUTO_VERB", "down-client");
    }

    @Test
    void downIsDownClientAndIpv6AddsTheSuffixPortsAndProtocolsAreShown() throws IOException {
        Connection conn = connection(dir, "");
        ChildSaInstall child = child(false, List.of("2001:db8:1::/48[tcp/443]"), List.of("2001:db8:2::/64"));

        Map<String, String> env = UpdownEnvironment.of(false, conn, child, new UpdownEnvironment.Context("cw0", 1, 1)).get(0);

        assertThat(env).containsEntry("PLUTO_VERB", "down-client-v6")
                .containsEntry("PLUTO_MY_CLIENT", "2001:db8:1::/48")
                .containsEntry("PLUTO_MY_CLIENT_MASK", "ffff:ffff:ffff::")
                .containsEntry("PLUTO_MY_PROTOCOL", "6")
                .containsEntry("PLUTO_MY_PORT", "443")
                .doesNotContainKey("PLUTO_UDP_ENC");
        assertThat(Arrays.asList(env.keySet().toArray(new String[0]))).allMatch(k -> k.startsWith("PLUTO_"));
    }
}
