package io.causeway.daemon.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * causeway(8) in roff, built from the same picocli model as `--help`, so the page lists every
 * command and option the installed version has. Each command's section is its `--help` text;
 * the page adds what help cannot: files, environment, exit status, the service.
 */
final class ManPage {
    /** Leaves room for man's 7-column indent on an 80-column terminal. */
    private static final int HELP_WIDTH = 72;

    private ManPage() {}

    static String render(CommandLine root, String version) {
        StringBuilder roff = new StringBuilder();
        roff.append(".TH CAUSEWAY 8 \"\" \"").append(escape(version)).append("\" \"System Administration\"\n");
        section(roff, "NAME", "causeway \\- userspace IPsec site\\-to\\-site VPN gateway (IKEv1 and IKEv2, ESP over TUN)");
        roff.append(".SH SYNOPSIS\n")
                .append(".B causeway\n.I command\n.RI [ options ]\n.br\n")
                .append(".B causeway\n.I command\n.B \\-\\-help\n.br\n")
                .append(".B causeway \\-\\-version\n");
        roff.append(".SH DESCRIPTION\n")
                .append(paragraph("Causeway is a site-to-site IPsec VPN gateway: IKEv1 and IKEv2 with pre-shared keys, and ESP "
                        + "carried in user space over a TUN device, for hosts whose kernel has no usable IPsec. "
                        + "It reads strongSwan's ipsec.conf and ipsec.secrets, so the file a cloud VPN console "
                        + "lets you download for your side loads as it is."))
                .append(".PP\n")
                .append(paragraph("The daemon runs as the systemd service causeway.service; the other commands "
                        + "check the configuration or talk to the running daemon over its control socket."));
        roff.append(".SH COMMANDS\n");
        for (CommandLine sub : visibleSubcommands(root)) {
            roff.append(".SS ").append(escape(sub.getCommandName())).append('\n');
            sub.setUsageHelpWidth(HELP_WIDTH);
            roff.append(".nf\n").append(escapeLines(sub.getUsageMessage(Ansi.OFF))).append(".fi\n");
        }
        roff.append(".SH SERVICE\n")
                .append(paragraph("systemctl enable --now causeway starts the daemon as user causeway with only the "
                        + "capabilities CAP_NET_ADMIN, CAP_NET_BIND_SERVICE and CAP_NET_RAW. systemctl reload "
                        + "causeway runs causeway reload. systemctl status causeway shows how many tunnels are "
                        + "connected; journalctl -u causeway shows the log."));
        roff.append(".SH FILES\n");
        item(roff, "/etc/causeway/ipsec.conf", "Connections, in strongSwan's ipsec.conf dialect.");
        item(roff, "/etc/causeway/ipsec.secrets", "Pre-shared keys, in strongSwan's ipsec.secrets dialect. "
                + "Mode 0600, owned by user causeway, which the daemon runs as.");
        item(roff, "/run/causeway/causeway.sock", "The control socket, mode 0660, group causeway: root and the "
                + "members of group causeway can run status, up, down and reload.");
        item(roff, "/usr/share/causeway/causeway.jar", "The program.");
        roff.append(".SH ENVIRONMENT\n");
        item(roff, "CAUSEWAY_CONFIG, CAUSEWAY_SECRETS, CAUSEWAY_SOCKET",
                "Defaults of --config, --secrets and --socket.");
        item(roff, "CAUSEWAY_LOG_LEVEL", "The daemon's log level: ERROR, WARN, INFO (default), DEBUG or TRACE.");
        item(roff, "CAUSEWAY_JAVA_OPTS", "Options for the Java virtual machine, e.g. -Xmx128m.");
        roff.append(".SH EXIT STATUS\n");
        item(roff, "0", "Success.");
        item(roff, "1", "Usage or configuration error; every error is printed with file:line.");
        item(roff, "2", "The daemon is not running (no control socket).");
        item(roff, "3", "The operation failed, e.g. up did not reach CONNECTED; the reason is printed.");
        section(roff, "SEE ALSO", "systemctl(1), journalctl(1), strongSwan's ipsec.conf(5) and ipsec.secrets(5)");
        return roff.toString();
    }

    private static List<CommandLine> visibleSubcommands(CommandLine root) {
        return root.getSubcommands().values().stream()
                .filter(c -> !c.getCommandSpec().usageMessage().hidden())
                .filter(c -> !(c.getCommand() instanceof CommandLine.HelpCommand))
                .toList();
    }

    private static void section(StringBuilder roff, String title, String roffText) {
        roff.append(".SH ").append(title).append('\n').append(roffText).append('\n');
    }

    private static void item(StringBuilder roff, String tag, String text) {
        roff.append(".TP\n.B ").append(escape(tag)).append('\n').append(paragraph(text));
    }

    private static String paragraph(String text) {
        return escapeLines(text + "\n");
    }

    /** Every line of plain text made literal roff: no line starts a request, no character escapes. */
    static String escapeLines(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (String line : text.lines().toList()) {
            String escaped = escape(line);
            if (escaped.startsWith(".") || escaped.startsWith("'")) out.append("\\&"); // else read as a request
            out.append(escaped).append('\n');
        }
        return out.toString();
    }

    /** Backslash printed as itself, '-' as a minus sign (so options can be searched and copied). */
    static String escape(String text) {
        return text.replace("\\", "\\e").replace("-", "\\-");
    }
}
