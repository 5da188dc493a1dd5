package io.causeway.daemon.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The daemon's control socket, for every command that talks to it (and for the daemon that serves it). */
final class SocketOption {
    @Option(names = "--socket", paramLabel = "PATH",
            defaultValue = "${env:CAUSEWAY_SOCKET:-/run/causeway/causeway.sock}",
            description = "control socket (default: ${DEFAULT-VALUE}; env CAUSEWAY_SOCKET)")
    Path path;
}
