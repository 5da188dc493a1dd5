package io.causeway.tun.nativeio;

import com.kenai.jffi.Library;

/** Addresses of libc functions for the jffi calls of {@link HeapArrayIo} and {@link NativeMemoryIo}. */
final class LibcSymbols {
    private static final Library LIBC = load();

    private LibcSymbols() {
    }

    /** The address of {@code name}; a libc without it is a broken installation, not an input error. */
    static long address(String name) {
        long address = LIBC.getSymbolAddress(name);
        if (address == 0) {
            throw new IllegalStateException("libc has no symbol " + name + ": " + Library.getLastError());
        }
        return address;
    }

    private static Library load() {
        Library lib = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.LOCAL);
        return lib != null ? lib : Library.getDefault();
    }
}
