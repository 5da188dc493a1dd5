package io.causeway.daemon.cli;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.Diagnostic;
import io.causeway.conf.LoadResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Validates ipsec.conf and ipsec.secrets, printing every problem at once. Never prints a secret. */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = {
            "Validate the configuration and print every error with file:line and key.",
            "On success prints one line per connection. Exit 1 on any error."
        })
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigFiles files;

    @Override
    public Integer call() {
        LoadResult result = ConfigLoader.load(files.config, files.secrets);
        for (Diagnostic e : result.errors()) System.out.println("error: " + e);
        for (Diagnostic w : result.warnings()) System.out.println("warning: " + w);
        if (!result.ok()) {
            System.out.printf("%d error(s), %d warning(s): configuration not valid%n",
                    result.errors().size(), result.warnings().size());
            return ExitCodes.USAGE;
        }
        for (Connection c : result.config().connections()) System.out.println(c.summary());
        System.out.printf("%d connection(s), %d warning(s): configuration valid%n",
                result.config().connections().size(), result.warnings().size());
        return ExitCodes.OK;
    }
}
