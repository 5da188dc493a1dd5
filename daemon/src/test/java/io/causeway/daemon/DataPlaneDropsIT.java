package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabTestBase;
import io.causeway.daemon.testing.Pcap;
import io.causeway.daemon.testing.TunnelLab;
import io.causeway.daemon.testing.TunnelStatus;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.StaticTunnelSpec;
import io.causeway.lab.Topology;
import io.causeway.lab.Tshark;
import io.causeway.tun.netns.NetworkNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
  * What the data plane refuses, and that it says so in its drop counters: traffic outside the
  * selectors (both directions), replayed and tampered ESP, and packets too big for the tunnel.
  */
class DataPlaneDropsIT extends LabTestBase {
    private static final String TUN = "cw0"; // StaticTunnelSpec's default TUN name
    private static final int SPI_WEST_TO_EAST = (int) Long.decode(StaticTunnelSpec.SPI_WEST_TO_EAST).longValue();
    /** aes128gcm16: 8-byte ESP header, then the 8-byte IV, then ciphertext (RFC 4106 3). */
    private static final int GCM_CIPHERTEXT_OFFSET = 16;
    private static final Pattern MTU = Pattern.compile("mtu ?= ?(\\d+)");

    @Test
    void outboundPacketOutsideTheSelectorsIsDroppedAsNoPolicy() {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec());
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());
            // a route into the tunnel for a subnet that no selector covers
            lab.westNs().ip("route", "add", "10.9.0.0/24", "dev", TUN);
            long noPolicyBefore = lab.west().status().drop("no_policy");
            long sealedBefore = lab.west().status().packetsOut();
            long eastInBefore = lab.east().status().packetsIn();

            Ping.Result ping = Ping.run(lab.westNs(), t.westHostV4(), "10.9.0.1", 2);
            assertThat(ping.received()).as("%s", ping).isZero();
            assertThat(ping.transmitted()).as("%s", ping).isPositive();
            awaitAtLeast(lab, lab.west(), s -> s.drop("no_policy"), noPolicyBefore + ping.transmitted(), "no_policy");
            assertThat(lab.west().status().packetsOut()).as("nothing sealed").isEqualTo(sealedBefore);
            assertThat(lab.east().status().packetsIn()).as("east received nothing").isEqualTo(eastInBefore);
        }
    }

    @Test
    void inboundPacketOutsideTheSelectorsIsDroppedAsSelector() {
        try (TunnelLab lab = createLab(false)) {
            // West claims 10.1.0.0/16 behind it, east accepts only 10.1.0.0/24 from west. The files
            // differ in more than the mirrored keys, so each side comes from its own spec.
            StaticTunnelSpec wide = lab.spec().trafficSelectors("10.1.0.0/16", Topology.EAST_SUBNET_V4);
            StaticTunnelSpec narrow = lab.spec().trafficSelectors(Topology.WEST_SUBNET_V4, Topology.EAST_SUBNET_V4);
            lab.start(launcher, wide.west(), narrow.east());
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4()); // inside both: carried

            String outsider = "10.1.5.1";
            lab.westNs().ip("addr", "add", outsider + "/32", "dev", "lo");
            long selectorBefore = lab.east().status().drop("selector");
            long westSealedBefore = lab.west().status().packetsOut();

            Ping.Result ping = Ping.run(lab.westNs(), outsider, t.eastHostV4(), 2);
            assertThat(ping.received()).as("%s", ping).isZero();
            // west's wider selector lets it seal and send; east refuses after decrypting
            assertThat(lab.west().status().packetsOut() - westSealedBefore).isGreaterThanOrEqualTo(ping.transmitted());
            awaitAtLeast(lab, lab.east(), s -> s.drop("selector"), selectorBefore + ping.transmitted(), "selector");
            assertThat(lab.east().status().drop("auth_failed")).isZero();
        }
    }

    @Test
    void replayedAndTamperedEspAreDroppedAndTheTunnelKeepsWorking() throws Exception {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec().suite("aes128gcm16").encap("udp"));
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());

            Path pcap = lab.dir().resolve("west-to-east.pcap");
            try (Tshark.Capture capture = Tshark.capture(lab.eastNs(), t.eastInterface(), pcap, 3,
                    "udp dst port 4500 and src host " + t.westPublicV4())) {
                Ping.Result ping = Ping.run(lab.westNs(), t.westHostV4(), t.eastHostV4(), 3);
                assertThat(ping.allReceived()).as("%s", ping).isTrue();
                capture.finish(Duration.ofSeconds(5));
            }
            List<Pcap.Esp> captured = Pcap.readEsp(pcap);
            Pcap.Esp original = captured.stream().filter(p -> p.spi() == SPI_WEST_TO_EAST).findFirst()
                    .orElseThrow(() -> new AssertionError("no west->east ESP captured: " + captured));
            assertThat(original.bytes().length).as("%s", original).isGreaterThan(GCM_CIPHERTEXT_OFFSET + 16);

            // 1. the same packet again: its sequence number was seen
            TunnelStatus before = lab.east().status();
            sendFromWest(lab, original.bytes());
            awaitAtLeast(lab, lab.east(), s -> s.drop("replay"), before.drop("replay") + 1, "replay");
            TunnelStatus afterReplay = lab.east().status();
            assertThat(afterReplay.packetsIn()).as("replay accepted? %s", afterReplay).isEqualTo(before.packetsIn());
            assertThat(afterReplay.drop("auth_failed")).isEqualTo(before.drop("auth_failed"));

            // 2. a fresh sequence number (passes the replay check) and one flipped ciphertext bit
            byte[] tampered = original.bytes().clone();
            ByteBuffer.wrap(tampered).putInt(4, 0x7fff0000);
            tampered[GCM_CIPHERTEXT_OFFSET] ^= 0x01;
            sendFromWest(lab, tampered);
            awaitAtLeast(lab, lab.east(), s -> s.drop("auth_failed"), afterReplay.drop("auth_failed") + 1, "auth_failed");
            TunnelStatus afterTamper = lab.east().status();
            assertThat(afterTamper.drop("replay")).as("%s", afterTamper).isEqualTo(afterReplay.drop("replay"));
            assertThat(afterTamper.packetsIn()).as("%s", afterTamper).isEqualTo(afterReplay.packetsIn());

            // the forged sequence number must not have moved the replay window: normal traffic, whose
            // sequence numbers are far below 0x7fff0000, still gets through
            Ping.Result west = Ping.run(lab.westNs(), t.westHostV4(), t.eastHostV4(), 3);
            Ping.Result east = Ping.run(lab.eastNs(), t.eastHostV4(), t.westHostV4(), 3);
            assertThat(west.allReceived()).as("west->east after replay/tamper: %s%s", west, lab.logs()).isTrue();
            assertThat(east.allReceived()).as("east->west after replay/tamper: %s%s", east, lab.logs()).isTrue();
        }
    }

    /**
      * Sends one ESP-in-UDP datagram from west's outer address to east's port 4500. The static
      * tunnel does not check the source port, so an ephemeral one is fine.
      */
    private static void sendFromWest(TunnelLab lab, byte[] esp) throws Exception {
        Topology t = lab.topology();
        NetworkNamespace.in(lab.westNs().name(), () -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(t.westOuterV4()), 0))) {
                socket.send(new DatagramPacket(esp, esp.length,
                        new InetSocketAddress(InetAddress.getByName(t.eastOuterV4()), 4500)));
            }
            return null;
        });
    }

    @Test
    void tooBigPacketIsAnsweredWithTheTunnelMtu() {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec().suite("aes128gcm16").encap("udp"));
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());
            int innerMtu = lab.west().status().innerMtu();
            assertThat(innerMtu).isBetween(1280, 1499);
            // With the TUN at the inner MTU the kernel itself would refuse; raise it so the oversized
            // packet reaches Causeway, which must answer with ICMP fragmentation needed.
            lab.westNs().ip("link", "set", "dev", TUN, "mtu", "1500");
            long tooBigBefore = lab.west().status().drop("too_big");

            ExecResult big = ping(lab.westNs(), "-M", "do", "-s", "1472", "-c", "2", "-w", "4",
                    "-I", t.westHostV4(), t.eastHostV4());
            String said = big.stdout() + big.stderr();
            List<Integer> mtus = new ArrayList<>();
            Matcher m = MTU.matcher(said);
            while (m.find()) {
                mtus.add(Integer.parseInt(m.group(1)));
            }
            assertThat(mtus).as("ping output:\n%s%s", said, lab.logs()).isNotEmpty().allMatch(mtu -> mtu == innerMtu);
            awaitAtLeast(lab, lab.west(), s -> s.drop("too_big"), tooBigBefore + 1, "too_big");

            ExecResult fits = ping(lab.westNs(), "-M", "do", "-s", Integer.toString(innerMtu - 28), "-c", "2",
                    "-w", "4", "-I", t.westHostV4(), t.eastHostV4());
            Ping.Result result = Ping.parse(fits.stdout());
            assertThat(result.allReceived()).as("%s\n%s%s", result, fits.describe(), lab.logs()).isTrue();
        }
    }

    @Test
    void tooBigIpv6PacketIsAnsweredWithPacketTooBig() {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec().suite("aes128gcm16").encap("udp"));
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV6(), t.eastHostV6());
            int innerMtu = lab.west().status().innerMtu();
            lab.westNs().ip("link", "set", "dev", TUN, "mtu", "1500");
            long tooBigBefore = lab.west().status().drop("too_big");

            // IPv6 is never fragmented on the way: 1452 + 8 ICMPv6 + 40 IPv6 = 1500 > inner MTU
            ExecResult big = ping(lab.westNs(), "-6", "-M", "do", "-s", "1452", "-c", "2", "-w", "4",
                    "-I", t.westHostV6(), t.eastHostV6());
            String said = big.stdout() + big.stderr();
            List<Integer> mtus = new ArrayList<>();
            Matcher m = MTU.matcher(said);
            while (m.find()) {
                mtus.add(Integer.parseInt(m.group(1)));
            }
            assertThat(mtus).as("ping output:\n%s%s", said, lab.logs()).isNotEmpty().allMatch(mtu -> mtu == innerMtu);
            awaitAtLeast(lab, lab.west(), s -> s.drop("too_big"), tooBigBefore + 1, "too_big");

            ExecResult fits = ping(lab.westNs(), "-6", "-M", "do", "-s", Integer.toString(innerMtu - 48), "-c", "2",
                    "-w", "4", "-I", t.westHostV6(), t.eastHostV6());
            Ping.Result result = Ping.parse(fits.stdout());
            assertThat(result.allReceived()).as("%s\n%s%s", result, fits.describe(), lab.logs()).isTrue();
        }
    }

    /** ping -n in ns; IPv4 unless the arguments say -6. */
    private static ExecResult ping(Netns ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ping", "-n"));
        if (!List.of(args).contains("-6")) {
            command.add("-4");
        }
        command.addAll(List.of(args));
        ExecResult result = ns.exec(Duration.ofSeconds(15), command, null);
        // ping exits 1 when replies are missing and 2 on local errors such as EMSGSIZE
        assertThat(result.timedOut()).as(result.describe()).isFalse();
        return result;
    }

    private static void awaitAtLeast(TunnelLab lab, TunnelLab.Gateway gateway, ToLongFunction<TunnelStatus> counter,
            long expected, String what) {
        boolean reached = Poll.until(COUNTER_DEADLINE, () -> counter.applyAsLong(gateway.status()) >= expected);
        TunnelStatus now = gateway.status();
        assertThat(reached).as("%s in %s stayed at %d, expected at least %d; status %s%s", what, gateway.ns(),
                counter.applyAsLong(now), expected, now, lab.logs()).isTrue();
    }
}
