package io.causeway.daemon;

import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.SecureRandomSource;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.SaPayload;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * An IKE flood from one thread: IKE_SA_INIT requests that a responder with the default proposal would accept (a real
 * MODP-3072 KE, a fresh initiator SPI in every one) and, one datagram in five, random bytes to port 500 or 4500, each
 * from the next of many source addresses in turn. Run it inside the namespace that owns those addresses.
 */
final class IkeFloodSender {
    /** Causeway's default ike= proposal, so the requests pass the proposal check and cost the responder a DH. */
    private static final String PROPOSAL = "aes128-sha256-modp3072";
    private static final int MODP_3072 = 15;
    private static final int GARBAGE_EVERY = 5;

    /** What the flood sent; errors are sends the kernel refused (a full socket buffer), not counted as sent. */
    record Sent(long initRequests, long garbage, long errors, Duration took) {
        long total() {
            return initRequests + garbage;
        }

        double perSecond() {
            return total() / (took.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d IKE_SA_INIT + %,d garbage in %.1f s = %,.0f datagrams/s (%,d refused)",
                    initRequests, garbage, took.toNanos() / 1e9, perSecond(), errors);
        }
    }

    private final List<InetAddress> sources;
    private final InetAddress target;

    IkeFloodSender(List<InetAddress> sources, InetAddress target) {
        this.sources = sources;
        this.target = target;
    }

    /** One IKE_SA_INIT request; bytes 0-7 are the initiator SPI, rewritten for every datagram sent. */
    static byte[] initRequest() {
        SecureRandomSource random = new SecureRandomSource();
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        IkeHeader header = IkeHeader.of(1, 0, ExchangeType.IKE_SA_INIT, true, false, 0);
        return IkeMessage.of(header, List.of(SaPayload.of(Proposal.parseIke(PROPOSAL), new byte[0]),
                new KePayload(MODP_3072, DhGroup.forId(MODP_3072).generate(random).publicValue()),
                new NoncePayload(nonce))).bytes();
    }

    /** Sends for the given time, as fast as one thread can, then closes its sockets. */
    Sent sendFor(Duration duration) throws IOException {
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            for (InetAddress source : sources) {
                sockets.add(new DatagramSocket(new InetSocketAddress(source, 0)));
            }
            return send(sockets, duration);
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }

    private Sent send(List<DatagramSocket> sockets, Duration duration) {
        SplittableRandom random = new SplittableRandom();
        byte[] init = initRequest();
        byte[] garbage = new byte[160];
        DatagramPacket initPacket = new DatagramPacket(init, init.length, new InetSocketAddress(target, 500));
        DatagramPacket garbagePacket = new DatagramPacket(garbage, garbage.length);
        InetSocketAddress[] garbageTargets = {new InetSocketAddress(target, 500), new InetSocketAddress(target, 4500)};
        long spi = random.nextLong();
        long inits = 0;
        long junk = 0;
        long errors = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (long n = 0; (n & 1023) != 0 || System.nanoTime() < end; n++) {
            DatagramSocket socket = sockets.get((int) (n % sockets.size()));
            boolean isGarbage = n % GARBAGE_EVERY == 0;
            DatagramPacket packet;
            if (isGarbage) {
                fill(garbage, random);
                garbagePacket.setSocketAddress(garbageTargets[(int) (n / GARBAGE_EVERY & 1)]);
                garbagePacket.setLength(16 + random.nextInt(garbage.length - 16));
                packet = garbagePacket;
            } else {
                putLong(init, ++spi);
                packet = initPacket;
            }
            try {
                socket.send(packet);
                if (isGarbage) junk++;
                else inits++;
            } catch (IOException e) {
                errors++;
            }
        }
        return new Sent(inits, junk, errors, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void fill(byte[] bytes, SplittableRandom random) {
        for (int i = 0; i < bytes.length; i += 8) {
            putLong(bytes, i, random.nextLong());
        }
    }

    private static void putLong(byte[] bytes, long value) {
        putLong(bytes, 0, value);
    }

    private static void putLong(byte[] bytes, int at, long value) {
        for (int i = 0; i < 8 && at + i < bytes.length; i++) {
            bytes[at + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
