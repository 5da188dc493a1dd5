package io.causeway.ike.v1.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Subnet;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent dissector's view: tshark -V must find nothing malformed in the strongSwan captures nor
 * in messages this package encodes (written to a pcap by a minimal writer here). Skipped where tshark
 * is not installed.
 */
class V1TsharkTest {
    @TempDir
    Path dir;

    @Test
    void strongSwanCapturesAreWellFormed() throws Exception {
        for (String run : List.of("main", "aggr", "frag", "dpd")) {
            Path pcap = dir.resolve(run + ".pcap");
            Files.write(pcap, V1Captures.resource(V1Captures.DIR + run + ".pcap"));
            String out = tshark(pcap);
            assertThat(out).contains("Internet Security Association and Key Management Protocol");
            assertThat(out).doesNotContain("Malformed");
        }
    }

    @Test
    void ourMessagesAreWellFormed() throws Exception {
        List<byte[]> datagrams = new ArrayList<>();
        long icookie = 0x0102030405060708L;
        long rcookie = 0x1112131415161718L;
        TransformPayload1 ike = TransformPayload1.of(1, TransformPayload1.KEY_IKE,
                Attribute1.basic(IkeAttributes.ENCRYPTION_ALGORITHM, IkeAttributes.ENCR_AES_CBC),
                Attribute1.basic(IkeAttributes.KEY_LENGTH, 256),
                Attribute1.basic(IkeAttributes.HASH_ALGORITHM, IkeAttributes.HASH_SHA2_256),
                Attribute1.basic(IkeAttributes.GROUP_DESCRIPTION, 14),
                Attribute1.basic(IkeAttributes.AUTHENTICATION_METHOD, IkeAttributes.AUTH_PSK),
                Attribute1.basic(IkeAttributes.LIFE_TYPE, IkeAttributes.LIFE_SECONDS),
                Attribute1.ofNumber(IkeAttributes.LIFE_DURATION, 86400));
        SaPayload1 sa = SaPayload1.ipsec(List.of(new ProposalPayload1(1, ProposalPayload1.PROTO_ISAKMP, new byte[0],
                List.of(ike))));
        datagrams.add(V1Message.encode(IsakmpHeader.of(icookie, 0, V1ExchangeType.IDENTITY_PROTECTION, 0, 0),
                List.of(sa, KnownVendorIds.DPD, KnownVendorIds.FRAGMENTATION, KnownVendorIds.NATT_RFC3947)));
        byte[] aggressive = V1Message.encode(IsakmpHeader.of(icookie, 0, V1ExchangeType.AGGRESSIVE, 0, 0),
                List.of(sa, new KePayload1(new byte[256]), new NoncePayload1(new byte[32]),
                        IdPayload1.ofText(IdPayload1.ID_FQDN, "west.example"), KnownVendorIds.XAUTH));
        datagrams.add(aggressive);
        datagrams.add(V1Message.encode(IsakmpHeader.of(icookie, rcookie, V1ExchangeType.IDENTITY_PROTECTION, 0, 0),
                List.of(new KePayload1(new byte[256]), new NoncePayload1(new byte[32]),
                        new NatDPayload1(V1PayloadType.NAT_D, new byte[20]), new NatDPayload1(V1PayloadType.NAT_D, new byte[20]))));
        TransformPayload1 esp = TransformPayload1.of(1, IpsecAttributes.ESP_AES_CBC,
                Attribute1.basic(IpsecAttributes.KEY_LENGTH, 128),
                Attribute1.basic(IpsecAttributes.AUTHENTICATION_ALGORITHM, IpsecAttributes.AUTH_HMAC_SHA1),
                Attribute1.basic(IpsecAttributes.GROUP_DESCRIPTION, 14),
                Attribute1.basic(IpsecAttributes.ENCAPSULATION_MODE, IpsecAttributes.MODE_UDP_TUNNEL),
                Attribute1.basic(IpsecAttributes.SA_LIFE_TYPE, IpsecAttributes.LIFE_SECONDS),
                Attribute1.ofNumber(IpsecAttributes.SA_LIFE_DURATION, 100_000));
        // quick mode payloads sent in the clear so the dissector sees them
        datagrams.add(V1Message.encode(IsakmpHeader.of(icookie, rcookie, V1ExchangeType.QUICK_MODE, 0, 0x01020304),
                List.of(new HashPayload1(new byte[20]),
                        SaPayload1.ipsec(List.of(new ProposalPayload1(1, ProposalPayload1.PROTO_IPSEC_ESP,
                                new byte[] {1, 2, 3, 4}, List.of(esp)))),
                        new NoncePayload1(new byte[32]), new KePayload1(new byte[256]),
                        IdPayload1.ofSubnet(Subnet.parse("10.1.0.0/24"), 0, 0),
                        IdPayload1.ofSubnet(Subnet.parse("2001:db8::1/128"), 17, 500),
                        NatOaPayload1.of(V1PayloadType.NAT_OA, InetAddress.getByName("192.0.2.7")))));
        datagrams.add(V1Message.encode(IsakmpHeader.of(icookie, rcookie, V1ExchangeType.INFORMATIONAL, 0, 0x05060708),
                List.of(new HashPayload1(new byte[20]), NotifyPayload1.dpd(NotifyPayload1.R_U_THERE, new byte[16], 1),
                        DeletePayload1.ipsec(ProposalPayload1.PROTO_IPSEC_ESP, 0x11223344),
                        DeletePayload1.isakmp(icookie, rcookie),
                        NotifyPayload1.of(ProposalPayload1.PROTO_ISAKMP, new byte[0], NotifyPayload1.INVALID_ID_INFORMATION,
                                new byte[0]))));
        datagrams.add(V1Encryption.encrypt(IsakmpHeader.of(icookie, rcookie, V1ExchangeType.IDENTITY_PROTECTION, 0, 0),
                List.of(IdPayload1.ofText(IdPayload1.ID_FQDN, "west.example"), new HashPayload1(new byte[20])),
                JceCbcCipher.aes(new byte[16]), new byte[16]));
        datagrams.addAll(V1Fragmenter.split(aggressive, 200, 1));

        Path pcap = dir.resolve("ours.pcap");
        Files.write(pcap, pcap(datagrams));
        String out = tshark(pcap);
        // one ISAKMP tree per frame, plus one for the message reassembled from the fragments
        assertThat(out.split("Internet Security Association and Key Management Protocol", -1)).hasSize(datagrams.size() + 2);
        assertThat(out).doesNotContain("Malformed");
        assertThat(out).contains("Vendor ID: RFC 3706 DPD (Dead Peer Detection)", "Cisco-Fragmentation", "NAT-D",
                "R-U-THERE", "INVALID-ID-INFORMATION", "IPV4_ADDR_SUBNET", "Reassembled");
    }

