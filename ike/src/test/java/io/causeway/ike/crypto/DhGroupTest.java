package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DhGroupTest {
    private final RandomSource random = new DeterministicRandomSource("dh-group-test");

    @ParameterizedTest(name = "RFC 5903 section 8 vectors, group {0}")
    @CsvSource({
        // group, i, g^i (x | y), r, g^r (x | y), g^ir x
        "19, c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433,"
                + "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
                + "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3,"
                + "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53,"
                + "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
                + "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab,"
                + "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de",
        "20, 099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655e35b538041e649ee3faef896783ab194,"
                + "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41aa"
                + "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c,"
                + "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942e0308312916b8ed2960e4bd55a7448fc,"
                + "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d0d1ac43a0336def96fda41d0774a3571"
                + "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c,"
                + "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4d603135569b9e9d09cf5d4a270f59746",
        "21, 0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a095aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c27a57382d4a52,"
                + "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbee1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4195d176ced3e"
                + "017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4a10ad8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb6ca3926f9582,"
                + "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f5cb151685eb9,"
                + "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a219b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171640012d9460f"
                + "015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d9852077b87220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44fcd17f0fc56a,"
                + "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417996d19f3ddea",
    })
    void rfc5903Vectors(int id, String i, String gi, String r, String gr, String gir) throws Exception {
        EcpGroup group = (EcpGroup) DhGroup.forId(id);
        DhKeyPair initiator = group.keyPair(new BigInteger(i, 16));
        DhKeyPair responder = group.keyPair(new BigInteger(r, 16));
        assertThat(Hex.of(initiator.publicValue())).isEqualTo(gi);
        assertThat(Hex.of(responder.publicValue())).isEqualTo(gr);
        assertThat(Hex.of(initiator.sharedSecret(Hex.bytes(gr)))).isEqualTo(gir);
        assertThat(Hex.of(responder.sharedSecret(Hex.bytes(gi)))).isEqualTo(gir);
    }

    @Test
    void rfc7748Section52FirstX25519Vector() throws Exception {
        DhKeyPair k = Curve25519Group.INSTANCE.keyPair(
                Hex.bytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"));
        assertThat(Hex.of(k.sharedSecret(Hex.bytes("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))))
                .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    }

    @Test
    void rfc7748Section61DiffieHellman() throws Exception {
        DhKeyPair alice = Curve25519Group.INSTANCE.keyPair(
                Hex.bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        DhKeyPair bob = Curve25519Group.INSTANCE.keyPair(
                Hex.bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertThat(Hex.of(alice.publicValue())).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(Hex.of(bob.publicValue())).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String k = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(Hex.of(alice.sharedSecret(bob.publicValue()))).isEqualTo(k);
        assertThat(Hex.of(bob.sharedSecret(alice.publicValue()))).isEqualTo(k);
    }

    @ParameterizedTest(name = "group {0}: two generated key pairs agree")
    @ValueSource(ints = {1, 2, 5, 14, 15, 16, 17, 18, 24, 19, 20, 21, 31})
    void twoKeyPairsAgree(int id) throws Exception {
        DhGroup group = DhGroup.forId(id);
        DhKeyPair a = group.generate(random);
        DhKeyPair b = group.generate(random);
        assertThat(a.publicValue()).hasSize(group.publicValueLength()).isNotEqualTo(b.publicValue());
        byte[] z = a.sharedSecret(b.publicValue());
        assertThat(z).isEqualTo(b.sharedSecret(a.publicValue()));
        int expectedLength = group instanceof EcpGroup e ? e.sharedSecretLength() : group.publicValueLength();
        assertThat(z).hasSize(expectedLength);
        assertThat(a.toString()).contains("redacted");
    }

    @Test
    void deterministicSourceGivesRepeatableKeys() {
        DhGroup group = DhGroup.forId(19);
        assertThat(group.generate(new DeterministicRandomSource("x")).publicValue())
                .isEqualTo(group.generate(new DeterministicRandomSource("x")).publicValue());
    }

    @Test
    void unsupportedGroupsAreNamed() {
        assertThat(DhGroup.lookup(22)).isEmpty();
        assertThatThrownBy(() -> DhGroup.forId(30)).hasMessageContaining("30");
    }

    @ParameterizedTest(name = "MODP group {0} rejects 0, 1, p-1, p and wrong lengths")
    @ValueSource(ints = {2, 14, 24})
    void modpRejectsOutOfRangeValues(int id) {
        ModpGroup group = (ModpGroup) DhGroup.forId(id);
        DhKeyPair k = group.generate(random);
        BigInteger p = group.prime();
        int len = group.publicValueLength();
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p}) {
            assertThatThrownBy(() -> k.sharedSecret(BigIntegers.asUnsignedByteArray(len, bad)))
                    .isInstanceOf(InvalidPeerKeyException.class);
        }
        byte[] good = group.generate(random).publicValue();
        assertThatThrownBy(() -> k.sharedSecret(Arrays.copyOf(good, len - 1))).isInstanceOf(InvalidPeerKeyException.class);
        assertThatThrownBy(() -> k.sharedSecret(Arrays.copyOf(good, len + 1))).isInstanceOf(InvalidPeerKeyException.class);
        byte[] allOnes = new byte[len];
        Arrays.fill(allOnes, (byte) 0xff); // above p for every MODP prime
        assertThatThrownBy(() -> k.sharedSecret(allOnes)).isInstanceOf(InvalidPeerKeyException.class);
    }

    @Test
    void group24ParametersAreConsistentAndOutsideSubgroupValuesAreRejected() {
        ModpGroup group = (ModpGroup) DhGroup.forId(24);
        BigInteger p = group.prime();
        BigInteger q = group.subgroupOrder();
        assertThat(p.bitLength()).isEqualTo(2048);
        assertThat(q.bitLength()).isEqualTo(256);
        assertThat(p.isProbablePrime(64)).isTrue();
        assertThat(q.isProbablePrime(64)).isTrue();
        assertThat(p.subtract(BigInteger.ONE).mod(q)).isEqualTo(BigInteger.ZERO);
        assertThat(group.generator().modPow(q, p)).isEqualTo(BigInteger.ONE);
        // 2 is in range (1, p-1) but, for this p, not in the order-q subgroup
        BigInteger two = BigInteger.TWO;
        assertThat(two.modPow(q, p)).isNotEqualTo(BigInteger.ONE);
        DhKeyPair k = group.generate(random);
        assertThatThrownBy(() -> k.sharedSecret(BigIntegers.asUnsignedByteArray(256, two)))
                .isInstanceOf(InvalidPeerKeyException.class).hasMessageContaining("subgroup");
    }

    @Test
    void standardModpPrimesHaveTheRfcShape() {
        // RFC 2409 / RFC 3526 primes start and end with 64 one bits
        for (int id : new int[] {1, 2, 5, 14, 15, 16, 17, 18}) {
            ModpGroup g = (ModpGroup) DhGroup.forId(id);
            BigInteger p = g.prime();
            BigInteger ones = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
            assertThat(p.and(ones)).isEqualTo(ones);
            assertThat(p.shiftRight(p.bitLength() - 64)).isEqualTo(ones);
            assertThat(g.generator()).isEqualTo(BigInteger.TWO);
        }
        assertThat(DhGroup.forId(14).publicValueLength()).isEqualTo(256);
        assertThat(DhGroup.forId(18).publicValueLength()).isEqualTo(1024);
    }

    @ParameterizedTest(name = "ECP group {0} rejects off-curve points, wrong lengths and coordinates >= p")
    @ValueSource(ints = {19, 20, 21})
    void ecpRejectsInvalidPoints(int id) {
        EcpGroup group = (EcpGroup) DhGroup.forId(id);
        DhKeyPair k = group.generate(random);
        byte[] good = group.generate(random).publicValue();
        int len = good.length;
        byte[] offCurve = good.clone();
        offCurve[len - 1] ^= 1;
        assertThatThrownBy(() -> k.sharedSecret(offCurve)).isInstanceOf(InvalidPeerKeyException.class)
                .hasMessageContaining("not a point");
        assertThatThrownBy(() -> k.sharedSecret(new byte[len])).isInstanceOf(InvalidPeerKeyException.class);
        byte[] withFormatByte = new byte[len + 1];
        withFormatByte[0] = 4;
        System.arraycopy(good, 0, withFormatByte, 1, len);
        assertThatThrownBy(() -> k.sharedSecret(withFormatByte)).isInstanceOf(InvalidPeerKeyException.class);
        assertThatThrownBy(() -> k.sharedSecret(Arrays.copyOf(good, len / 2))).isInstanceOf(InvalidPeerKeyException.class);
        byte[] bigX = good.clone();
        Arrays.fill(bigX, 0, len / 2, (byte) 0xff);
        assertThatThrownBy(() -> k.sharedSecret(bigX)).isInstanceOf(InvalidPeerKeyException.class);
    }

    @Test
    void x25519RejectsWrongLengthsAndLowOrderPoints() {
        DhKeyPair k = Curve25519Group.INSTANCE.generate(random);
        assertThatThrownBy(() -> k.sharedSecret(new byte[31])).isInstanceOf(InvalidPeerKeyException.class);
        assertThatThrownBy(() -> k.sharedSecret(new byte[33])).isInstanceOf(InvalidPeerKeyException.class);
        // u = 0 and u = 1 have small order: the agreement is all zero
        assertThatThrownBy(() -> k.sharedSecret(new byte[32])).isInstanceOf(InvalidPeerKeyException.class)
                .hasMessageContaining("all zero");
        byte[] one = new byte[32];
        one[0] = 1;
        assertThatThrownBy(() -> k.sharedSecret(one)).isInstanceOf(InvalidPeerKeyException.class);
    }

    @ParameterizedTest(name = "strongSwan capture {0}: its KE payloads are accepted")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void publicValuesFromStrongSwanAreAccepted(String name) throws Exception {
        CapturedExchange x = CapturedExchange.named(name);
        DhGroup group = DhGroup.forId(x.dhGroup());
        DhKeyPair ours = group.generate(random);
        assertThat(x.keData("ke_i")).hasSize(group.publicValueLength());
        assertThat(ours.sharedSecret(x.keData("ke_i"))).hasSize(x.get("gir").length);
        assertThat(ours.sharedSecret(x.keData("ke_r"))).hasSize(x.get("gir").length);
    }
}
