package io.causeway.tun.nativeio;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.ObjectParameterInfo;
import com.kenai.jffi.ObjectParameterStrategy;
import com.kenai.jffi.ObjectParameterType;
import com.kenai.jffi.Type;
import java.util.Objects;

/**
 * read/write/sendto/recvfrom on a slice of a heap {@code byte[]}, without allocating and
 * without copying.
 *
 * <p>Why not a plain jnr-ffi interface method: jnr-ffi passes a {@code byte[]} parameter with
 * offset 0 and the whole array length (its array strategy has no offset), copying the whole
 * array in and out unless {@code @Pinned}. A heap {@code ByteBuffer} parameter does honour
 * {@code arrayOffset() + position()}, but needs a new wrapper (or a cached one per array) for
 * each call. So we go one layer down, to jffi (the engine jnr-ffi generates its calls onto):
 * {@code Invoker.invokeNn(..., object, strategy, info)} asks the strategy for the object, its
 * offset and its length, and with {@link ObjectParameterInfo#PINNED} passes the array's own
 * memory (JNI GetPrimitiveArrayCritical) plus the offset to the C function. Our strategy reads
 * those three values from a per-thread mutable {@link Slice}, so a call allocates nothing.
 *
 * <p>A pinned array holds the GC locker for the duration of the call. That is why every caller
 * uses non-blocking descriptors (or MSG_DONTWAIT) and waits in poll() with nothing pinned:
 * the pinned window is one short system call, never an idle wait.
 */
public final class HeapArrayIo {
    private static final Invoker INVOKER = Invoker.getInstance();
    private static final long READ = LibcSymbols.address("read");
    private static final long WRITE = LibcSymbols.address("write");
    private static final long SENDTO = LibcSymbols.address("sendto");
    private static final long RECVFROM = LibcSymbols.address("recvfrom");

    // ssize_t read(int, void*, size_t) and write: same shape.
    private static final CallContext RW = CallContext.getCallContext(
            Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG}, CallingConvention.DEFAULT, true);
    // ssize_t sendto(int, const void*, size_t, int, const sockaddr*, socklen_t)
    private static final CallContext SEND_TO = CallContext.getCallContext(
            Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG, Type.SINT, Type.POINTER, Type.UINT},
            CallingConvention.DEFAULT, true);
    // ssize_t recvfrom(int, void*, size_t, int, sockaddr*, socklen_t*)
    private static final CallContext RECV_FROM = CallContext.getCallContext(
            Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG, Type.SINT, Type.POINTER, Type.POINTER},
            CallingConvention.DEFAULT, true);

    // The buffer is always parameter 1. IN: the callee reads it; OUT: the callee fills it.
    private static final ObjectParameterInfo PINNED_IN = ObjectParameterInfo.create(
            1, ObjectParameterInfo.ARRAY, ObjectParameterInfo.BYTE, ObjectParameterInfo.IN | ObjectParameterInfo.PINNED);
    private static final ObjectParameterInfo PINNED_OUT = ObjectParameterInfo.create(
            1, ObjectParameterInfo.ARRAY, ObjectParameterInfo.BYTE, ObjectParameterInfo.OUT | ObjectParameterInfo.PINNED);

    private static final SliceStrategy STRATEGY = new SliceStrategy();
    private static final ThreadLocal<Slice> SLICE = ThreadLocal.withInitial(Slice::new);

    private HeapArrayIo() {
    }

    /** read(2) into buf[off, off+len); returns the result, errno in {@link Errno#last()}. */
    public static long read(int fd, byte[] buf, int off, int len) {
        Slice s = slice(buf, off, len);
        long n = INVOKER.invokeN3(RW, READ, fd, 0L, len, 1, s, STRATEGY, PINNED_OUT);
        s.array = null;
        return n;
    }

    /** write(2) from buf[off, off+len). */
    public static long write(int fd, byte[] buf, int off, int len) {
        Slice s = slice(buf, off, len);
        long n = INVOKER.invokeN3(RW, WRITE, fd, 0L, len, 1, s, STRATEGY, PINNED_IN);
        s.array = null;
        return n;
    }

    /** sendto(2) from buf[off, off+len) to a native sockaddr. */
    public static long sendTo(int fd, byte[] buf, int off, int len, int flags, long addr, int addrLen) {
        Slice s = slice(buf, off, len);
        long n = INVOKER.invokeN6(SEND_TO, SENDTO, fd, 0L, len, flags, addr, addrLen, 1, s, STRATEGY, PINNED_IN);
        s.array = null;
        return n;
    }

    /** recvfrom(2) into buf[off, off+len); the sender lands in the native sockaddr/socklen. */
    public static long recvFrom(int fd, byte[] buf, int off, int len, int flags, long addr, long addrLenPtr) {
        Slice s = slice(buf, off, len);
        long n = INVOKER.invokeN6(RECV_FROM, RECVFROM, fd, 0L, len, flags, addr, addrLenPtr, 1, s, STRATEGY, PINNED_OUT);
        s.array = null;
        return n;
    }

    private static Slice slice(byte[] buf, int off, int len) {
        // The native side trusts offset and length: check them here, never let C overrun.
        Objects.checkFromIndexSize(off, len, buf.length);
        Slice s = SLICE.get();
        s.array = buf;
        s.offset = off;
        s.length = len;
        return s;
    }

    /** Which array and which part of it; one per thread, reused for every call. */
    static final class Slice {
        byte[] array;
        int offset;
        int length;
    }

    static final class SliceStrategy extends ObjectParameterStrategy<Slice> {
        SliceStrategy() {
            super(HEAP, ObjectParameterType.create(ObjectParameterType.ARRAY, ObjectParameterType.BYTE));
        }

        @Override
        public long address(Slice s) {
            return 0;
        }

        @Override
        public Object object(Slice s) {
            return s.array;
        }

        @Override
        public int offset(Slice s) {
            return s.offset;
        }

        @Override
        public int length(Slice s) {
            return s.length;
        }
    }
}
