package io.causeway.lab;

import io.causeway.esp.EspSuite;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
  * The mirrored pair of property files for Causeway's hidden {@code static-tunnel} command: a data
  * plane with fixed SPIs and keys and no IKE, used to measure and test ESP alone. West's outbound
  * SPI and key are east's inbound ones and vice versa.
  */
public final class StaticTunnelSpec {
    // TEST FIXTURES ONLY: fixed, public, well-known key material for lab tunnels. Never use for
    // real traffic. Each suite takes the prefix it needs (e.g. 20 bytes for aes128gcm16).
    public static final String TEST_KEY_WEST_TO_EAST =
            "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
                    + "303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f";
    public static final String TEST_KEY_EAST_TO_WEST =
            "909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
                    + "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf";
    public static final String TEST_INTEG_KEY_WEST_TO_EAST =
            "505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f"
                    + "707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f";
    public static final String TEST_INTEG_KEY_EAST_TO_WEST =
            "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
                    + "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f";
    public static final String SPI_WEST_TO_EAST = "0xc0000001";
    public static final String SPI_EAST_TO_WEST = "0xc0000002";

    /** The two files' contents and where they were written (if they were). */
    public record Files(String west, String east, Path westFile, Path eastFile) {}

    private String name = "static";
    private String westOuter = Topology.WEST_PUBLIC_V4;
    private String westPublic = Topology.WEST_PUBLIC_V4;
    private String eastOuter = Topology.EAST_PUBLIC_V4;
    private int westPort = 4500;
    private int eastPort = 4500;
    private String encap = "udp";
    private String westTs = Topology.WEST_SUBNET_V4 + "," + Topology.WEST_SUBNET_V6;
    private String eastTs = Topology.EAST_SUBNET_V4 + "," + Topology.EAST_SUBNET_V6;
    private String suite = "aes128gcm16";
    private int replayWindow = 32;
    private boolean esn;
    private String mode = "tunnel";
    private String tun = "cw0";
    private String westSocket;
    private String eastSocket;
    private int workers = 2;
    private final Map<String, String> extra = new LinkedHashMap<>();

    private StaticTunnelSpec() {}

    /** The contract's defaults on the addresses of a topology without NAT; sockets still unset. */
    public static StaticTunnelSpec defaults() {
        return new StaticTunnelSpec();
    }

    /** Defaults for the topology: west's own outer address, east sees west at its public one. */
    public static StaticTunnelSpec forTopology(Topology topology) {
        StaticTunnelSpec spec = new StaticTunnelSpec();
        spec.westOuter = topology.westOuterV4();
        spec.westPublic = topology.westPublicV4();
        spec.eastOuter = topology.eastOuterV4();
        spec.westSocket = "/tmp/" + topology.prefix() + "west.sock";
        spec.eastSocket = "/tmp/" + topology.prefix() + "east.sock";
        return spec;
    }

    public StaticTunnelSpec name(String tunnelName) {
        this.name = tunnelName;
        return this;
    }

    /** strongSwan ESP proposal name, e.g. aes128gcm16, aes256gcm16, aes128-sha256. */
    public StaticTunnelSpec suite(String espSuite) {
        EspSuite.parse(espSuite); // fail now, not when the files are written
        this.suite = espSuite;
        return this;
    }

    /** udp (RFC 3948, port 4500) or esp (raw IP protocol 50). */
    public StaticTunnelSpec encap(String encapsulation) {
        if (!encapsulation.equals("udp") && !encapsulation.equals("esp")) {
            throw new IllegalArgumentException("encap is udp or esp: " + encapsulation);
        }
        this.encap = encapsulation;
        return this;
    }

    public StaticTunnelSpec ports(int west, int east) {
        this.westPort = west;
        this.eastPort = east;
        return this;
    }

    /** Comma separated subnets behind each gateway. */
    public StaticTunnelSpec trafficSelectors(String west, String east) {
        this.westTs = west;
        this.eastTs = east;
        return this;
    }

    public StaticTunnelSpec replayWindow(int packets) {
        this.replayWindow = packets;
        return this;
    }

