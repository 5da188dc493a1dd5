package io.causeway.tun.nativeio;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;

/**
 * The libc functions used off the hot path, bound by jnr-ffi. Arrays passed here are copied by
 * jnr-ffi (in for {@code @In}, out for {@code @Out}); that is fine for control-plane calls.
 * The per-packet calls go through {@link HeapArrayIo} instead.
 */
public interface LibC {
    LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");
    Runtime RUNTIME = Runtime.getRuntime(INSTANCE);

    int open(String path, int flags);

    int close(int fd);

    // ioctl and fcntl are variadic in C; a fixed signature with integer/pointer arguments is
    // ABI-compatible on x86-64 and aarch64 Linux, the platforms we run on.
    int ioctl(int fd, long request, Pointer arg);

    /** For requests whose argument is a value, not a pointer (e.g. TUNSETOFFLOAD). */
    int ioctl(int fd, long request, long arg);

    int fcntl(int fd, int cmd, int arg);

    int eventfd(int initval, int flags);

    long write(int fd, Pointer buf, long count);

    int poll(Pointer fds, long nfds, int timeoutMillis);

    int socket(int domain, int type, int protocol);

    int bind(int fd, Pointer addr, int addrLen);

    int getsockname(int fd, Pointer addr, Pointer addrLen);

    int setsockopt(int fd, int level, int option, Pointer value, int valueLen);

    int getsockopt(int fd, int level, int option, Pointer value, Pointer valueLen);

    long send(int fd, @In byte[] buf, long len, int flags);

    long recv(int fd, Pointer buf, long len, int flags);

    int unshare(int flags);

    int setns(int fd, int nstype);

    int geteuid();

    String strerror(int errnum);

    static Pointer allocate(int size) {
        // Direct memory owned by the returned Pointer and freed when it is garbage collected.
        return jnr.ffi.Memory.allocateDirect(RUNTIME, size, true);
    }
}
