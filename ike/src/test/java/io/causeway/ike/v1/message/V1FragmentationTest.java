package io.causeway.ike.v1.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.ike.v1.message.V1FragmentReassembler.Complete;
import io.causeway.ike.v1.message.V1FragmentReassembler.Incomplete;
import io.causeway.ike.v1.message.V1FragmentReassembler.Rejected;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** V1Fragmenter and V1FragmentReassembler: round trips in any order, and the reassembler's bounds. */
class V1FragmentationTest {

    private static byte[] datagram(int kePayloadBytes) {
        return V1Message.encode(IsakmpHeader.of(0xabcdL, 0x1234L, V1ExchangeType.AGGRESSIVE, 0, 0),
                List.of(new KePayload1(new byte[kePayloadBytes]), new NoncePayload1(new byte[32])));
    }

    private static FragmentPayload1 fragmentOf(byte[] fragmentMessage) throws V1ParseException {
        V1Message m = V1Message.decodePlain(fragmentMessage);
        assertThat(m.payloads()).hasSize(1);
        return m.first(FragmentPayload1.class).orElseThrow();
    }

    @Test
    void splitAndReassembleInAnyOrder() throws Exception {
        Random random = new Random(11);
        for (int size : new int[] {10, 200, 256, 1000, 3000}) {
            byte[] original = datagram(size);
            List<byte[]> fragments = new ArrayList<>(V1Fragmenter.split(original, 300, 7));
            assertThat(fragments).allMatch(f -> f.length <= 300);
            IsakmpHeader first = IsakmpHeader.decode(fragments.get(0));
            assertThat(first.exchangeType()).isEqualTo(V1ExchangeType.AGGRESSIVE);
            assertThat(first.messageId()).isZero();
            assertThat(first.initiatorCookie()).isEqualTo(0xabcdL);
            assertThat(first.nextPayload()).isEqualTo(V1PayloadType.FRAGMENT);
            Collections.shuffle(fragments, random);
            V1FragmentReassembler r = new V1FragmentReassembler();
            V1FragmentReassembler.Outcome outcome = null;
            for (byte[] f : fragments) {
                assertThat(outcome).isNull();
                outcome = r.offer(fragmentOf(f));
                if (outcome instanceof Incomplete) {
                    outcome = null;
                }
            }
            assertThat(outcome).isInstanceOf(Complete.class);
            assertThat(((Complete) outcome).datagram()).isEqualTo(original);
            assertThat(((Complete) outcome).fragmentId()).isEqualTo(7);
            assertThat(r.inProgress()).isFalse();
        }
        byte[] quick = V1Message.encode(IsakmpHeader.of(1, 2, V1ExchangeType.QUICK_MODE, 0, 5),
                List.of(new HashPayload1(new byte[400])));
        assertThat(IsakmpHeader.decode(V1Fragmenter.split(quick, 200, 1).get(0)).exchangeType())
                .isEqualTo(V1ExchangeType.IDENTITY_PROTECTION);
        assertThat(IsakmpHeader.decode(V1Fragmenter.split(quick, 200, 1, V1ExchangeType.AGGRESSIVE).get(0)).exchangeType())
                .isEqualTo(V1ExchangeType.AGGRESSIVE);
    }

    @Test
    void splitChecks() {
        assertThatThrownBy(() -> V1Fragmenter.split(datagram(10), V1Fragmenter.OVERHEAD, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> V1Fragmenter.split(new byte[10], 500, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> V1Fragmenter.split(datagram(60000), V1Fragmenter.OVERHEAD + 100, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(V1Fragmenter.split(datagram(10), 1000, 1)).hasSize(1);
    }

    @Test
    void reassemblerBounds() {
        V1FragmentReassembler r = new V1FragmentReassembler();
        byte[] piece = new byte[10];
        assertThat(r.offer(new FragmentPayload1(1, 17, 0, piece))).isInstanceOf(Rejected.class);
        assertThat(r.offer(new FragmentPayload1(1, 2, 0, piece))).isEqualTo(new Incomplete(1, 1, 0));
        assertThat(r.offer(new FragmentPayload1(1, 2, 0, piece))).isEqualTo(new Rejected(1, "duplicate fragment 2", false));
        assertThat(r.offer(new FragmentPayload1(1, 3, FragmentPayload1.LAST, piece))).isEqualTo(new Incomplete(1, 2, 3));
        assertThat(r.offer(new FragmentPayload1(1, 4, 0, piece))).isInstanceOf(Rejected.class);
        assertThat(r.inProgress()).isTrue();
        // another fragment id starts over
        assertThat(r.offer(new FragmentPayload1(2, 1, 0, piece))).isEqualTo(new Incomplete(2, 1, 0));
        assertThat(r.offer(new FragmentPayload1(2, 2, FragmentPayload1.LAST, piece))).isInstanceOf(Complete.class);

        // LAST below a fragment already held discards everything
        r.offer(new FragmentPayload1(3, 5, 0, piece));
        assertThat(r.offer(new FragmentPayload1(3, 2, FragmentPayload1.LAST, piece)))
                .isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.discardedMessage()).isTrue());
        assertThat(r.inProgress()).isFalse();

        // at most 64 KiB in all
        byte[] big = new byte[20_000];
        for (int n = 1; n <= 3; n++) {
            assertThat(r.offer(new FragmentPayload1(4, n, 0, big))).isInstanceOf(Incomplete.class);
        }
        assertThat(r.offer(new FragmentPayload1(4, 4, FragmentPayload1.LAST, big)))
                .isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.discardedMessage()).isTrue());

        // sixteen fragments are fine
        for (int n = 1; n <= 15; n++) {
            assertThat(r.offer(new FragmentPayload1(5, n, 0, piece))).isInstanceOf(Incomplete.class);
        }
        V1FragmentReassembler.Outcome done = r.offer(new FragmentPayload1(5, 16, FragmentPayload1.LAST, piece));
        assertThat(done).isInstanceOfSatisfying(Complete.class, c -> assertThat(c.datagram()).hasSize(160));
        r.offer(new FragmentPayload1(6, 1, 0, piece));
        r.discard();
        assertThat(r.inProgress()).isFalse();
    }
}
