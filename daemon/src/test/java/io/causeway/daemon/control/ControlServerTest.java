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

    @Test
    void anOverlongRequestIsRefusedAndTheNextIsServed() throws Exception {
        Path socket = dir.resolve("causeway.sock");
        try (ControlServer server = ControlServer.start(socket, ECHO, "no-such-group-causeway-test", 1024,
                java.time.Duration.ofSeconds(5))) {
            assertThat(send(socket, "{\"cmd\":\"" + "x".repeat(5000) + "\"}\n"))
                    .contains("request longer than 1024 bytes").contains("\"ok\":false");
            assertThat(ControlClient.call(socket, Map.of("cmd", "status"))).containsEntry("cmd", "status");
        }
    }

    @Test
    void aClientThatSendsNothingIsDroppedAtTheDeadlineAndOthersAreServedAfterIt() throws Exception {
        Path socket = dir.resolve("causeway.sock");
        try (ControlServer server = ControlServer.start(socket, ECHO, "no-such-group-causeway-test", 1024,
                java.time.Duration.ofMillis(300));
                java.nio.channels.SocketChannel silent = java.nio.channels.SocketChannel.open(
                        java.net.StandardProtocolFamily.UNIX)) {
            silent.connect(java.net.UnixDomainSocketAddress.of(socket));
            // served once the silent client's deadline passed, instead of never
            assertThat(ControlClient.call(socket, Map.of("cmd", "status"))).containsEntry("cmd", "status");
            assertThat(read(silent)).contains("no complete request line within");
        }
    }

    @Test
    void theGroupsMembersComeFromEtcGroup() throws Exception {
        Path etcGroup = Files.writeString(dir.resolve("group"),
                "root:x:0:\ncauseway:x:998:alice, bob\nnogroup:x:65534:\n");
        assertThat(PeerCheck.members(etcGroup, "causeway")).containsExactly("alice", "bob");
        assertThat(PeerCheck.members(etcGroup, "nogroup")).isEmpty();
        assertThat(PeerCheck.members(dir.resolve("missing"), "causeway")).isEmpty();
    }

    @Test
    void rootTheOwnerAndTheGroupMayAskOthersMayNot() throws Exception {
        var lookup = dir.getFileSystem().getUserPrincipalLookupService();
        var root = lookup.lookupPrincipalByName("root");
        var nobody = lookup.lookupPrincipalByName("nobody");
        var daemon = lookup.lookupPrincipalByName("daemon");
        var nogroup = lookup.lookupPrincipalByGroupName("nogroup");
        var daemonGroup = lookup.lookupPrincipalByGroupName("daemon");
        var rootGroup = lookup.lookupPrincipalByGroupName("root");
        PeerCheck check = new PeerCheck(daemon, daemonGroup, java.util.List.of("nobody"));
        assertThat(check.allows(root, rootGroup)).as("root").isTrue();
        assertThat(check.allows(daemon, nogroup)).as("the socket's owner").isTrue();
        assertThat(check.allows(nobody, nogroup)).as("a member through /etc/group").isTrue();
        PeerCheck strict = new PeerCheck(daemon, daemonGroup, java.util.List.of());
        assertThat(strict.allows(nobody, daemonGroup)).as("primary group").isTrue();
        assertThat(strict.allows(nobody, nogroup)).as("neither").isFalse();
    }

    private static String send(Path socket, String raw) throws IOException {
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            c.connect(java.net.UnixDomainSocketAddress.of(socket));
            c.write(java.nio.ByteBuffer.wrap(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return read(c);
        }
    }

    /** The response line (the server closes with the rest of an overlong request unread: a reset after it). */
    private static String read(java.nio.channels.SocketChannel c) throws IOException {
        return new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(c),
                java.nio.charset.StandardCharsets.UTF_8)).readLine();
    }

    private static String group(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class).group().getName();
    }
}
