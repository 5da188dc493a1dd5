package io.causeway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the host offers the lab: root, and the tools it runs. */
public final class LabHost {
    private LabHost() {}

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

    /** The named tools not found on PATH (plus "charon+kernel-libipsec" when strongSwan is needed). */
    public static List<String> missing(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            if (tool.equals("charon")) {
                if (!StrongSwan.available()) {
                    missing.add("charon+kernel-libipsec");
                }
            } else if (!hasCommand(tool)) {
                missing.add(tool);
            }
        }
        return missing;
    }
}
