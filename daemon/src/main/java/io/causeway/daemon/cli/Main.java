package io.causeway.daemon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `causeway` command line: one launcher, subcommands as DESIGN.md's CLI contract lists. */
@Command(
        name = "causeway",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        exitCodeOnExecutionException = ExitCodes.FAILED,
        description = "Userspace IPsec site-to-site VPN gateway.",
        subcommands = {
            DaemonCommand.class,
            CheckConfigCommand.class,
            StatusCommand.class,
            DemoCommand.class,
            StaticTunnelCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setParameterExceptionHandler(Main::usageError)
                .execute(args);
    }

    /** Usage errors exit with 1 in every subcommand (picocli's default is 2, our "daemon unreachable"). */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("causeway: " + e.getMessage());
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
