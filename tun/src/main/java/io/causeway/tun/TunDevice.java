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
 * <p>Opened with offload (IFF_VNET_HDR), every read and every write starts with a
 * {@value #VNET_HDR_LEN}-byte struct virtio_net_hdr, and the kernel may hand over (and accept)
 * one GSO super-packet of up to 64 KiB instead of MTU-sized packets, as wireguard-go does:
 * <pre>
 * u8 flags (1 = NEEDS_CSUM), u8 gso_type (0 none, 1 TCPV4, 4 TCPV6, 5 UDP_L4),
 * le16 hdr_len, le16 gso_size, le16 csum_start, le16 csum_offset
 * </pre>
 * With {@link #TUN_F_CSUM} the kernel leaves the TCP/UDP checksum of what it sends into the
 * TUN partial (flags NEEDS_CSUM; csum_start counts from the IP header): whoever carries the
 * packet on completes it. A write with flags 0 must carry a complete checksum, which the
 * kernel verifies.
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
    private static final long TUNGETIFF = 0x800454d2L; // _IOR('T', 210, unsigned int)
    private static final long TUNSETOFFLOAD = 0x400454d0L; // _IOW('T', 208, unsigned int)
    private static final long TUNSETVNETHDRSZ = 0x400454d8L; // _IOW('T', 216, int)
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_MULTI_QUEUE = 0x0100;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;

    /** Bytes of struct virtio_net_hdr in front of every packet of an offload device. */
    public static final int VNET_HDR_LEN = 10;
    /** The kernel may leave the transport checksum to us (flags NEEDS_CSUM) and accepts the same. */
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;
    public static final int TUN_F_TSO6 = 0x04;
    /** UDP segmentation offload (Linux 6.2 and later). */
    public static final int TUN_F_USO4 = 0x20;
    public static final int TUN_F_USO6 = 0x40;

    /** The offload sets tried in order; the kernel refuses USO before 6.2, and TSO needs CSUM. */
    static final int[] OFFLOADS = {
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6,
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
    };
    static final int[] NO_OFFLOADS = {};
    private static final int PLAIN = -1;

    private final String name;
    private final WakeableFd fd;
    private final int offloadFlags;
    private final boolean offload;

    private TunDevice(String name, WakeableFd fd, boolean offload, int offloadFlags) {
        this.name = name;
        this.fd = fd;
        this.offload = offload;
        this.offloadFlags = offloadFlags;
    }

    /**
     * Creates (or attaches to) the TUN device {@code nameOrPattern}; a pattern such as
     * {@code "cw%d"} lets the kernel pick the first free number. Same as {@code open(name, false)}.
     *
     * @throws TunException with an actionable one-line message
     */
    public static TunDevice open(String nameOrPattern) {
        return open(nameOrPattern, false);
    }

    /**
     * As {@link #open(String)}; with {@code offload}, asks for IFF_VNET_HDR and TSO/USO (see
     * {@link #offload()}). A kernel that refuses every offload set gets a plain device instead
     * ({@code offload() == false}), so the caller always has a working one.
     */
    public static TunDevice open(String nameOrPattern, boolean offload) {
        return open(nameOrPattern, false, offload ? OFFLOADS : NO_OFFLOADS, CLONE_DEVICE);
    }

    /**
     * Opens {@code queues} queues of one multi-queue TUN device, one fd per worker. A pattern
     * name is resolved by the first queue; the others attach to the resolved name. Same as
     * {@code openQueues(name, queues, false)}.
     */
    public static List<TunDevice> openQueues(String name, int queues) {
        return openQueues(name, queues, false);
    }

    /**
     * As {@link #openQueues(String, int)}; with {@code offload}, the first queue settles the
     * offloads as {@link #open(String, boolean)} does and every other queue gets the same flags.
     * Attaching to a device whose queues are already open keeps the device's choice:
     * {@code offload} on a plain one gives plain queues, a plain open of an offload one fails.
     */
    public static List<TunDevice> openQueues(String name, int queues, boolean offload) {
        return openQueues(name, queues, offload ? OFFLOADS : NO_OFFLOADS, CLONE_DEVICE);
    }

    /** Test seam: {@code offloads} replaces the flag sets tried, to provoke the fallback. */
    static List<TunDevice> openQueues(String name, int queues, int[] offloads, String cloneDevice) {
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, got " + queues);
        }
        List<TunDevice> opened = new ArrayList<>(queues);
        try {
            TunDevice first = open(name, true, offloads, cloneDevice);
            opened.add(first);
            for (int i = 1; i < queues; i++) {
                int flags = first.offload() ? first.offloadFlags() : PLAIN;
                opened.add(openQueue(first.name(), true, flags, false, cloneDevice));
            }
            return List.copyOf(opened);
        } catch (RuntimeException e) {
            opened.forEach(TunDevice::close);
            throw e;
        }
    }

    /** Test seam: {@code cloneDevice} replaces /dev/net/tun to provoke the open failure. */
    static TunDevice open(String nameOrPattern, boolean multiQueue, String cloneDevice) {
        return open(nameOrPattern, multiQueue, NO_OFFLOADS, cloneDevice);
    }

    /**
     * Tries each set of {@code offloads} in turn; when the kernel takes none, the device is
     * opened without IFF_VNET_HDR (each refused attempt closed its fd, so a non-persistent
     * device is gone by then and comes back plain).
     */
    static TunDevice open(String nameOrPattern, boolean multiQueue, int[] offloads, String cloneDevice) {
        for (int flags : offloads) {
            TunDevice device = openQueue(nameOrPattern, multiQueue, flags, true, cloneDevice);
            if (device != null) {
                return device;
            }
        }
        return openQueue(nameOrPattern, multiQueue, PLAIN, false, cloneDevice);
    }

    /**
     * Opens one queue: a plain one for {@link #PLAIN}, else with IFF_VNET_HDR and those TUN_F_*
     * flags.
     *
     * @param mayRefuse whether a refusal of the offloads returns null (the caller tries less)
     *     rather than throwing (the device's other queues already have them)
     * @return the queue, or null when {@code mayRefuse} and the kernel created the device but
     *     refused the offloads (the fd is closed again)
     */
    private static TunDevice openQueue(String nameOrPattern, boolean multiQueue, int offloadFlags,
            boolean mayRefuse, String cloneDevice) {
        byte[] nameBytes = nameOrPattern.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new TunException("invalid TUN device name '" + nameOrPattern
                    + "': must be 1 to " + (IFNAMSIZ - 1) + " characters", 0);
        }
        boolean offload = offloadFlags != PLAIN;
        LibC libc = LibC.INSTANCE;
        int fd = libc.open(cloneDevice, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            int err = Errno.last();
            throw new TunException("cannot open " + cloneDevice + ": " + Errno.text(err) + openHint(err), err);
        }
        Pointer ifreq = LibC.allocate(IFREQ_SIZE);
        ifreq.put(0, nameBytes, 0, nameBytes.length);
        short flags = (short) (IFF_TUN | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0) | (offload ? IFF_VNET_HDR : 0));
        ifreq.putShort(IFNAMSIZ, flags);
        if (libc.ioctl(fd, TUNSETIFF, ifreq) < 0) {
            int err = Errno.last();
            libc.close(fd);
            throw new TunException("cannot create TUN device " + nameOrPattern + ": " + Errno.text(err)
                    + createHint(err), err);
        }
        // A queue attaching to a multi-queue device that has queues already keeps the device's
        // IFF_VNET_HDR whatever it asked for: ask the kernel what this fd will carry.
        boolean header = (deviceFlags(fd, ifreq, nameOrPattern) & IFF_VNET_HDR) != 0;
        if (header && !offload) {
            libc.close(fd);
            throw new TunException("cannot attach to TUN device " + nameOrPattern
                    + ": its other queues use offloads (IFF_VNET_HDR); open this one with offload too", 0);
        }
        if (offload && !header) {
            // The device's other queues are plain: so is this one, and TUNSETOFFLOAD would have
            // the kernel send super-packets to readers that expect none.
            offload = false;
        }
        if (offload) {
            int err = enableOffloads(fd, offloadFlags);
            if (err != 0) {
                libc.close(fd);
                if (mayRefuse) {
                    return null;
                }
                throw new TunException("cannot enable offloads 0x" + Integer.toHexString(offloadFlags)
                        + " on a queue of TUN device " + nameOrPattern + ": " + Errno.text(err)
                        + " (its first queue has them; open it without offload)", err);
            }
        }
        byte[] actual = new byte[IFNAMSIZ];
        ifreq.get(0, actual, 0, IFNAMSIZ);
        int end = 0;
        while (end < IFNAMSIZ && actual[end] != 0) {
            end++;
        }
        String resolved = new String(actual, 0, end, StandardCharsets.US_ASCII);
        try {
            return new TunDevice(resolved, WakeableFd.adopt(fd), offload, offload ? offloadFlags : 0);
        } catch (IllegalStateException e) {
            throw new TunException("cannot open TUN device " + resolved + ": " + e.getMessage(), 0);
        }
    }

    /** The IFF_* flags of the device behind {@code fd}; the name in {@code ifreq} stays. */
    private static int deviceFlags(int fd, Pointer ifreq, String nameOrPattern) {
        if (LibC.INSTANCE.ioctl(fd, TUNGETIFF, ifreq) < 0) {
            int err = Errno.last();
            LibC.INSTANCE.close(fd);
            throw new TunException("cannot read the flags of TUN device " + nameOrPattern + ": " + Errno.text(err), err);
        }
        return Short.toUnsignedInt(ifreq.getShort(IFNAMSIZ));
    }

    /** @return 0, or the errno of the ioctl the kernel refused */
    private static int enableOffloads(int fd, int offloadFlags) {
        // The default vnet header is 10 bytes already; set it anyway, so that a persistent device
        // another program left at 12 (with num_buffers) cannot shift our packets by two bytes.
        Pointer size = LibC.allocate(4);
        size.putInt(0, VNET_HDR_LEN);
        if (LibC.INSTANCE.ioctl(fd, TUNSETVNETHDRSZ, size) < 0) {
            return Errno.last();
        }
        // TUNSETOFFLOAD takes the flags as the argument itself, not through a pointer.
        if (LibC.INSTANCE.ioctl(fd, TUNSETOFFLOAD, (long) offloadFlags) < 0) {
            return Errno.last();
        }
        return 0;
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

    /**
     * Whether every read returns a {@value #VNET_HDR_LEN}-byte virtio_net_hdr followed by one IP
     * packet, possibly a GSO super-packet of up to 64 KiB, and every write must start with one.
     */
    public boolean offload() {
        return offload;
    }

    /** The TUN_F_* flags the kernel accepted; 0 without {@link #offload()}. */
    public int offloadFlags() {
        return offloadFlags;
    }

    /** The raw descriptor (non-blocking). Meaningless after close(): the number may be reused. */
    public int fd() {
        return fd.fd();
    }

    /**
     * Reads one packet into {@code buf[off, off+len)}, blocking until one arrives.
     * A packet longer than {@code len} is truncated (the rest is lost): pass at least the MTU,
     * or {@value #VNET_HDR_LEN} + 65,535 bytes with {@link #offload()}.
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
     * Writes one IP packet (behind its virtio_net_hdr with {@link #offload()}). Never blocks.
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
