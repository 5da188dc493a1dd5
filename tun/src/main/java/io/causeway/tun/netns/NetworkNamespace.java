package io.causeway.tun.netns;

import io.causeway.tun.OsException;
import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.LibC;
import io.causeway.tun.netlink.Netlink;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code in another network namespace, for tests and the lab.
 *
 * <p>Linux network namespaces belong to threads, not processes: {@code unshare(CLONE_NEWNET)}
 * and {@code setns()} move only the calling thread. So each call runs its callable on a fresh
 * thread, moves that thread, and lets it die afterwards; the rest of the JVM stays where it
 * was. Sockets, TUN devices and netlink handles opened by the callable stay in that namespace
 * even if used from other threads later; threads the callable starts inherit its namespace.
 */
public final class NetworkNamespace {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    static final String NETNS_DIR = "/var/run/netns/";

    private NetworkNamespace() {
    }

    /**
     * Runs {@code body} in a new, empty network namespace with loopback up. The namespace
     * disappears when the thread ends and the last fd opened in it is closed.
     */
    public static <T> T isolated(Callable<T> body) throws Exception {
        return runOnFreshThread("netns-isolated", () -> {
            if (LibC.INSTANCE.unshare(CLONE_NEWNET) != 0) {
                int err = Errno.last();
                throw new OsException("cannot create a network namespace: " + Errno.text(err)
                        + (err == Errno.EPERM ? " (run as root or grant CAP_SYS_ADMIN)" : ""), err);
            }
            try (Netlink netlink = Netlink.open()) {
                netlink.setLinkUp("lo");
            }
            return body.call();
        });
    }

    /** Runs {@code body} in the named namespace ({@code ip netns add NAME} made /var/run/netns/NAME). */
    public static <T> T in(String netnsName, Callable<T> body) throws Exception {
        if (netnsName.isEmpty() || netnsName.contains("/") || netnsName.equals(".") || netnsName.equals("..")) {
            throw new IllegalArgumentException("invalid network namespace name '" + netnsName + "'");
        }
        String path = NETNS_DIR + netnsName;
        return runOnFreshThread("netns-" + netnsName, () -> {
            LibC libc = LibC.INSTANCE;
            int fd = libc.open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                int err = Errno.last();
                throw new OsException("cannot open network namespace " + netnsName + " (" + path + "): "
                        + Errno.text(err), err);
            }
            try {
                if (libc.setns(fd, CLONE_NEWNET) != 0) {
                    int err = Errno.last();
                    throw new OsException("cannot enter network namespace " + netnsName + ": " + Errno.text(err)
                            + (err == Errno.EPERM ? " (run as root or grant CAP_SYS_ADMIN)" : ""), err);
                }
            } finally {
                libc.close(fd);
            }
            return body.call();
        });
    }

    /** Runs on a new thread (never reused: it carries the namespace) and rethrows what it threw. */
    private static <T> T runOnFreshThread(String name, Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.start();
        thread.join();
        Throwable t = failure.get();
        if (t == null) {
            return result.get();
        }
        if (t instanceof Exception e) {
            throw e;
        }
        throw (Error) t;
    }
}
