package io.causeway.tun.nativeio;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;

/**
 * A non-blocking file descriptor whose blocked readers can be woken by {@link #close()}.
 *
 * <p>On Linux, closing an fd does not wake a thread blocked in read() on it. So the fd is kept
 * non-blocking; a reader first tries the call (one system call when data is ready) and only on
 * EAGAIN waits in poll() on the fd plus an eventfd. close() makes the eventfd readable for good,
 * which wakes every waiter now and later.
 *
 * <p>The fd number itself is released only when no call is in flight: otherwise a reader could
 * call read() on a number the kernel has meanwhile handed to someone else. Every call brackets
 * itself with {@link #enter()}/{@link #exit()}, a reference count in one atomic word (the scheme
 * Go's runtime uses for its fds); the last one out after close() closes the descriptors.
 */
public final class WakeableFd {
    private static final int CLOSED = 1 << 30;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final short POLLIN = 0x1;

    private final int fd;
    private final int wakeFd;
    private final Pointer pollFds;
    private final AtomicInteger state = new AtomicInteger(); // CLOSED bit | calls in flight
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();

    private WakeableFd(int fd, int wakeFd) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        // struct pollfd { int fd; short events; short revents; } x2. Shared by concurrent
        // waiters: the kernel only writes revents, which we never read.
        this.pollFds = LibC.allocate(16);
        pollFds.putInt(0, fd);
        pollFds.putShort(4, POLLIN);
        pollFds.putInt(8, wakeFd);
        pollFds.putShort(12, POLLIN);
    }

    /**
     * Takes ownership of a non-blocking fd. If the eventfd cannot be created the fd is closed.
     *
     * @throws IllegalStateException when no eventfd can be had (fd table full)
     */
    public static WakeableFd adopt(int fd) {
        int wake = LibC.INSTANCE.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wake < 0) {
            int err = Errno.last();
            LibC.INSTANCE.close(fd);
            throw new IllegalStateException("cannot create eventfd: " + Errno.text(err));
        }
        return new WakeableFd(fd, wake);
    }

    public int fd() {
        return fd;
    }

    /** Starts a call; false if already closed (then do not call {@link #exit()}). */
    public boolean enter() {
        if ((state.getAndIncrement() & CLOSED) != 0) {
            exit();
            return false;
        }
        return true;
    }

    /** Ends a call started by a successful {@link #enter()}. */
    public void exit() {
        if (state.decrementAndGet() == CLOSED) {
            release();
        }
    }

    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * Waits until the fd is readable or the fd was closed; call between enter() and exit().
     *
     * @return false once closed
     */
    public boolean awaitReadable() {
        while (!isClosed()) {
            int r = LibC.INSTANCE.poll(pollFds, 2, -1);
            if (r >= 0) {
                return !isClosed();
            }
            int err = Errno.last();
            if (err != Errno.EINTR) {
                throw new IllegalStateException("poll failed: " + Errno.text(err));
            }
        }
        return false;
    }

    /** Marks closed, wakes all waiters, and frees the fds once the last call has left. */
    public void close() {
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        state.getAndIncrement(); // hold a reference: the eventfd must stay open while we signal it
        state.getAndAdd(CLOSED);
        Pointer one = LibC.allocate(8);
        one.putLong(0, 1);
        LibC.INSTANCE.write(wakeFd, one, 8);
        exit();
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            LibC.INSTANCE.close(fd);
            LibC.INSTANCE.close(wakeFd);
        }
    }
}
