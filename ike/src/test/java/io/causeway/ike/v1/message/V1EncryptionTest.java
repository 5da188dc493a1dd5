package io.causeway.ike.v1.message;

import static io.causeway.ike.v1.message.V1Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CBC encryption of ISAKMP messages with each cipher, padding, and the IV chain across an exchange. */
class V1EncryptionTest {
    private static final IsakmpHeader HEADER = IsakmpHeader.of(0x1111L, 0x2222L, V1ExchangeType.QUICK_MODE, 0, 0x01020304);

    private static List<CbcCipher> ciphers() {
        Random random = new Random(7);
        byte[] k8 = new byte[8];
        byte[] k16 = new byte[16];
        byte[] k24 = new byte[24];
        byte[] k32 = new byte[32];
        random.nextBytes(k8);
        random.nextBytes(k16);
        random.nextBytes(k24);
        random.nextBytes(k32);
        return List.of(JceCbcCipher.aes(k16), JceCbcCipher.aes(k24), JceCbcCipher.aes(k32), JceCbcCipher.tripleDes(k24),
                JceCbcCipher.des(k8));
    }

    @Test
    void roundTripsWithEveryCipherAndPayloadSize() throws Exception {
        for (CbcCipher cipher : ciphers()) {
            int bs = cipher.blockSize();
            for (int hashLength = 1; hashLength <= 40; hashLength++) {
                List<V1Payload> payloads = List.of(new HashPayload1(new byte[hashLength]),
                        NotifyPayload1.dpd(NotifyPayload1.R_U_THERE, new byte[16], hashLength));
                byte[] iv = new byte[bs];
                Arrays.fill(iv, (byte) hashLength);
                byte[] datagram = V1Encryption.encrypt(HEADER, payloads, cipher, iv);
                int chain = V1PayloadChain.encodedLength(payloads);
                // zero padding to the next block boundary, always at least one octet
                assertThat(datagram.length - IsakmpHeader.LENGTH).isEqualTo((chain / bs + 1) * bs);
                IsakmpHeader h = IsakmpHeader.decode(datagram);
                assertThat(h.encrypted()).isTrue();
                assertThat(h.length()).isEqualTo(datagram.length);
                assertThat(h.nextPayload()).isEqualTo(V1PayloadType.HASH);
                assertThat(h.messageId()).isEqualTo(0x01020304);

                V1Encryption.Decrypted d = V1Encryption.decrypt(datagram, cipher, iv);
                assertThat(d.message().payloadList()).isEqualTo(payloads);
                assertThat(d.lastCipherBlock()).isEqualTo(Arrays.copyOfRange(datagram, datagram.length - bs, datagram.length));
                assertThat(V1Encryption.lastCipherBlock(datagram, bs)).isEqualTo(d.lastCipherBlock());
                byte[] plaintext = cipher.decrypt(iv, Arrays.copyOfRange(datagram, IsakmpHeader.LENGTH, datagram.length));
                for (int i = chain; i < plaintext.length; i++) {
                    assertThat(plaintext[i]).isZero();
                }
                // the wrong IV garbles the first block only: the chain (starting there) no longer decodes as sent
                byte[] wrongIv = iv.clone();
                wrongIv[0] ^= 1;
                try {
                    assertThat(V1Encryption.decrypt(datagram, cipher, wrongIv).message().payloadList()).isNotEqualTo(payloads);
                } catch (V1ParseException expected) {
                    // fine
                }
            }
        }
    }

    @Test
    void decryptAcceptsOtherPaddingStylesAndIgnoresTrailingDatagramBytes() throws Exception {
        CbcCipher aes = ciphers().get(0);
        byte[] chain = V1PayloadChain.encode(List.of(new HashPayload1(new byte[20])));
        byte[] iv = new byte[16];
        // RFC 2409 Appendix B style: zeros and the pad count in the last octet
        byte[] plaintext = Arrays.copyOf(chain, 32);
        plaintext[31] = (byte) (32 - chain.length - 1);
        byte[] ciphertext = aes.encrypt(iv, plaintext);
        byte[] datagram = new byte[IsakmpHeader.LENGTH + 32 + 3];
        HEADER.withNextPayload(V1PayloadType.HASH).withFlags(IsakmpHeader.FLAG_ENCRYPTION).withLength(60)
                .encode(java.nio.ByteBuffer.wrap(datagram));
        System.arraycopy(ciphertext, 0, datagram, IsakmpHeader.LENGTH, 32);
        V1Encryption.Decrypted d = V1Encryption.decrypt(datagram, aes, iv);
        assertThat(d.payloads()).hasSize(1);
        assertThat(d.payloads().get(0).wire()).isEqualTo(chain);
        assertThat(d.lastCipherBlock()).isEqualTo(Arrays.copyOfRange(ciphertext, 16, 32));
    }

    @Test
    void ivChainFollowsTheLastCipherBlocks() throws Exception {
        CbcCipher aes = ciphers().get(0);
        byte[] lastPhase1Block = hex("00112233445566778899aabbccddeeff");
        byte[] iv = IvChain.phase2Iv(V1Captures::sha1, lastPhase1Block, 0x01020304, 16);
        assertThat(iv).isEqualTo(Arrays.copyOf(V1Captures.sha1(V1Captures.concat(lastPhase1Block, hex("01020304"))), 16));
        assertThat(IvChain.phase1Iv(V1Captures::sha1, hex("01"), hex("02"), 8))
                .isEqualTo(Arrays.copyOf(V1Captures.sha1(hex("0102")), 8));
        IvChain initiator = new IvChain(iv);
        IvChain responder = new IvChain(iv);
        for (int i = 0; i < 3; i++) {
            byte[] sent = V1Encryption.encrypt(HEADER, List.of(new HashPayload1(new byte[20 + i])), aes, initiator.current());
            initiator.advance(V1Encryption.lastCipherBlock(sent, 16));
            V1Encryption.Decrypted got = V1Encryption.decrypt(sent, aes, responder.current());
            responder.advance(got.lastCipherBlock());
            assertThat(responder.current()).isEqualTo(initiator.current());
        }
        assertThatThrownBy(() -> initiator.advance(new byte[8])).isInstanceOf(IllegalArgumentException.class);
        byte[] current = initiator.current();
        current[0] ^= 1;
        assertThat(initiator.current()).isNotEqualTo(current);
    }

    @Test
    void cipherArgumentChecks() {
        assertThatThrownBy(() -> JceCbcCipher.aes(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JceCbcCipher.tripleDes(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JceCbcCipher.des(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        CbcCipher des = ciphers().get(4);
        assertThat(des.blockSize()).isEqualTo(8);
        assertThatThrownBy(() -> des.encrypt(new byte[16], new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> des.encrypt(new byte[8], new byte[7])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void knownAnswerAes128Cbc() {
        // NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first block
        CbcCipher aes = JceCbcCipher.aes(hex("2b7e151628aed2a6abf7158809cf4f3c"));
        byte[] ct = aes.encrypt(hex("000102030405060708090a0b0c0d0e0f"), hex("6bc1bee22e409f96e93d7e117393172a"));
        assertThat(ct).isEqualTo(hex("7649abac8119b246cee98e9b12e9197d"));
        assertThat(aes.decrypt(hex("000102030405060708090a0b0c0d0e0f"), ct)).isEqualTo(hex("6bc1bee22e409f96e93d7e117393172a"));
    }
}
