package io.causeway.ike.v2.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.v2.message.FragmentReassembler.Complete;
import io.causeway.ike.v2.message.FragmentReassembler.Incomplete;
import io.causeway.ike.v2.message.FragmentReassembler.Rejected;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 7383 fragmentation: splitting to a size, SKF encoding with real AES-GCM, and reassembly limits. */
class FragmentationTest {
    private static final byte[] KEY = new byte[16];
    private static final byte[] SALT = {1, 2, 3, 4};

    @Test
    void splitEncryptDecodeReassemble() throws Exception {
        byte[] inner = new byte[1000];
        new Random(7).nextBytes(inner);
        int max = 300;
        List<byte[]> chunks = Fragmenter.split(inner, max, 8, 16, 1);
        assertThat(chunks).hasSize(5); // 239 data bytes each: 300 - 28 - 8 - 8 - 16 - 1
        IkeHeader header = IkeHeader.of(0x1111L, 0x2222L, ExchangeType.IKE_AUTH, true, false, 1);
        FragmentReassembler reassembler = new FragmentReassembler();
        FragmentReassembler.Outcome outcome = null;
        for (int i = chunks.size(); i >= 1; i--) { // out of order
            byte[] chunk = chunks.get(i - 1);
            int ciphertextLength = SkLayout.paddedLength(chunk.length, 1);
            SkLayout out = IkeMessage.encodeFragment(header, i, chunks.size(), PayloadType.IDI, 8, ciphertextLength, 16);
            assertThat(out.length()).isLessThanOrEqualTo(max);
            gcmSeal(out, chunk, i);
            IkeMessage received = IkeMessage.decode(out.message());
            SkfPayload skf = received.skf().orElseThrow();
            assertThat(skf.firstInnerType()).isEqualTo(i == 1 ? PayloadType.IDI : 0);
            byte[] plain = gcmOpen(received.skLayout(8, 16));
            byte[] payload = java.util.Arrays.copyOf(plain, SkLayout.innerLength(plain, 0, plain.length));
            outcome = reassembler.offer(received.header().messageId(), skf, payload);
            if (i > 1) {
                assertThat(outcome).isInstanceOf(Incomplete.class);
            }
        }
        assertThat(outcome).isInstanceOfSatisfying(Complete.class, c -> {
            assertThat(c.innerChain()).isEqualTo(inner);
            assertThat(c.firstInnerType()).isEqualTo(PayloadType.IDI);
        });
    }

    @Test
    void protectedMessageLayoutAndGcmRoundTrip() throws Exception {
        List<Payload> inner = List.of(NotifyPayload.of(NotifyType.INITIAL_CONTACT), new VendorIdPayload(new byte[5]));
        byte[] chain = PayloadChain.encode(inner);
        IkeHeader header = IkeHeader.of(5, 6, ExchangeType.INFORMATIONAL, false, true, 7);
        SkLayout out = IkeMessage.encodeProtected(header, List.of(), PayloadType.NOTIFY, 8, SkLayout.paddedLength(chain.length, 1), 16);
        assertThat(out.associatedDataLength()).isEqualTo(IkeHeader.LENGTH + 4);
        assertThat(out.ivOffset()).isEqualTo(32);
        assertThat(out.ciphertextOffset()).isEqualTo(40);
        assertThat(out.icvOffset()).isEqualTo(out.length() - 16);
        gcmSeal(out, chain, 9);
        IkeMessage received = IkeMessage.decode(out.message());
        assertThat(received.header().response()).isTrue();
        assertThat(received.header().length()).isEqualTo(out.length());
        byte[] plain = gcmOpen(received.skLayout(8, 16));
        assertThat(PayloadChain.decodeInner(received.sk().orElseThrow().firstInnerType(), plain, 0,
                SkLayout.innerLength(plain, 0, plain.length))).isEqualTo(inner);
    }

    @Test
    void maxChunkAccountsForHeadersIvIcvAndBlockPadding() {
        // 28 header + 8 SKF header + 16 IV + 16 ICV = 68; 300 - 68 = 232 = 14.5 blocks -> 224 ciphertext -> 223 data
        assertThat(Fragmenter.maxChunkLength(300, 16, 16, 16)).isEqualTo(223);
        assertThat(Fragmenter.maxChunkLength(300, 8, 16, 1)).isEqualTo(239);
        assertThat(SkLayout.paddedLength(223, 16)).isEqualTo(224);
        assertThat(SkLayout.paddedLength(224, 16)).isEqualTo(240);
    }

