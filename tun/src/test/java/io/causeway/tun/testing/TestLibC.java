package io.causeway.tun.testing;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/** libc calls only tests need. */
public interface TestLibC {
    TestLibC INSTANCE = LibraryLoader.create(TestLibC.class).load("c");

    int gettid();

    int capget(Pointer header, Pointer data);

    int capset(Pointer header, Pointer data);

    int socket(int domain, int type, int protocol);

    int close(int fd);

    /** Connects a datagram socket: from then on the kernel reports ICMP errors for it on the next receive. */
    int connect(int fd, byte[] sockaddr, int length);
}
