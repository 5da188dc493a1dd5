package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.AddressRangeSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Traffic selector narrowing (RFC 7296 2.9) with proposals as a peer may send them (IPv4 and IPv6, any or one
 * protocol, port and address ranges that may be inverted, i.e. empty) against configured subnets. The expected
 * answer comes from {@link SelectorBox}, an interval model written here: narrowing returns every non-empty
 * intersection of a proposed and a configured selector, without duplicates, each a subset of both; nothing when
 * no pair intersects; the same set of packets as the model (checked at the corners of every box); the initiator's
 * {@code within} accepts the answer; the data plane's prefixes cover each answer exactly. Nothing throws: narrowing
 * has no documented exception. {@link ChildConfigSelector} picks a connection exactly when one narrows to something
 * on both sides, and then one that does.
 */
class TrafficSelectorNarrowingFuzzTest {
    private static final int MAX_SELECTORS = 4;
    private static final byte[] IPV4_BASE = {10, 1, 0, 0};
    private static final byte[] IPV6_BASE = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] COMMON_PROTOCOLS = {AddressRangeSelector.ANY_PROTOCOL, 1, 6, 17, 58};
    private static final List<Connection> CONNECTIONS = threeConnections();

    @FuzzTest
    void narrowMatchesIntervalModel(FuzzedDataProvider data) {
        List<AddressRangeSelector> proposed = new ArrayList<>();
        int proposals = data.consumeInt(1, MAX_SELECTORS);
        for (int i = 0; i < proposals; i++) {
            proposed.add(proposedSelector(data));
        }
        List<Subnet> configured = configuredSubnets(data);

        List<AddressRangeSelector> narrowed = TrafficSelectorNarrowing.narrow(proposed, configured);

        List<SelectorBox> p = proposed.stream().map(SelectorBox::of).toList();
        List<SelectorBox> c = configured.stream().map(SelectorBox::of).toList();
        List<SelectorBox> n = narrowed.stream().map(SelectorBox::of).toList();
        List<SelectorBox> expected = new ArrayList<>(new LinkedHashSet<>(intersections(p, c)));
        String what = "narrowing of " + proposed + " by " + configured;
        assertThat(new HashSet<>(narrowed)).as("duplicates in the %s", what).hasSameSizeAs(narrowed);
        assertThat(n).as(what).containsExactlyInAnyOrderElementsOf(expected);
        for (int i = 0; i < n.size(); i++) {
            SelectorBox box = n.get(i);
            if (box.isEmpty() || p.stream().noneMatch(b -> b.contains(box)) || c.stream().noneMatch(b -> b.contains(box))) {
                throw new AssertionError(narrowed.get(i) + " is empty or not inside both sides of the " + what);
            }
            assertPrefixesCover(narrowed.get(i), box);
        }
        assertSamePackets(p, c, n, what);
        if (!narrowed.isEmpty()) {
            assertThat(TrafficSelectorNarrowing.within(narrowed, proposed)).as("initiator accepts the %s", what).isTrue();
        }
        if (data.remainingBytes() > 0) {
            selectConnection(data, proposed, configured, !narrowed.isEmpty());
        }
    }

    /** Three connections whose subnets come from the input: the first has this round's configuration as its local side. */
    private static void selectConnection(FuzzedDataProvider data, List<AddressRangeSelector> proposedLocal,
                                         List<Subnet> firstLocal, boolean firstLocalNarrows) {
        List<AddressRangeSelector> proposedRemote = List.of(proposedSelector(data), proposedSelector(data));
        Map<Connection, List<Subnet>> local = Map.of(CONNECTIONS.get(0), firstLocal,
                CONNECTIONS.get(1), configuredSubnets(data), CONNECTIONS.get(2), configuredSubnets(data));
        Map<Connection, List<Subnet>> remote = Map.of(CONNECTIONS.get(0), configuredSubnets(data),
                CONNECTIONS.get(1), configuredSubnets(data), CONNECTIONS.get(2), configuredSubnets(data));
        List<Connection> qualified = CONNECTIONS.stream()
                .filter(k -> meet(proposedLocal, local.get(k)) && meet(proposedRemote, remote.get(k)))
                .toList();
        assertThat(qualified.contains(CONNECTIONS.get(0)))
                .isEqualTo(firstLocalNarrows && meet(proposedRemote, remote.get(CONNECTIONS.get(0))));
        Optional<Connection> chosen = ChildConfigSelector.select(CONNECTIONS, proposedLocal, proposedRemote,
                local::get, remote::get);
        assertThat(chosen.isPresent()).as("a connection chosen").isEqualTo(!qualified.isEmpty());
        chosen.ifPresent(k -> assertThat(qualified).as("chosen %s", k.name()).contains(k));
    }

    private static boolean meet(List<AddressRangeSelector> proposed, List<Subnet> configured) {
        return !intersections(proposed.stream().map(SelectorBox::of).toList(),
                configured.stream().map(SelectorBox::of).toList()).isEmpty();
    }

    /** Every non-empty intersection of a proposed box with a configured one, in the model. */
    private static List<SelectorBox> intersections(List<SelectorBox> proposed, List<SelectorBox> configured) {
        List<SelectorBox> out = new ArrayList<>();
        for (SelectorBox c : configured) {
            for (SelectorBox p : proposed) {
                SelectorBox both = p.intersection(c);
                if (!both.isEmpty()) {
                    out.add(both);
                }
            }
        }
        return out;
    }

    /** A packet is in some answer exactly when it is in some proposal and in some configured subnet. */
    private static void assertSamePackets(List<SelectorBox> p, List<SelectorBox> c, List<SelectorBox> n, String what) {
        List<SelectorBox> all = new ArrayList<>(p);
        all.addAll(c);
        all.addAll(n);
        for (SelectorBox box : all) {
            for (SelectorBox.Packet packet : box.probes()) {
                boolean allowed = p.stream().anyMatch(b -> b.matches(packet)) && c.stream().anyMatch(b -> b.matches(packet));
                if (n.stream().anyMatch(b -> b.matches(packet)) != allowed) {
                    throw new AssertionError(packet + (allowed ? " missing from the " : " wrongly in the ") + what);
                }
            }
        }
    }

    /** toSubnets, as the data plane gets an answer: consecutive prefixes of its family from its start to its end. */
    private static void assertPrefixesCover(AddressRangeSelector selector, SelectorBox box) {
        BigInteger next = box.fromAddress();
        for (Subnet prefix : selector.toPrefixes()) {
            SelectorBox range = SelectorBox.of(prefix);
            boolean sameRest = range.ipv4() == box.ipv4() && range.protocol() == box.protocol()
                    && range.fromPort() == box.fromPort() && range.toPort() == box.toPort();
            if (!range.fromAddress().equals(next) || !sameRest) {
                throw new AssertionError("prefix " + prefix + " of " + selector + " does not follow on " + next);
            }
            next = range.toAddress().add(BigInteger.ONE);
        }
        if (!next.equals(box.toAddress().add(BigInteger.ONE))) {
            throw new AssertionError("the prefixes of " + selector + " end before " + next);
        }
    }

    /** As the peer's TSi/TSr decoder may produce it: any protocol, ports and addresses, also inverted. */
    private static AddressRangeSelector proposedSelector(FuzzedDataProvider data) {
        boolean ipv4 = data.consumeBoolean();
        int protocol = protocol(data);
        int startPort = 0;
        int endPort = 65535;
        if (data.consumeBoolean()) {
            startPort = data.consumeInt(0, 65535);
            endPort = data.consumeInt(0, 65535);
        }
        byte[] start = address(data, ipv4);
        byte[] end;
        if (data.consumeBoolean()) {
            int prefix = prefixLength(data, ipv4);
            end = start.clone();
            for (int bit = prefix; bit < start.length * 8; bit++) {
                byte mask = (byte) (0x80 >>> (bit % 8));
                start[bit / 8] &= (byte) ~mask;
                end[bit / 8] |= mask;
            }
        } else {
            end = address(data, ipv4);
        }
        return new AddressRangeSelector(protocol, startPort, endPort, start, end);
    }

    /** As leftsubnet/rightsubnet give them: CIDR blocks with an optional [proto/port-range]. */
    private static List<Subnet> configuredSubnets(FuzzedDataProvider data) {
        List<Subnet> out = new ArrayList<>();
        int count = data.consumeInt(1, MAX_SELECTORS);
        for (int i = 0; i < count; i++) {
            InetAddress network = inetAddress(address(data, data.consumeBoolean()));
            // an IPv4-mapped IPv6 address is an IPv4 address to Java, as to the config parser
            int prefix = prefixLength(data, network instanceof Inet4Address);
            int protocol = protocol(data);
            int from = 0;
            int to = 65535;
            if (data.consumeBoolean()) {
                from = data.consumeInt(0, 65535);
                to = data.consumeInt(from, 65535);
            }
            out.add(new Subnet(network, prefix, protocol, from, to));
        }
        return out;
    }

    private static int protocol(FuzzedDataProvider data) {
        int pick = data.consumeInt(0, COMMON_PROTOCOLS.length);
        return pick < COMMON_PROTOCOLS.length ? COMMON_PROTOCOLS[pick] : data.consumeInt(0, 255);
    }

    private static int prefixLength(FuzzedDataProvider data, boolean ipv4) {
        return data.consumeInt(0, ipv4 ? 32 : 128);
    }

    /** Mostly near one base network, so that ranges meet; sometimes anywhere, at the ends of the family, or IPv4-mapped. */
    private static byte[] address(FuzzedDataProvider data, boolean ipv4) {
        byte[] octets = (ipv4 ? IPV4_BASE : IPV6_BASE).clone();
        switch (data.consumeInt(0, 4)) {
            case 0 -> {
                octets[octets.length - 2] = data.consumeByte();
                octets[octets.length - 1] = data.consumeByte();
            }
            case 1 -> {
                byte[] any = data.consumeBytes(octets.length);
                System.arraycopy(any, 0, octets, 0, any.length);
            }
            case 2 -> Arrays.fill(octets, data.consumeBoolean() ? (byte) 0 : (byte) 0xff);
            case 3 -> octets[data.consumeInt(0, octets.length - 1)] = data.consumeByte();
            default -> {
                if (!ipv4) { // ::ffff:10.1.x.y, an IPv4-mapped IPv6 address (RFC 4291 2.5.5.2)
                    octets = new byte[16];
                    octets[10] = (byte) 0xff;
                    octets[11] = (byte) 0xff;
                    System.arraycopy(IPV4_BASE, 0, octets, 12, 2);
                }
                octets[octets.length - 2] = data.consumeByte();
                octets[octets.length - 1] = data.consumeByte();
            }
        }
        return octets;
    }

    private static InetAddress inetAddress(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Connection> threeConnections() {
        StringBuilder conf = new StringBuilder();
        for (int i = 2; i <= 4; i++) {
            conf.append("conn peer").append(i).append("\n    keyexchange=ikev2\n    authby=secret\n    left=192.0.2.1\n")
                    .append("    right=192.0.2.").append(i).append("\n    auto=add\n");
        }
        String secrets = "192.0.2.1 %any : PSK \"only-a-fuzz-harness-secret\"\n";
        try {
            Path dir = Files.createTempDirectory("ts-fuzz");
            List<Connection> out = Lab.load(dir, conf.toString(), secrets).config().activeConnections();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
