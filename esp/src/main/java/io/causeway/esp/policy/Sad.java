package io.causeway.esp.policy;

import io.causeway.esp.InboundSa;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Security Association Database (RFC 4301 4.4.2) for inbound ESP: an immutable SPI table. The control thread
 * builds a new one and publishes it through {@link SadHolder}; workers look up without locks or boxing.
 */
public final class Sad {
    public static final Sad EMPTY = new Sad(List.of());

    private final int[] spis;
    private final InboundSa[] sas;
    private final int mask;
    private final List<InboundSa> all;

    private Sad(List<InboundSa> list) {
        int capacity = Integer.highestOneBit(Math.max(4, list.size() * 2) * 2 - 1);
        spis = new int[capacity];
        sas = new InboundSa[capacity];
        mask = capacity - 1;
        for (InboundSa sa : list) {
            int i = slot(sa.spi());
            while (sas[i] != null) {
                if (spis[i] == sa.spi()) {
                    throw new IllegalArgumentException("duplicate inbound SPI " + Integer.toHexString(sa.spi()));
                }
                i = (i + 1) & mask;
            }
            spis[i] = sa.spi();
            sas[i] = sa;
        }
        all = List.copyOf(list);
    }

    public static Sad of(Collection<InboundSa> sas) {
        return new Sad(List.copyOf(sas));
    }

    /** The SA for {@code spi}, or null. */
    public InboundSa lookup(int spi) {
        for (int i = slot(spi); ; i = (i + 1) & mask) {
            InboundSa sa = sas[i];
            if (sa == null || spis[i] == spi) {
                return sa;
            }
        }
    }

    public Sad with(InboundSa sa) {
        List<InboundSa> next = new ArrayList<>(all);
        next.add(sa);
        return new Sad(next);
    }

    public Sad without(int spi) {
        List<InboundSa> next = new ArrayList<>(all);
        next.removeIf(sa -> sa.spi() == spi);
        return new Sad(next);
    }

    public List<InboundSa> all() {
        return all;
    }

    public int size() {
        return all.size();
    }

    private int slot(int spi) {
        return (spi * 0x9E3779B9 >>> 16 ^ spi * 0x9E3779B9) & mask;
    }
}
