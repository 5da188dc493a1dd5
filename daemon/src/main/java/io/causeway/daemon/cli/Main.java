package io.causeway.daemon.cli;

import io.causeway.daemon.systemd.JournalStream;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `causeway` command line: one launcher, subcommands as DESIGN.md's CLI contract lists. */
@Command(
        name = "causeway",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        exitCodeOnExecutionException = ExitCodes.FAILED,
        description = "Userspace IPsec site-to-site VPN gateway.")
public final class Main implements Runnable {
    /** The subcommands, in the order `causeway --help` lists them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            DaemonCommand.class,
            CheckConfigCommand.class,
            StatusCommand.class,
            UpCommand.class,
            DownCommand.class,
            LogLevelCommand.class,
            ExportCommand.class,
            ReloadCommand.class,
            DemoCommand.class,
            StaticTunnelCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        JournalStream.configureLogging(); // before the first logger exists
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // picocli builds its model by reflecting over every registered command: for the thin clients
        // (status, up, down) that was most of their start-up, so only the command invoked is registered
        Class<?> invoked = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (invoked != null && invoked != CommandLine.HelpCommand.class) {
            cli.addSubcommand(invoked);
        } else {
            SUBCOMMANDS.values().forEach(cli::addSubcommand);
        }
        return cli.setParameterExceptionHandler(Main::usageError).execute(args);
    }

    /** The whole command tree, for what describes every command: shell completion and the man page. */
    static CommandLine fullCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        SUBCOMMANDS.values().forEach(cli::addSubcommand);
        return cli;
    }

    private static Map<String, Class<?>> subcommands(Class<?>... commands) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : commands) byName.put(c.getAnnotation(Command.class).name(), c);
        return byName;
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
