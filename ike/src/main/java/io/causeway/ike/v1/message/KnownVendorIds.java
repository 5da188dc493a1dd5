package io.causeway.ike.v1.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Vendor ids (RFC 2408 3.16) that announce IKEv1 extensions, as constants ready to send, and a name
 * lookup for logs. The values are published hashes: RFC 3947 (NAT-T), its drafts, RFC 3706 (DPD), the
 * XAuth draft, and the vendor-specific ones strongSwan and Windows send.
 */
public final class KnownVendorIds {
    /** NAT-T, MD5("RFC 3947"). */
    public static final VendorIdPayload1 NATT_RFC3947 = vid("4a131c81070358455c5728f20e95452f");
    /** MD5("draft-ietf-ipsec-nat-t-ike-02"). */
    public static final VendorIdPayload1 NATT_DRAFT_02 = vid("cd60464335df21f87cfdb2fc68b6a448");
    /** MD5("draft-ietf-ipsec-nat-t-ike-02\n"): the draft-02 id with a newline, as many implementations send it. */
    public static final VendorIdPayload1 NATT_DRAFT_02_N = vid("90cb80913ebb696e086381b5ec427b1f");
    /** MD5("draft-ietf-ipsec-nat-t-ike-03"). */
    public static final VendorIdPayload1 NATT_DRAFT_03 = vid("7d9419a65310ca6f2c179d9215529d56");
    /** Dead Peer Detection (RFC 3706 2.1), version 1.0 in the last two octets. */
    public static final VendorIdPayload1 DPD = vid("afcad71368a1f1c96b8696fc77570100");
    /** Truncated MD5("draft-ietf-ipsra-isakmp-xauth-06.txt"), 8 octets. */
    public static final VendorIdPayload1 XAUTH = vid("09002689dfd6b712");
    /** MD5("strongSwan"), sent by strongSwan with charon.send_vendor_id. */
    public static final VendorIdPayload1 STRONGSWAN = vid("882fe56d6fd20dbc2251613b2ebe5beb");
    /** Cisco's IKE fragmentation id followed by the capability word 0x80000000 (fragmentation of main/aggressive mode), as strongSwan sends it. */
    public static final VendorIdPayload1 FRAGMENTATION = vid("4048b7d56ebce88525e7de7f00d6c2d380000000");
    /** Cisco Unity 1.0 (last two octets are the version). */
    public static final VendorIdPayload1 CISCO_UNITY = vid("12f5f28c457168a9702d9fe274cc0100");
    /** Windows: "MS NT5 ISAKMPOAKLEY" followed by a 4-octet version; this is the prefix. */
    public static final VendorIdPayload1 MS_NT5_ISAKMPOAKLEY = vid("1e2b516905991c7d7c96fcbfb587e461");

    private static final int FRAGMENTATION_PREFIX = 16;
    private static final int FRAGMENTATION_IKE = 0x80000000;

    private record Entry(String name, byte[] id, int match, boolean prefix) {
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("NAT-T (RFC 3947)", NATT_RFC3947.data(), 16, false),
            new Entry("draft-ietf-ipsec-nat-t-ike-02", NATT_DRAFT_02.data(), 16, false),
            new Entry("draft-ietf-ipsec-nat-t-ike-02\\n", NATT_DRAFT_02_N.data(), 16, false),
            new Entry("draft-ietf-ipsec-nat-t-ike-03", NATT_DRAFT_03.data(), 16, false),
            new Entry("DPD", DPD.data(), 14, false),
            new Entry("XAuth", XAUTH.data(), 8, false),
            new Entry("strongSwan", STRONGSWAN.data(), 16, false),
            new Entry("Cisco Unity", CISCO_UNITY.data(), 14, false),
            new Entry("MS NT5 ISAKMPOAKLEY", MS_NT5_ISAKMPOAKLEY.data(), 16, true),
            new Entry("KAME/racoon", HexFormat.of().parseHex("7003cbc1097dbe9c2600ba6983bc8b35"), 16, false));

    private KnownVendorIds() {
    }

    private static VendorIdPayload1 vid(String hex) {
        return new VendorIdPayload1(HexFormat.of().parseHex(hex));
    }

    /**
     * The name of a known vendor id. DPD and Cisco Unity match on all but their two version octets,
     * MS NT5 ISAKMPOAKLEY on its 16-octet prefix, FRAGMENTATION on its 16-octet prefix with or without
     * capabilities (named "FRAGMENTATION" only when {@link #isFragmentation} accepts it).
     */
    public static Optional<String> name(byte[] data) {
        if (data == null) {
            return Optional.empty();
        }
        if (isFragmentation(data)) {
            return Optional.of("FRAGMENTATION");
        }
        for (Entry e : ENTRIES) {
            boolean length = e.prefix ? data.length >= e.id.length : data.length == e.id.length;
            if (length && Arrays.equals(data, 0, e.match, e.id, 0, e.match)) {
                return Optional.of(e.name);
            }
        }
        return Optional.empty();
    }

    /** RFC 3947 or one of the drafts strongSwan accepts (02, 02\n, 03): NAT traversal is offered. */
    public static boolean isNatT(byte[] data) {
        return same(data, NATT_RFC3947) || same(data, NATT_DRAFT_02) || same(data, NATT_DRAFT_02_N)
                || same(data, NATT_DRAFT_03);
    }

    public static boolean isDpd(byte[] data) {
        return data != null && data.length == 16 && Arrays.equals(data, 0, 14, DPD.data(), 0, 14);
    }

    /**
     * The Cisco fragmentation id: the bare 16 octets (as Windows sends it), or 20 with a capability word
     * whose top bit (fragmentation of main and aggressive mode) is set.
     */
    public static boolean isFragmentation(byte[] data) {
        if (data == null || data.length < FRAGMENTATION_PREFIX
                || !Arrays.equals(data, 0, FRAGMENTATION_PREFIX, FRAGMENTATION.data(), 0, FRAGMENTATION_PREFIX)) {
            return false;
        }
        return data.length == 16 || data.length == 20
                && (ByteBuffer.wrap(data, 16, 4).getInt() & FRAGMENTATION_IKE) != 0;
    }

    private static boolean same(byte[] data, VendorIdPayload1 vid) {
        return data != null && Arrays.equals(data, vid.data());
    }
}
