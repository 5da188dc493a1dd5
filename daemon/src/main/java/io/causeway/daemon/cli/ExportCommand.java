package io.causeway.daemon.cli;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.Diagnostic;
import io.causeway.conf.LoadResult;
import io.causeway.conf.export.ConnectionExport;
import io.causeway.conf.export.ExportException;
import io.causeway.conf.export.ExportFormat;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints the peer's side of one connection, read from the configuration files (no daemon needed): left and right
 * swapped, the same proposals, lifetimes and DPD. The pre-shared key only with --with-secret.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Print the peer gateway's side of connection NAME, as a cloud console's download.",
            "Left/right, ids and subnets swapped; the same proposals, lifetimes, DPD and keyingtries;",
            "and who starts (auto=add here: the peer starts; auto=start here: the peer waits;",
            "auto=route stays route).",
            "ipsec.conf format prints the conn, then its ipsec.secrets line after '"
                    + ConnectionExport.IPSEC_SECRETS_MARKER + "';",
            "swanctl format prints one swanctl.conf with its secrets section.",
            "The key is printed only with --with-secret; otherwise a comment says where it goes."
        })
final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "the connection (conn NAME in ipsec.conf)")
    String name;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ipsec.conf",
            description = "ipsec.conf (strongSwan's legacy files, default) or swanctl (swanctl.conf)")
    String format;

    @Option(names = "--with-secret", description = "include the pre-shared key (print to a file only you can read)")
    boolean withSecret;

    @Mixin
    ConfigFiles files;

    @Override
    public Integer call() {
        ExportFormat exportFormat = ExportFormat.named(format).orElse(null);
        if (exportFormat == null) {
            System.err.println("causeway: unknown --format " + format + " (allowed: "
                    + Arrays.stream(ExportFormat.values()).map(ExportFormat::keyword).collect(Collectors.joining(", "))
                    + ")");
            return ExitCodes.USAGE;
        }
        LoadResult loaded = ConfigLoader.load(files.config, files.secrets);
        if (!loaded.ok()) {
            // the peer's file would repeat the mistake: the same check-config errors, and nothing on stdout
            for (Diagnostic e : loaded.errors()) System.err.println("error: " + e);
            System.err.println("causeway: " + files.config + " is not valid; fix it first (causeway check-config)");
            return ExitCodes.USAGE;
        }
        try {
            System.out.print(ConnectionExport.export(loaded.config(), name, exportFormat, withSecret));
            return ExitCodes.OK;
        } catch (ExportException e) {
            System.err.println("causeway: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
