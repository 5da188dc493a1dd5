package io.causeway.tun;

import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.HeapArrayIo;
import io.causeway.tun.nativeio.LibC;
import io.causeway.tun.nativeio.WakeableFd;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * A layer-3 TUN device (IFF_TUN | IFF_NO_PI): each read returns one IP packet, each write
 * injects one, with no packet-information prefix.
 *
 * <p>Threads: any number of threads may call read() and write() at once (the kernel keeps each
 * packet whole); with {@link #openQueues} each worker gets its own queue and fd. The interface
 * lives in the network namespace of the thread that opened it.
 */
public final class TunDevice implements AutoCloseable {
    static final String CLONE_DEVICE = "/dev/net/tun";

    private static final int O_RDWR = 0x2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_MULTI_QUEUE = 0x0100;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;

    private final String name;
    private final WakeableFd fd;

    private TunDevice(String name, WakeableFd fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Creates (or attaches to) the TUN device {@code nameOrPattern}; a pattern such as
     * {@code "cw%d"} lets the kernel pick the first free number.
     *
     * @throws TunException with an actionable one-line message
     */
    public static TunDevice open(String nameOrPattern) {
        return open(nameOrPattern, false, CLONE_DEVICE);
    }

    /**
     * Opens {@code queues} queues of one multi-queue TUN device, one fd per worker. A pattern
     * name is resolved by the first queue; the others attach to the resolved name.
     */
    public static List<TunDevice> openQueues(String name, int queues) {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, got " + queues);
        }
        List<TunDevice> opened = new ArrayList<>(queues);
        try {
            String resolved = name;
            for (int i = 0; i < queues; i++) {
                TunDevice queue = open(resolved, true, CLONE_DEVICE);
                resolved = queue.name();
                opened.add(queue);
            }
            return List.copyOf(opened);
        } catch (RuntimeException e) {
            opened.forEach(TunDevice::close);
            throw e;
        }
    }

    /** Test seam: {@code cloneDevice} replaces /dev/net/tun to provoke the open failure. */
    static TunDevice open(String nameOrPattern, boolean multiQueue, String cloneDevice) {
        byte[] nameBytes = nameOrPattern.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new TunException("invalid TUN device name '" + nameOrPattern
                    + "': must be 1 to " + (IFNAMSIZ - 1) + " characters", 0);
        }
        LibC libc = LibC.INSTANCE;
        int fd = libc.open(cloneDevice, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            int err = Errno.last();
            throw new TunException("cannot open " + cloneDevice + ": " + Errno.text(err) + openHint(err), err);
        }
        Pointer ifreq = LibC.allocate(IFREQ_SIZE);
        ifreq.put(0, nameBytes, 0, nameBytes.length);
        short flags = (short) (IFF_TUN | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0));
        ifreq.putShort(IFNAMSIZ, flags);
        if (libc.ioctl(fd, TUNSETIFF, ifreq) < 0) {
            int err = Errno.last();
            libc.close(fd);
            throw new TunException("cannot create TUN device " + nameOrPattern + ": " + Errno.text(err)
                    + createHint(err), err);
        }
        byte[] actual = new byte[IFNAMSIZ];
        ifreq.get(0, actual, 0, IFNAMSIZ);
        int end = 0;
        while (end < IFNAMSIZ && actual[end] != 0) {
            end++;
        }
        String resolved = new String(actual, 0, end, StandardCharsets.US_ASCII);
        try {
            return new TunDevice(resolved, WakeableFd.adopt(fd));
        } catch (IllegalStateException e) {
            throw new TunException("cannot open TUN device " + resolved + ": " + e.getMessage(), 0);
        }
    }

    private static String openHint(int err) {
        switch (err) {
            case Errno.ENOENT:
            case Errno.ENODEV:
                return " (load the tun module: modprobe tun)";
            case Errno.EACCES:
            case Errno.EPERM:
                return " (run as root or grant CAP_NET_ADMIN)";
            default:
                return "";
        }
    }

    private static String createHint(int err) {
        switch (err) {
            case Errno.EPERM:
            case Errno.EACCES:
                return " (run as root or grant CAP_NET_ADMIN)";
            case Errno.EBUSY:
                return " (in use by another process, or it exists with other flags, e.g. single- vs multi-queue)";
            case Errno.EINVAL:
                return " (a device of that name exists and is not a TUN device, or the name is invalid)";
            default:
                return "";
        }
    }

    /** The interface name, e.g. "cw0" (a pattern is resolved by the kernel). */
    public String name() {
        return name;
    }

    /** The raw descriptor (non-blocking). Meaningless after close(): the number may be reused. */
    public int fd() {
        return fd.fd();
    }

    /**
     * Reads one packet into {@code buf[off, off+len)}, blocking until one arrives.
     * A packet longer than {@code len} is truncated (the rest is lost): pass at least the MTU.
     *
     * @return the number of bytes stored, or -1 once the device was closed
     */
    public int read(byte[] buf, int off, int len) {
        if (!fd.enter()) {
            return -1;
        }
        try {
            for (;;) {
                long n = HeapArrayIo.read(fd.fd(), buf, off, len);
                if (n >= 0) {
                    return (int) n;
                }
                int err = Errno.last();
                if (err == Errno.EAGAIN) {
                    if (!fd.awaitReadable()) {
                        return -1;
                    }
                } else if (err != Errno.EINTR) {
                    throw new TunException("read from TUN device " + name + ": " + Errno.text(err), err);
                }
            }
        } finally {
            fd.exit();
        }
    }

    /**
     * Writes one IP packet. Never blocks.
     *
     * @return the number of bytes written, or -1 if the packet was dropped (the device is
     *     closed, the kernel is out of buffers, or the kernel rejected the packet as malformed)
     *     — the data path counts it and moves on
     */
    public int write(byte[] buf, int off, int len) {
        if (!fd.enter()) {
            return -1;
        }
        try {
            for (;;) {
                long n = HeapArrayIo.write(fd.fd(), buf, off, len);
                if (n >= 0) {
                    return (int) n;
                }
                int err = Errno.last();
                switch (err) {
                    case Errno.EINTR:
                        continue;
                    case Errno.EAGAIN:
                    case Errno.ENOBUFS:
                    case Errno.EINVAL:
                    case Errno.EMSGSIZE:
                        return -1;
                    default:
                        throw new TunException("write to TUN device " + name + ": " + Errno.text(err), err);
                }
            }
        } finally {
            fd.exit();
        }
    }

    /**
     * Closes this queue and wakes any thread blocked in {@link #read}, which returns -1. A
     * non-persistent device disappears when its last queue is closed. Idempotent.
     */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + "]";
    }
}
