package io.causeway.tun.socket;

import io.causeway.tun.nativeio.LibC;
import jnr.ffi.Pointer;

/**
 * An array of struct mmsghdr for one recvmmsg or sendmmsg, each entry with a single iovec of its own, in native
 * memory allocated once and refilled for each call by the thread that owns it. LP64 layout: an entry is a msghdr
 * ({@link MessageHeader}'s fields) followed by {@code unsigned int msg_len} at 56, padded to 64 bytes; the iovecs
 * ({@code void *base, size_t len}, 16 bytes) lie in a second array.
 */
final class MessageVector {
    static final int ENTRY = 64;
    private static final int MSG_LEN = MessageHeader.MSGHDR_SIZE;
    private static final int IOVEC = 16;

    private final int capacity;
    private final Pointer entries;
    private final Pointer iovecs;

    MessageVector(int capacity) {
        this.capacity = capacity;
        this.entries = LibC.allocate(capacity * ENTRY);
        this.iovecs = LibC.allocate(capacity * IOVEC);
        for (int i = 0; i < capacity; i++) {
            long entry = (long) i * ENTRY;
            entries.putLong(entry + MessageHeader.IOV, iovecs.address() + (long) i * IOVEC);
            entries.putLong(entry + MessageHeader.IOV_LEN, 1);
        }
    }

    int capacity() {
        return capacity;
    }

    /** Native address of entry {@code i}; its first 56 bytes are a msghdr that recvmsg and sendmsg take as well. */
    long address(int i) {
        return entries.address() + (long) i * ENTRY;
    }

    /** Sets every field of entry {@code i} a call reads or the kernel updates; no control messages. */
    void fill(int i, long name, int nameLength, long data, int dataLength) {
        long entry = (long) i * ENTRY;
        entries.putLong(entry + MessageHeader.NAME, name);
        entries.putInt(entry + MessageHeader.NAME_LEN, nameLength);
        entries.putLong(entry + MessageHeader.CONTROL, 0);
        entries.putLong(entry + MessageHeader.CONTROL_LEN, 0);
        entries.putInt(entry + MessageHeader.FLAGS, 0);
        entries.putInt(entry + MSG_LEN, 0);
        iovecs.putLong((long) i * IOVEC, data);
        iovecs.putLong((long) i * IOVEC + 8, dataLength);
    }

    /** After recvmmsg: the bytes of entry {@code i}'s datagram. */
    int messageLength(int i) {
        return entries.getInt((long) i * ENTRY + MSG_LEN);
    }

    /** For a recvmsg into entry {@code i}, which reports its length as the call's result instead. */
    void setMessageLength(int i, int length) {
        entries.putInt((long) i * ENTRY + MSG_LEN, length);
    }

    /** After a receive: the length of the sender's address the kernel stored in entry {@code i}. */
    int nameLength(int i) {
        return entries.getInt((long) i * ENTRY + MessageHeader.NAME_LEN);
    }

    /** After a receive: entry {@code i}'s MSG_TRUNC, ... */
    int flags(int i) {
        return entries.getInt((long) i * ENTRY + MessageHeader.FLAGS);
    }
}
