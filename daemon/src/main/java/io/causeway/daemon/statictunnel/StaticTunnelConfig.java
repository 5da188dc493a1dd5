package io.causeway.daemon.statictunnel;

import io.causeway.daemon.dataplane.TransportRoutes;
import io.causeway.esp.policy.TrafficSelector;
import java.io.IOException;
import java.io.Reader;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
  * A data plane with fixed keys, read from a properties file. This is a test fixture for the
  * namespace tests, the demo and the throughput harness: it is how the data path runs before
  * (and without) IKE. It is deliberately not an ipsec.conf key. Key values are never printed.
  */
public record StaticTunnelConfig(
        String name,
        InetAddress local,
        InetAddress remote,
        int localPort,
        int remotePort,
        boolean udpEncap,
        List<String> localTs,
        List<String> remoteTs,
        String suite,
        int spiOut,
        int spiIn,
        byte[] keyOut,
        byte[] keyIn,
        byte[] integKeyOut,
        byte[] integKeyIn,
        int replayWindow,
        boolean esn,
        boolean transportMode,
        String tun,
        Path socket,
        int workers,
        int fwmark,
        int routingTable) {

    private static final Set<String> KEYS = Set.of(
            "name", "local", "remote", "local_port", "remote_port", "encap", "local_ts", "remote_ts",
            "suite", "spi_out", "spi_in", "key_out", "key_in", "integ_key_out", "integ_key_in",
            "replay_window", "esn", "mode", "tun", "socket", "workers", "fwmark", "routing_table");

    /** Thrown with every problem of the file, one per line, each naming its key. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "StaticTunnelConfig[" + name + " " + local + " <-> " + remote + " " + suite + "]";
    }

    public static StaticTunnelConfig load(Path file) throws Invalid, IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return new Parser(file, p).parse();
    }

    private static final class Parser {
        private final Path file;
        private final Properties p;
        private final List<String> errors = new ArrayList<>();

        Parser(Path file, Properties p) {
            this.file = file;
            this.p = p;
        }

        StaticTunnelConfig parse() throws Invalid {
            for (String key : p.stringPropertyNames()) {
                if (!KEYS.contains(key)) error(key, "unknown key (allowed: " + String.join(", ", KEYS) + ")");
            }
            String encap = text("encap", "udp");
            if (!encap.equals("udp") && !encap.equals("esp")) error("encap", "must be udp or esp");
            String mode = text("mode", "tunnel");
            if (!mode.equals("tunnel") && !mode.equals("transport")) error("mode", "must be tunnel or transport");
            boolean transport = mode.equals("transport");
            InetAddress local = address("local");
            InetAddress remote = address("remote");
            // Transport mode protects the two gateways' own traffic: the selectors are their addresses.
            List<String> localTs = transport ? selectorsOrHost("local_ts", local) : list("local_ts");
            List<String> remoteTs = transport ? selectorsOrHost("remote_ts", remote) : list("remote_ts");
            if (transport) {
                requireCovered("local_ts", localTs, local);
                requireCovered("remote_ts", remoteTs, remote);
                if (local != null && remote != null && local.getClass() != remote.getClass()) {
                    error("remote", "transport mode needs local and remote of one address family");
                }
            }
            StaticTunnelConfig config = new StaticTunnelConfig(
                    text("name", "static"),
                    local,
                    remote,
                    integer("local_port", 4500),
                    integer("remote_port", 4500),
                    encap.equals("udp"),
                    localTs,
                    remoteTs,
                    required("suite"),
                    spi("spi_out"),
                    spi("spi_in"),
                    hex("key_out", true),
                    hex("key_in", true),
                    hex("integ_key_out", false),
                    hex("integ_key_in", false),
                    integer("replay_window", 32),
                    Boolean.parseBoolean(text("esn", "false")),
                    transport,
                    text("tun", "cw0"),
                    Path.of(text("socket", "/run/causeway/causeway.sock")),
                    integer("workers", Math.max(1, Runtime.getRuntime().availableProcessors())),
                    mark("fwmark", TransportRoutes.DEFAULT_FWMARK),
                    mark("routing_table", TransportRoutes.DEFAULT_TABLE));
            if (transport && config.fwmark() == 0) error("fwmark", "transport mode needs a non-zero mark");
            if (transport && (config.routingTable() == 0 || config.routingTable() == 253
                    || config.routingTable() == 254 || config.routingTable() == 255)) {
                error("routing_table", "0, 253 (default), 254 (main) and 255 (local) are the kernel's own tables");
            }
            if (!errors.isEmpty()) throw new Invalid(String.join("\n", errors));
            return config;
        }

        private void error(String key, String what) {
            errors.add(file + ": " + key + ": " + what);
        }

        private String text(String key, String fallback) {
            String v = p.getProperty(key);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        private String required(String key) {
            String v = text(key, null);
            if (v == null) error(key, "missing");
            return v;
        }

        private InetAddress address(String key) {
            String v = required(key);
            if (v == null) return null;
            try {
                return InetAddress.getByName(v);
            } catch (UnknownHostException e) {
                error(key, "not an IP address: " + v);
                return null;
            }
        }

        private int integer(String key, int fallback) {
            String v = text(key, null);
            if (v == null) return fallback;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                error(key, "not a number: " + v);
                return fallback;
            }
        }

        private int spi(String key) {
            String v = required(key);
            if (v == null) return 0;
            try {
                long spi = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
                if (spi < 256 || spi > 0xffffffffL) error(key, "SPI must be 256..0xffffffff (RFC 4303 2.1)");
                return (int) spi;
            } catch (NumberFormatException e) {
                error(key, "not a number: " + v);
                return 0;
            }
        }

        private byte[] hex(String key, boolean required) {
            String v = required ? required(key) : text(key, null);
            if (v == null) return new byte[0];
            try {
                return HexFormat.of().parseHex(v);
            } catch (IllegalArgumentException e) {
                error(key, "not hexadecimal"); // never echo the value: it is key material
                return new byte[0];
            }
        }

        /** The host's own prefix (/32 or /128) when the key is absent. */
        private List<String> selectorsOrHost(String key, InetAddress host) {
            if (text(key, null) != null) return list(key);
            if (host == null) return List.of();
            return List.of(host.getHostAddress() + (host instanceof Inet6Address ? "/128" : "/32"));
        }

        private void requireCovered(String key, List<String> selectors, InetAddress host) {
            if (host == null) return;
            boolean covered = false;
            for (String text : selectors) {
                try {
                    TrafficSelector ts = TrafficSelector.parse(text);
                    covered |= ts.matches(host, ts.protocol(), ts.portFrom());
                } catch (IllegalArgumentException e) {
                    error(key, e.getMessage());
                }
            }
            if (!covered) {
                error(key, "in transport mode the selectors must include the gateway's address "
                        + host.getHostAddress());
            }
        }

        /** A mark or table number: decimal or 0x hex, 32 bits unsigned. */
        private int mark(String key, int fallback) {
            String v = text(key, null);
            if (v == null) return fallback;
            try {
                long n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
                if (n < 0 || n > 0xffffffffL) throw new NumberFormatException();
                return (int) n;
            } catch (NumberFormatException e) {
                error(key, "not a 32-bit number: " + v);
                return fallback;
            }
        }

        private List<String> list(String key) {
            String v = required(key);
            if (v == null) return List.of();
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }
}
