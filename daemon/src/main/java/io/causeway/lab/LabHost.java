package io.causeway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the host offers the lab: root, and the tools it runs. */
public final class LabHost {
    /** The Debian 12 package of each tool the lab runs (what scripts/test installs). */
    private static final Map<String, String> PACKAGE = Map.ofEntries(
            Map.entry("ip", "iproute2"), Map.entry("ss", "iproute2"), Map.entry("ping", "iputils-ping"),
            Map.entry("tcpdump", "tcpdump"), Map.entry("tshark", "tshark"), Map.entry("iperf3", "iperf3"),
            Map.entry("nft", "nftables"), Map.entry("curl", "curl"), Map.entry("nsenter", "util-linux"),
            Map.entry("unshare", "util-linux"), Map.entry("setpriv", "util-linux"), Map.entry("sysctl", "procps"),
            Map.entry("systemd-analyze", "systemd"), Map.entry("man", "man-db"), Map.entry("dpkg", "dpkg"),
            Map.entry("dpkg-deb", "dpkg"), Map.entry("dpkg-statoverride", "dpkg"), Map.entry("python3", "python3"),
            Map.entry("charon+kernel-libipsec", "strongswan-charon strongswan-swanctl libcharon-extra-plugins"),
            Map.entry("starter+stroke", "strongswan-starter"));

    private LabHost() {}

    /** The Debian package(s) that bring a tool named by {@link #missing}, or the tool's own name if unknown. */
    public static String debianPackage(String tool) {
        return PACKAGE.getOrDefault(tool, tool);
    }

    /** Network namespaces, veth and TUN need root. /proc/self belongs to our effective uid. */
    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public static boolean hasCommand(String name) {
        return Commands.run(Duration.ofSeconds(5), "sh", "-c", "command -v " + name).ok();
    }

    /** The named tools not found on PATH (plus "charon+kernel-libipsec" for tool "charon" and "starter+stroke" for "starter"). */
    public static List<String> missing(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            if (tool.equals("charon")) {
                if (!StrongSwan.available()) {
                    missing.add("charon+kernel-libipsec");
                }
            } else if (tool.equals("starter")) {
                if (!StrongSwanStarter.available()) {
                    missing.add("starter+stroke");
                }
            } else if (!hasCommand(tool)) {
                missing.add(tool);
            }
        }
        return missing;
    }
}
