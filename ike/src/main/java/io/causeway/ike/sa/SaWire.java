package io.causeway.ike.sa;

import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaProposal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** Small helpers the tasks share: reading decrypted payload lists, drawing new SPIs, writing and reading ESP SPIs. */
final class SaWire {
    private SaWire() {
    }

    static <T extends Payload> List<T> only(List<Payload> payloads, Class<T> kind) {
        return payloads.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends Payload> Optional<T> first(List<Payload> payloads, Class<T> kind) {
        return only(payloads, kind).stream().findFirst();
    }

    /** A new IKE SPI of ours: any value but 0, which means "none yet" in a header (RFC 7296 3.1). */
    static long newIkeSpi(RandomSource random) {
        long spi = 0;
        while (spi == 0) {
            spi = ByteBuffer.wrap(random.nextBytes(8)).getLong();
        }
        return spi;
    }

    /** ESP SPIs 0-255 are reserved (RFC 4303 2.1); strongSwan allocates from 0xc0000000 up, so do we. */
    static int newEspSpi(RandomSource random) {
        return ByteBuffer.wrap(random.nextBytes(4)).getInt() | 0xc0000000;
    }

    static int spiValue(SaProposal p) {
        return ByteBuffer.wrap(p.spi()).getInt();
    }

    static byte[] spiBytes32(int spi) {
        return ByteBuffer.allocate(4).putInt(spi).array();
    }
}
