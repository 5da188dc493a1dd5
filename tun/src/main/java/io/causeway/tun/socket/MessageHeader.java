package io.causeway.tun.socket;

import io.causeway.tun.nativeio.LibC;
import jnr.ffi.Pointer;

/**
 * One struct msghdr and the single struct iovec it points to, in native memory, refilled for
 * each call by the one thread that owns it. LP64 layout (x86-64 and aarch64 Linux):
 * <pre>
 * msghdr (56): void *name @0, u32 namelen @8, iovec *iov @16, size_t iovlen @24,
 *              void *control @32, size_t controllen @40, int flags @48
 * iovec  (16): void *base @56, size_t len @64
 * </pre>
 */
final class MessageHeader {
    // the msghdr's fields, also those of each entry of a MessageVector
    static final int NAME = 0;
    static final int NAME_LEN = 8;
    static final int IOV = 16;
    static final int IOV_LEN = 24;
    static final int CONTROL = 32;
    static final int CONTROL_LEN = 40;
    static final int FLAGS = 48;
    static final int MSGHDR_SIZE = 56;
    private static final int IOV_BASE = 56;
    private static final int IOV_BASE_LEN = 64;
    private static final int SIZE = 72;

    private final Pointer memory = LibC.allocate(SIZE);
    private final long address = memory.address();

    MessageHeader() {
        memory.putLong(IOV, address + IOV_BASE);
        memory.putLong(IOV_LEN, 1);
    }

    /** Fills every field a call reads or the kernel updates; returns the msghdr's address. */
    long fill(long name, int nameLength, long data, int dataLength, long control, int controlLength) {
        memory.putLong(NAME, name);
        memory.putInt(NAME_LEN, nameLength);
        memory.putLong(IOV_BASE, data);
        memory.putLong(IOV_BASE_LEN, dataLength);
        memory.putLong(CONTROL, control);
        memory.putLong(CONTROL_LEN, controlLength);
        memory.putInt(FLAGS, 0);
        return address;
    }

    /** After recvmsg: the length of the sender's address the kernel stored. */
    int nameLength() {
        return memory.getInt(NAME_LEN);
    }

    /** After recvmsg: the bytes of control messages stored. */
    int controlLength() {
        return (int) memory.getLong(CONTROL_LEN);
    }

    /** After recvmsg: MSG_TRUNC, MSG_CTRUNC, ... */
    int flags() {
        return memory.getInt(FLAGS);
    }
}
