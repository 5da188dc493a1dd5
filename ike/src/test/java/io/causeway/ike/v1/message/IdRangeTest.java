package io.causeway.ike.v1.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** ID_IPV4_ADDR_RANGE / ID_IPV6_ADDR_RANGE selectors (RFC 2407 4.6.2.7) as the CIDR blocks the data plane uses. */
class IdRangeTest {
    private static IdPayload1 range(int type, String from, String to) throws Exception {
        byte[] a = InetAddress.getByName(from).getAddress();
        byte[] b = InetAddress.getByName(to).getAddress();
        return new IdPayload1(type, 0, 0, ByteBuffer.allocate(a.length * 2).put(a).put(b).array());
    }

    @Test
    void anUnalignedRangeSplitsIntoTheBlocksThatCoverExactlyIt() throws Exception {
        assertThat(range(IdPayload1.ID_IPV4_ADDR_RANGE, "10.1.0.5", "10.1.0.20").asSubnets())
                .hasToString("[10.1.0.5/32, 10.1.0.6/31, 10.1.0.8/29, 10.1.0.16/30, 10.1.0.20/32]");
        assertThat(range(IdPayload1.ID_IPV4_ADDR_RANGE, "10.1.0.0", "10.1.0.255").asSubnets()).hasToString("[10.1.0.0/24]");
        assertThat(range(IdPayload1.ID_IPV4_ADDR_RANGE, "0.0.0.0", "255.255.255.255").asSubnets()).hasToString("[0.0.0.0/0]");
        assertThat(range(IdPayload1.ID_IPV6_ADDR_RANGE, "2001:db8::", "2001:db8::3").asSubnets()).hasSize(1);
    }

    @Test
    void reversedOrTooFragmentedRangesAreRefused() throws Exception {
        assertThat(range(IdPayload1.ID_IPV4_ADDR_RANGE, "10.1.0.20", "10.1.0.5").asSubnets()).isEmpty();
        assertThat(range(IdPayload1.ID_IPV6_ADDR_RANGE, "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe").asSubnets())
                .as("more than %d blocks", IdPayload1.MAX_RANGE_BLOCKS).isEmpty();
    }
}