    public StaticTunnelSpec esn(boolean extendedSequenceNumbers) {
        this.esn = extendedSequenceNumbers;
        return this;
    }

    public StaticTunnelSpec mode(String tunnelOrTransport) {
        this.mode = tunnelOrTransport;
        return this;
    }

    public StaticTunnelSpec tun(String deviceName) {
        this.tun = deviceName;
        return this;
    }

    public StaticTunnelSpec sockets(String west, String east) {
        this.westSocket = west;
        this.eastSocket = east;
        return this;
    }

    public StaticTunnelSpec workers(int count) {
        this.workers = count;
        return this;
    }

    /** Any further key, written identically to both files (for contract keys added later). */
    public StaticTunnelSpec set(String key, String value) {
        extra.put(key, value);
        return this;
    }

    public String westSocket() {
        return westSocket;
    }

    public String eastSocket() {
        return eastSocket;
    }

    public String west() {
        return render(westOuter, eastOuter, westPort, eastPort, westTs, eastTs, SPI_WEST_TO_EAST, SPI_EAST_TO_WEST,
                TEST_KEY_WEST_TO_EAST, TEST_KEY_EAST_TO_WEST, TEST_INTEG_KEY_WEST_TO_EAST, TEST_INTEG_KEY_EAST_TO_WEST,
                westSocket, "west");
    }

    public String east() {
        return render(eastOuter, westPublic, eastPort, westPort, eastTs, westTs, SPI_EAST_TO_WEST, SPI_WEST_TO_EAST,
                TEST_KEY_EAST_TO_WEST, TEST_KEY_WEST_TO_EAST, TEST_INTEG_KEY_EAST_TO_WEST, TEST_INTEG_KEY_WEST_TO_EAST,
                eastSocket, "east");
    }

    /** Writes west.properties and east.properties into dir. */
    public Files writeTo(Path dir) {
        String westText = west();
        String eastText = east();
        Path westFile = dir.resolve("west.properties");
        Path eastFile = dir.resolve("east.properties");
        Files2.write(westFile, westText);
        Files2.write(eastFile, eastText);
        return new Files(westText, eastText, westFile, eastFile);
    }

    private String render(String local, String remote, int localPort, int remotePort, String localTs,
            String remoteTs, String spiOut, String spiIn, String keyOut, String keyIn, String integOut,
            String integIn, String socket, String side) {
        if (socket == null) {
            throw new IllegalStateException("no control socket set; use forTopology or sockets(...)");
        }
        EspSuite lengths = EspSuite.parse(suite);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("name", name);
        props.put("local", local);
        props.put("remote", remote);
        props.put("local_port", Integer.toString(localPort));
        props.put("remote_port", Integer.toString(remotePort));
        props.put("encap", encap);
        props.put("local_ts", localTs);
        props.put("remote_ts", remoteTs);
        props.put("suite", suite);
        props.put("spi_out", spiOut);
        props.put("spi_in", spiIn);
        props.put("key_out", keyOut.substring(0, 2 * lengths.encKeyBytes()));
        props.put("key_in", keyIn.substring(0, 2 * lengths.encKeyBytes()));
        if (!lengths.aead()) {
            props.put("integ_key_out", integOut.substring(0, 2 * lengths.integKeyBytes()));
            props.put("integ_key_in", integIn.substring(0, 2 * lengths.integKeyBytes()));
        }
        props.put("replay_window", Integer.toString(replayWindow));
        props.put("esn", Boolean.toString(esn));
        props.put("mode", mode);
        props.put("tun", tun);
        props.put("socket", socket);
        props.put("workers", Integer.toString(workers));
        props.putAll(extra);
        StringBuilder out = new StringBuilder();
        out.append("# Causeway static-tunnel, ").append(side)
                .append(" side. TEST FIXTURE: fixed public keys, written by io.causeway.lab.StaticTunnelSpec\n");
        // values never contain backslashes or leading spaces, so plain key=value is valid properties
        props.forEach((key, value) -> out.append(key).append('=').append(value).append('\n'));
        return out.toString();
    }
}
