package io.causeway.daemon.systemd;

/**
 * The texts of sd_notify(3): newline-separated VARIABLE=value assignments in one datagram.
 * A status line comes from connection names and error texts, so a newline in it is folded into
 * a space: it would otherwise start an assignment of its own (MAINPID=, READY=...).
 */
public final class NotifyMessage {
    private NotifyMessage() {}

    /** Start-up is complete (sockets bound, configuration loaded), with the first status line. */
    public static String ready(String status) {
        return "READY=1\n" + status(status);
    }

    /** Free-form text that `systemctl status` shows as "Status:". */
    public static String status(String status) {
        return "STATUS=" + oneLine(status);
    }

    /** Shutdown has begun: systemd shows "deactivating" instead of waiting on a running service. */
    public static String stopping() {
        return "STOPPING=1";
    }

    private static String oneLine(String text) {
        return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
