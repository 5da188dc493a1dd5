package io.causeway.daemon.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may connect to the control socket: owner and group, nobody else (DESIGN.md: 0660, group causeway). */
class ControlServerTest {
    private static final ControlServer.Handler ECHO = request -> Map.of("ok", true, "cmd", request.get("cmd"));

    @TempDir Path dir;

    @Test
    void socketIsReadWriteForOwnerAndGroupOnly() throws Exception {
        Path socket = dir.resolve("causeway.sock");
        try (ControlServer server = ControlServer.start(socket, ECHO, "no-such-group-causeway-test")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
            assertThat(ControlClient.call(socket, Map.of("cmd", "status"))).containsEntry("cmd", "status");
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void socketIsGivenToTheGroup() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file to any group");
        Path socket = dir.resolve("causeway.sock");
        // nogroup: a group every Debian host has and root does not belong to
        try (ControlServer server = ControlServer.start(socket, ECHO, "nogroup")) {
            assertThat(group(socket)).isEqualTo("nogroup");
        }
    }

    private static String group(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class).group().getName();
    }
}
