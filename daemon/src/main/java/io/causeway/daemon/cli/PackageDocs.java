package io.causeway.daemon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Writes what the Debian package installs besides the jar and derives from the command model:
 * the bash completion script (picocli's AutoComplete) and the causeway(8) man page. Run by
 * packaging/build-deb at build time: {@code java -cp causeway.jar io.causeway.daemon.cli.PackageDocs
 * COMPLETION_FILE MAN_FILE}.
 */
public final class PackageDocs {
    private PackageDocs() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PackageDocs COMPLETION_FILE MAN_FILE");
            System.exit(ExitCodes.USAGE);
        }
        Files.writeString(Path.of(args[0]), completion());
        Files.writeString(Path.of(args[1]), manPage());
    }

    static String completion() {
        return AutoComplete.bash("causeway", Main.fullCommandLine());
    }

    static String manPage() {
        return ManPage.render(Main.fullCommandLine(), new VersionProvider().getVersion()[0]);
    }
}
