package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NatDetectionTest {

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void ipv4HashesMatchStrongSwan(String name) throws Exception {
        CapturedExchange x = CapturedExchange.named(name);
        for (String n : new String[] {"1", "2"}) {
            byte[] chunk = x.get("natd_chunk_" + n); // SPIi | SPIr | IPv4 | port, as charon logged it
            InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(chunk, 16, 20));
            int port = ((chunk[20] & 0xff) << 8) | (chunk[21] & 0xff);
            byte[] hash = NatDetection.hash(Arrays.copyOf(chunk, 8), Arrays.copyOfRange(chunk, 8, 16), ip, port);
            assertThat(Hex.of(hash)).isEqualTo(Hex.of(x.get("natd_hash_" + n)));
        }
    }

    @Test
    void ipv6UsesSixteenAddressBytes() throws Exception {
        // Internally consistent: SHA-1 over the RFC 7296 2.23 concatenation, computed independently here
        byte[] spiI = Hex.bytes("0102030405060708");
        byte[] spiR = new byte[8];
        InetAddress ip = InetAddress.getByName("2001:db8::1");
        byte[] input = Octets.concat(spiI, spiR, ip.getAddress(), new byte[] {0x11, (byte) 0x94});
        byte[] expected = java.security.MessageDigest.getInstance("SHA-1").digest(input);
        assertThat(input).hasSize(34);
        assertThat(NatDetection.hash(spiI, spiR, new InetSocketAddress(ip, 4500))).isEqualTo(expected);
        assertThat(NatDetection.matches(expected, spiI, spiR, new InetSocketAddress(ip, 4500))).isTrue();
        assertThat(NatDetection.matches(expected, spiI, spiR, new InetSocketAddress(ip, 500))).isFalse();
    }
}