    private static String tshark(Path pcap) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("tshark"), "tshark is not installed");
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-V")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /** A classic pcap (Ethernet) with each datagram in IPv4/UDP 192.0.2.1:500 -> 192.0.2.2:500. */
    static byte[] pcap(List<byte[]> datagrams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer global = ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        global.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(global.array());
        int second = 1_700_000_000;
        for (byte[] d : datagrams) {
            int ipLength = 20 + 8 + d.length;
            ByteBuffer frame = ByteBuffer.allocate(14 + ipLength);
            frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
            int ipStart = frame.position();
            frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000)
                    .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {(byte) 192, 0, 2, 1})
                    .put(new byte[] {(byte) 192, 0, 2, 2});
            int sum = 0;
            for (int i = ipStart; i < ipStart + 20; i += 2) {
                sum += frame.getShort(i) & 0xffff;
            }
            sum = (sum & 0xffff) + (sum >>> 16);
            sum = (sum & 0xffff) + (sum >>> 16);
            frame.putShort(ipStart + 10, (short) ~sum);
            frame.putShort((short) 500).putShort((short) 500).putShort((short) (8 + d.length)).putShort((short) 0);
            frame.put(d);
            ByteBuffer record = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            record.putInt(second++).putInt(0).putInt(frame.capacity()).putInt(frame.capacity());
            out.writeBytes(record.array());
            out.writeBytes(frame.array());
        }
        return out.toByteArray();
    }
}
