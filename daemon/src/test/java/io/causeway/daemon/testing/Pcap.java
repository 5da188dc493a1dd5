package io.causeway.daemon.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
  * Just enough of the classic pcap format (what {@code tcpdump -w} writes) to pull ESP out of a
  * capture: a 24-byte global header, then records of a 16-byte header and the frame. Frames are
  * Ethernet (optionally one VLAN tag) or Linux cooked; IPv4 or IPv6; ESP either in UDP (RFC 3948,
  * the non-ESP marker is skipped as IKE) or raw as IP protocol 50.
  */
public final class Pcap {
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_RAW = 101;
    private static final int LINKTYPE_LINUX_SLL = 113;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int PROTO_UDP = 17;
    private static final int PROTO_ESP = 50;

    /** One ESP packet: outer addresses, UDP ports (0 when raw) and the ESP bytes from the SPI on. */
    public record Esp(InetAddress source, InetAddress destination, int sourcePort, int destinationPort, byte[] bytes) {
        public int spi() {
            return ByteBuffer.wrap(bytes, 0, 4).getInt();
        }

        public long sequence() {
            return ByteBuffer.wrap(bytes, 4, 4).getInt() & 0xffffffffL;
        }

        public boolean udpEncapsulated() {
            return destinationPort != 0;
        }

        @Override
        public String toString() {
            return String.format("ESP %s:%d -> %s:%d spi=%08x seq=%d len=%d", source.getHostAddress(), sourcePort,
                    destination.getHostAddress(), destinationPort, spi(), sequence(), bytes.length);
        }
    }

    private Pcap() {}

    /** Every ESP packet of the capture, in capture order. Other frames are skipped. */
    public static List<Esp> readEsp(Path file) throws IOException {
        return readEsp(Files.readAllBytes(file));
    }

    public static List<Esp> readEsp(byte[] file) {
        if (file.length < 24) {
            throw new IllegalArgumentException("not a pcap file: only " + file.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(file);
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        // microsecond (a1b2c3d4) or nanosecond (a1b23c4d) timestamps, in either byte order
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            in.order(ByteOrder.LITTLE_ENDIAN);
        } else if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
            in.order(ByteOrder.BIG_ENDIAN);
        } else {
            throw new IllegalArgumentException(String.format("not a pcap file: magic %08x", magic));
        }
        int linkType = in.getInt(20) & 0x0fffffff; // the top bits may carry FCS flags
        List<Esp> packets = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= file.length) {
            int captured = in.getInt(pos + 8);
            int start = pos + 16;
            if (captured < 0 || start + captured > file.length) {
                break; // a record cut short: tcpdump was stopped while writing it
            }
            Esp esp = frame(Arrays.copyOfRange(file, start, start + captured), linkType);
            if (esp != null) {
                packets.add(esp);
            }
            pos = start + captured;
        }
        return packets;
    }

    private static Esp frame(byte[] f, int linkType) {
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);
        int off;
        int etherType;
        switch (linkType) {
            case LINKTYPE_ETHERNET -> {
                if (f.length < 14) {
                    return null;
                }
                etherType = b.getShort(12) & 0xffff;
                off = 14;
                if (etherType == ETHERTYPE_VLAN && f.length >= 18) {
                    etherType = b.getShort(16) & 0xffff;
                    off = 18;
                }
            }
            case LINKTYPE_LINUX_SLL -> {
                if (f.length < 16) {
                    return null;
                }
                etherType = b.getShort(14) & 0xffff;
                off = 16;
            }
            case LINKTYPE_RAW -> {
                if (f.length < 1) {
                    return null;
                }
                etherType = (f[0] & 0xf0) == 0x60 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
                off = 0;
            }
            default -> throw new IllegalArgumentException("unsupported pcap link type " + linkType);
        }
        if (etherType == ETHERTYPE_IPV4) {
            return ipv4(f, b, off);
        }
        if (etherType == ETHERTYPE_IPV6) {
            return ipv6(f, b, off);
        }
        return null;
    }

    private static Esp ipv4(byte[] f, ByteBuffer b, int off) {
        if (f.length < off + 20) {
            return null;
        }
        int ihl = (f[off] & 0x0f) * 4;
        int total = b.getShort(off + 2) & 0xffff;
        int end = Math.min(f.length, off + total);
        if ((b.getShort(off + 6) & 0x3fff) != 0) {
            return null; // a fragment: not a whole ESP packet
        }
        InetAddress src = address(f, off + 12, 4);
        InetAddress dst = address(f, off + 16, 4);
        return transport(f, b, f[off + 9] & 0xff, off + ihl, end, src, dst);
    }

    private static Esp ipv6(byte[] f, ByteBuffer b, int off) {
        if (f.length < off + 40) {
            return null;
        }
        int payload = b.getShort(off + 4) & 0xffff;
        int end = Math.min(f.length, off + 40 + payload);
        InetAddress src = address(f, off + 8, 16);
        InetAddress dst = address(f, off + 24, 16);
        // no extension headers: Causeway sends none and the lab adds none
        return transport(f, b, f[off + 6] & 0xff, off + 40, end, src, dst);
    }

    private static Esp transport(byte[] f, ByteBuffer b, int protocol, int off, int end, InetAddress src,
            InetAddress dst) {
        if (protocol == PROTO_ESP) {
            return end - off >= 8 ? new Esp(src, dst, 0, 0, Arrays.copyOfRange(f, off, end)) : null;
        }
        if (protocol != PROTO_UDP || end - off < 8) {
            return null;
        }
        int sport = b.getShort(off) & 0xffff;
        int dport = b.getShort(off + 2) & 0xffff;
        int udpEnd = Math.min(end, off + (b.getShort(off + 4) & 0xffff));
        int esp = off + 8;
        // RFC 3948 2.2: a one-byte 0xff is a keepalive, four zero bytes mark IKE; the rest is ESP
        if (udpEnd - esp < 8 || b.getInt(esp) == 0) {
            return null;
        }
        return new Esp(src, dst, sport, dport, Arrays.copyOfRange(f, esp, udpEnd));
    }

    private static InetAddress address(byte[] f, int off, int len) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(f, off, off + len));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for a wrong length
        }
    }
}
