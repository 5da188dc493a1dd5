package io.causeway.daemon.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** ipsec.conf and ipsec.secrets, for every command that reads them. */
final class ConfigFiles {
    @Option(names = "--config", paramLabel = "FILE",
            defaultValue = "${env:CAUSEWAY_CONFIG:-/etc/causeway/ipsec.conf}",
            description = "ipsec.conf (default: ${DEFAULT-VALUE}; env CAUSEWAY_CONFIG)")
    Path config;

    @Option(names = "--secrets", paramLabel = "FILE",
            defaultValue = "${env:CAUSEWAY_SECRETS:-/etc/causeway/ipsec.secrets}",
            description = "ipsec.secrets (default: ${DEFAULT-VALUE}; env CAUSEWAY_SECRETS)")
    Path secrets;
}
