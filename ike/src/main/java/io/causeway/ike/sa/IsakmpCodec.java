package io.causeway.ike.sa;

import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IdType;
import io.causeway.conf.net.IpLiteral;
import io.causeway.ike.v1.crypto.V1Cipher;
import io.causeway.ike.v1.message.CbcCipher;
import io.causeway.ike.v1.message.DecodedPayload1;
import io.causeway.ike.v1.message.IdPayload1;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.JceCbcCipher;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.V1PayloadChain;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The session side's view of IKEv1 messages: finding payloads, the octets hashes cover, identities as ID payloads. */
final class IsakmpCodec {
    private IsakmpCodec() {
    }

    static <T extends V1Payload> Optional<T> first(List<DecodedPayload1> payloads, Class<T> type) {
        for (DecodedPayload1 p : payloads) {
            if (type.isInstance(p.payload())) {
                return Optional.of(type.cast(p.payload()));
            }
        }
        return Optional.empty();
    }

    static <T extends V1Payload> List<T> all(List<DecodedPayload1> payloads, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (DecodedPayload1 p : payloads) {
            if (type.isInstance(p.payload())) {
                out.add(type.cast(p.payload()));
            }
        }
        return out;
    }

    /** The body (generic header excluded) of the first payload of that type, as it was on the wire; null if none. */
    static byte[] receivedBody(List<DecodedPayload1> payloads, Class<? extends V1Payload> type) {
        for (DecodedPayload1 p : payloads) {
            if (type.isInstance(p.payload())) {
                byte[] wire = p.wire();
                return Arrays.copyOfRange(wire, 4, wire.length);
            }
        }
        return null;
    }

    /** The wire octets of every payload after the first one (a HASH payload), generic headers included. */
    static byte[] receivedAfterFirst(List<DecodedPayload1> payloads) {
        ByteBuffer out = ByteBuffer.allocate(payloads.stream().skip(1).mapToInt(p -> p.wire().length).sum());
        payloads.stream().skip(1).forEach(p -> out.put(p.wire()));
        return out.array();
    }

    /** Our own payload's body as it goes on the wire. */
    static byte[] body(V1Payload p) {
        ByteBuffer out = ByteBuffer.allocate(p.bodyLength());
        p.encodeBody(out);
        return out.array();
    }

    /** The wire octets of these payloads as a chain, which is what follows HASH in a message we send. */
    static byte[] chain(List<? extends V1Payload> payloads) {
        return V1PayloadChain.encode(payloads);
    }

    static IsakmpHeader header(IsakmpSession s, int exchangeType, int messageId, boolean encrypted, int firstPayload) {
        return new IsakmpHeader(s.cookieI, s.cookieR, firstPayload, exchangeType,
                encrypted ? IsakmpHeader.FLAG_ENCRYPTION : 0, messageId, 0);
    }

    static CbcCipher cipher(V1Cipher cipher, byte[] key) {
        return switch (cipher) {
            case AES_CBC -> JceCbcCipher.aes(key);
            case TRIPLE_DES_CBC -> JceCbcCipher.tripleDes(key);
            case DES_CBC -> JceCbcCipher.des(key);
        };
    }

    /** A phase-1 identity as an ID payload (RFC 2407 4.6.2, protocol and port 0 as strongSwan sends them). */
    static IdPayload1 id(Identity identity) {
        byte[] data = switch (identity.type()) {
            case IPV4_ADDR, IPV6_ADDR -> IpLiteral.parse(identity.value()).orElseThrow().getAddress();
            case FQDN, RFC822_ADDR -> identity.value().getBytes(StandardCharsets.US_ASCII);
            case KEY_ID -> HexFormat.of().parseHex(identity.value());
            case ANY -> throw new IllegalArgumentException("%any is not an identity that can be sent");
        };
        int type = switch (identity.type()) {
            case IPV4_ADDR -> IdPayload1.ID_IPV4_ADDR;
            case IPV6_ADDR -> IdPayload1.ID_IPV6_ADDR;
            case FQDN -> IdPayload1.ID_FQDN;
            case RFC822_ADDR -> IdPayload1.ID_USER_FQDN;
            default -> IdPayload1.ID_KEY_ID;
        };
        return new IdPayload1(type, 0, 0, data);
    }

    /** The identity a phase-1 ID payload names, when it is one PSK authentication can use. */
    static Optional<Identity> identity(IdPayload1 id) {
        byte[] data = id.data();
        try {
            return switch (id.idType()) {
                case IdPayload1.ID_IPV4_ADDR, IdPayload1.ID_IPV6_ADDR ->
                        Optional.of(Identity.of(InetAddress.getByAddress(data)));
                case IdPayload1.ID_FQDN -> Optional.of(new Identity(IdType.FQDN, new String(data, StandardCharsets.US_ASCII)));
                case IdPayload1.ID_USER_FQDN ->
                        Optional.of(new Identity(IdType.RFC822_ADDR, new String(data, StandardCharsets.US_ASCII)));
                case IdPayload1.ID_KEY_ID -> Optional.of(new Identity(IdType.KEY_ID, HexFormat.of().formatHex(data)));
                default -> Optional.empty();
            };
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
