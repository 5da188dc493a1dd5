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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the peer's side of one connection, or of all with --all, read from the configuration files (no daemon
 * needed): left and right swapped, the same proposals, lifetimes and DPD. The pre-shared key only with --with-secret.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        // NAME and --all are checked in call(): an exclusive ArgGroup holding a positional reports "--all NAME"
        // as an unmatched argument instead of the conflict, so the synopsis that group would print is written here
        customSynopsis = {
            "causeway export [-hV] [--with-secret] [--format=FORMAT] [--config=FILE]",
            "                [--secrets=FILE] (NAME | --all)"
        },
        description = {
            "Print the peer gateway's side of connection NAME, or of every",
            "connection with --all, as a cloud console's download: left/right, ids",
            "and subnets swapped; the same proposals, lifetimes, DPD and keyingtries;",
            "and who starts (auto=add here: the peer starts; auto=start here: the",
            "peer waits; auto=route stays route).",
            "ipsec.conf format prints one conn per connection, then the",
            "ipsec.secrets lines after '" + ConnectionExport.IPSEC_SECRETS_MARKER + "'.",
            "swanctl format prints one swanctl.conf with its secrets section;",
            "connections that share one IKE SA here are one swanctl connection with",
            "a child each, named after the first of them in ipsec.conf (NAME prints",
            "its whole group).",
            "The key is printed only with --with-secret; otherwise a comment says",
            "where it goes."
        })
final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "0..1", hideParamSyntax = true,
            description = "the connection (conn NAME in ipsec.conf)")
    String name;

    @Option(names = "--all", description = "every connection of the configuration instead of NAME")
    boolean all;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ipsec.conf",
            description = "ipsec.conf (strongSwan's legacy files, default) or swanctl (swanctl.conf)")
    String format;

    @Option(names = "--with-secret", description = "include the pre-shared key (print to a file only you can read)")
    boolean withSecret;

    @Mixin
    ConfigFiles files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (all == (name != null)) {
            // thrown as a parse error so Main reports it like every other usage error
            throw new ParameterException(spec.commandLine(), all
                    ? "Error: NAME and --all are mutually exclusive (specify only one)"
                    : "Error: Missing required argument (specify one of these): (NAME | --all)");
        }
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
            System.out.print(all
                    ? ConnectionExport.exportAll(loaded.config(), exportFormat, withSecret)
                    : ConnectionExport.export(loaded.config(), name, exportFormat, withSecret));
            return ExitCodes.OK;
        } catch (ExportException e) {
            System.err.println("causeway: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
