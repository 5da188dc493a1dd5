package io.causeway.ike.v1.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One strongSwan IKEv1 exchange captured into test resources (v1/strongswan-capture/RUN.txt; the file's
 * header and README.txt there say how): key = hex lines, from the pcap and from west's charon log.
 */
record CapturedV1Exchange(String run, Map<String, byte[]> values) {

    static CapturedV1Exchange load(String run) {
        Map<String, byte[]> values = new HashMap<>();
        try (InputStream in = CapturedV1Exchange.class.getResourceAsStream("/v1/strongswan-capture/" + run + ".txt")) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + run);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] kv = line.split("=", 2);
                values.put(kv[0].trim(), TestBytes.hex(kv[1].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CapturedV1Exchange(run, values);
    }

    byte[] get(String key) {
        byte[] v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(run + " has no " + key);
        }
        return v.clone();
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    long cookie(String key) {
        return new BigInteger(1, get(key)).longValue();
    }

    int int32(String key) {
        return new BigInteger(1, get(key)).intValue();
    }

    @Override
    public String toString() {
        return run;
    }

    /** A payload of an ISAKMP message: its type, its body, and where it sits in the bytes it came from. */
    record Payload(int type, byte[] body, int start, int end) {
    }

    /** ISAKMP header fields and payload walking (RFC 2408 sections 3.1 and 3.2), enough for these tests. */
    static final class Isakmp {
        static final int HEADER = 28;
        static final int SA = 1;
        static final int KE = 4;
        static final int ID = 5;
        static final int HASH = 8;
        static final int NONCE = 10;
        static final int NAT_D = 20;

        private Isakmp() {
        }

        static int firstPayload(byte[] message) {
            return message[16] & 0xff;
        }

        static int messageId(byte[] message) {
            return new BigInteger(1, Arrays.copyOfRange(message, 20, 24)).intValue();
        }

        static byte[] encrypted(byte[] message) {
            return Arrays.copyOfRange(message, HEADER, message.length);
        }

        /** The payload chain of {@code data} starting with {@code first}; stops at next payload 0 (padding after). */
        static List<Payload> payloads(int first, byte[] data) {
            List<Payload> out = new ArrayList<>();
            int type = first;
            int off = 0;
            while (type != 0) {
                int next = data[off] & 0xff;
                int length = ((data[off + 2] & 0xff) << 8) | (data[off + 3] & 0xff);
                out.add(new Payload(type, Arrays.copyOfRange(data, off + 4, off + length), off, off + length));
                type = next;
                off += length;
            }
            return out;
        }

        static List<Payload> payloads(byte[] message) {
            return payloads(firstPayload(message), encrypted(message));
        }

        static byte[] body(List<Payload> payloads, int type, int index) {
            return payloads.stream().filter(p -> p.type() == type).skip(index).findFirst().orElseThrow().body();
        }

        static byte[] body(List<Payload> payloads, int type) {
            return body(payloads, type, 0);
        }

        /** Everything after the leading HASH payload up to the end of the last payload (no padding). */
        static byte[] afterHash(List<Payload> payloads, byte[] plaintext) {
            if (payloads.get(0).type() != HASH) {
                throw new IllegalArgumentException("the first payload is not HASH");
            }
            return Arrays.copyOfRange(plaintext, payloads.get(0).end(), payloads.get(payloads.size() - 1).end());
        }

        /**
         * The attributes of the first transform of the first proposal of an SA payload body (DOI,
         * situation, proposal, transform: RFC 2408 sections 3.4-3.6, RFC 2407 section 4.6.1), class to
         * value, basic (TV) and variable (TLV, at most 4 bytes here) alike, plus "transform id" as -1.
         */
        static Map<Integer, Integer> firstTransform(byte[] saBody) {
            int proposal = 8;
            int spiSize = saBody[proposal + 6] & 0xff;
            int transform = proposal + 8 + spiSize;
            int length = ((saBody[transform + 2] & 0xff) << 8) | (saBody[transform + 3] & 0xff);
            Map<Integer, Integer> attributes = new HashMap<>();
            attributes.put(-1, saBody[transform + 5] & 0xff);
            int off = transform + 8;
            while (off < transform + length) {
                int type = ((saBody[off] & 0xff) << 8) | (saBody[off + 1] & 0xff);
                int value = ((saBody[off + 2] & 0xff) << 8) | (saBody[off + 3] & 0xff);
                if ((type & 0x8000) != 0) {
                    attributes.put(type & 0x7fff, value);
                    off += 4;
                } else {
                    attributes.put(type, new BigInteger(1, Arrays.copyOfRange(saBody, off + 4, off + 4 + value))
                            .intValue());
                    off += 4 + value;
                }
            }
            return attributes;
        }

        /** The SPI of the first proposal of an SA payload body. */
        static int firstSpi(byte[] saBody) {
            int spiSize = saBody[8 + 6] & 0xff;
            return new BigInteger(1, Arrays.copyOfRange(saBody, 16, 16 + spiSize)).intValue();
        }
    }
}