    @Test
    void duplicatesOutOfRangeAndStaleTotalsAreRejectedWithoutLosingState() {
        FragmentReassembler r = new FragmentReassembler();
        assertThat(r.offer(1, 1, 3, PayloadType.IDI, new byte[] {1})).isInstanceOf(Incomplete.class);
        assertThat(r.offer(1, 1, 3, PayloadType.IDI, new byte[] {1})).isInstanceOfSatisfying(Rejected.class,
                x -> assertThat(x.discardedMessage()).isFalse());
        assertThat(r.offer(1, 4, 3, 0, new byte[] {1})).isInstanceOf(Rejected.class);
        assertThat(r.offer(1, 0, 3, 0, new byte[] {1})).isInstanceOf(Rejected.class);
        assertThat(r.offer(1, 2, 2, 0, new byte[] {2})).isInstanceOf(Rejected.class); // older, smaller total
        assertThat(r.offer(1, 2, 3, 0, new byte[] {2})).isInstanceOf(Incomplete.class);
        assertThat(r.offer(1, 3, 3, 0, new byte[] {3})).isInstanceOfSatisfying(Complete.class,
                c -> assertThat(c.innerChain()).containsExactly(1, 2, 3));
        assertThat(r.inProgress()).isZero();
    }

    @Test
    void largerTotalRestartsReassembly() {
        FragmentReassembler r = new FragmentReassembler();
        r.offer(9, 1, 2, PayloadType.IDI, new byte[] {1, 1});
        assertThat(r.offer(9, 2, 3, 0, new byte[] {2})).isInstanceOfSatisfying(Incomplete.class,
                i -> assertThat(i.received()).isEqualTo(1));
        r.offer(9, 1, 3, PayloadType.IDI, new byte[] {1});
        assertThat(r.offer(9, 3, 3, 0, new byte[] {3})).isInstanceOfSatisfying(Complete.class,
                c -> assertThat(c.innerChain()).containsExactly(1, 2, 3));
    }

    @Test
    void limitsAgainstMemoryExhaustion() {
        FragmentReassembler r = new FragmentReassembler(4, 10, 2);
        assertThat(r.offer(1, 1, 5, PayloadType.IDI, new byte[1])).isInstanceOf(Rejected.class); // too many fragments
        assertThat(r.offer(1, 1, 3, PayloadType.IDI, new byte[6])).isInstanceOf(Incomplete.class);
        assertThat(r.offer(1, 2, 3, 0, new byte[6])).isInstanceOfSatisfying(Rejected.class,
                x -> assertThat(x.discardedMessage()).isTrue()); // 12 bytes > 10
        assertThat(r.inProgress()).isZero();
        r.offer(2, 1, 2, PayloadType.IDI, new byte[1]);
        r.offer(3, 1, 2, PayloadType.IDI, new byte[1]);
        assertThat(r.offer(4, 1, 2, PayloadType.IDI, new byte[1])).isInstanceOf(Rejected.class); // 2 messages at once
        r.discard(2);
        assertThat(r.offer(4, 1, 2, PayloadType.IDI, new byte[1])).isInstanceOf(Incomplete.class);
        assertThat(r.offer(5, 1, 1, PayloadType.NONE, new byte[1])).isInstanceOf(Rejected.class); // no first payload
    }

    private static void gcmSeal(SkLayout out, byte[] innerChain, int ivSeed) throws Exception {
        byte[] iv = ByteBuffer.allocate(8).putLong(ivSeed).array();
        System.arraycopy(iv, 0, out.message(), out.ivOffset(), 8);
        byte[] padded = new byte[out.ciphertextLength()];
        System.arraycopy(innerChain, 0, padded, 0, innerChain.length);
        padded[padded.length - 1] = (byte) (padded.length - innerChain.length - 1);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce(iv)));
        gcm.updateAAD(out.message(), 0, out.associatedDataLength());
        int written = gcm.doFinal(padded, 0, padded.length, out.message(), out.ciphertextOffset());
        assertThat(written).isEqualTo(out.ciphertextLength() + out.icvLength());
    }

    private static byte[] gcmOpen(SkLayout in) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce(in.iv())));
        gcm.updateAAD(in.message(), 0, in.associatedDataLength());
        return gcm.doFinal(in.message(), in.ciphertextOffset(), in.ciphertextLength() + in.icvLength());
    }

    private static byte[] nonce(byte[] iv) {
        return ByteBuffer.allocate(12).put(SALT).put(iv).array();
    }
}
