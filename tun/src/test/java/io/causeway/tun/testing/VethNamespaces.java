package io.causeway.tun.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two named network namespaces joined by a veth pair, {@link #A_ADDRESS} in {@link #a()} and {@link #B_ADDRESS} in
 * {@link #b()}, for traffic a test wants to leave one kernel and be answered by another. Both are deleted by their
 * names on close.
 */
public final class VethNamespaces implements AutoCloseable {
    public static final String A_ADDRESS = "10.199.0.1";
    public static final String B_ADDRESS = "10.199.0.2";

    private final String a;
    private final String b;

    private VethNamespaces(String a, String b) {
        this.a = a;
        this.b = b;
    }

    /** Creates {@code <prefix>-a-<pid>} and {@code <prefix>-b-<pid>}, links up, addresses set. */
    public static VethNamespaces create(String prefix) throws Exception {
        long pid = ProcessHandle.current().pid();
        VethNamespaces pair = new VethNamespaces(prefix + "-a-" + pid, prefix + "-b-" + pid);
        try {
            run("ip", "netns", "add", pair.a);
            run("ip", "netns", "add", pair.b);
            run("ip", "link", "add", "veth-a", "netns", pair.a, "type", "veth", "peer", "name", "veth-b", "netns",
                    pair.b);
            up(pair.a, "veth-a", A_ADDRESS);
            up(pair.b, "veth-b", B_ADDRESS);
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    public String a() {
        return a;
    }

    public String b() {
        return b;
    }

    /**
     * A counter from the calling thread's namespace's /proc/net/snmp, e.g. ("Icmp", "InDestUnreachs"): the thread's
     * own view (thread-self), since /proc/net is the main thread's namespace.
     */
    public static long snmp(String group, String counter) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            String[] names = lines.get(i).split(" ");
            String[] values = lines.get(i + 1).split(" ");
            if (names[0].equals(group + ":") && values[0].equals(group + ":")) {
                for (int k = 1; k < names.length; k++) {
                    if (names[k].equals(counter)) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        throw new IllegalArgumentException("no " + group + " " + counter + " in /proc/net/snmp");
    }

    private static void up(String netns, String link, String address) throws Exception {
        run("ip", "-n", netns, "addr", "add", address + "/24", "dev", link);
        run("ip", "-n", netns, "link", "set", link, "up");
        run("ip", "-n", netns, "link", "set", "lo", "up");
    }

    @Override
    public void close() throws Exception {
        delete(a);
        delete(b);
    }

    private static void delete(String netns) throws Exception {
        if (Files.exists(Path.of("/var/run/netns", netns))) {
            run("ip", "netns", "del", netns);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": no exit within 10 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + ": exit " + p.exitValue());
        }
    }
}
