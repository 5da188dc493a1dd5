package io.causeway.esp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final long TWO_32 = 1L << 32;

    @Test
    void sequenceZeroIsNeverValid() {
        ReplayWindow w = new ReplayWindow(32, false, 0);
        assertThat(w.check(0)).isEqualTo(-1);
        assertThat(w.check(1)).isEqualTo(1);
    }

    @Test
    void checkDoesNotMoveTheWindowAcceptDoes() {
        ReplayWindow w = new ReplayWindow(32, false, 0);
        assertThat(w.check(100)).isEqualTo(100);
        assertThat(w.top()).isZero();
        assertThat(w.accept(100)).isTrue();
        assertThat(w.accept(100)).as("second worker with the same packet").isFalse();
        assertThat(w.check(69)).isEqualTo(69);
        assertThat(w.check(68)).isEqualTo(-1);
    }

    @Test
    void largeJumpsClearTheWholeBitmap() {
        ReplayWindow w = new ReplayWindow(64, false, 0);
        for (int s = 1; s <= 64; s++) {
            assertThat(w.accept(s)).isTrue();
        }
        assertThat(w.accept(64 + 10_000)).isTrue();
        for (int s = 64 + 10_000 - 63; s < 64 + 10_000; s++) {
            assertThat(w.check(s)).as("seq %d", s).isEqualTo(s);
        }
    }

    /** RFC 4303 A2.2 case A (Tl >= W-1) and case B (Tl < W-1). */
    @Test
    void esnHighBitsAreInferredOnBothSidesOfASubspaceBoundary() {
        ReplayWindow a = new ReplayWindow(32, true, 5 * TWO_32 + 1000);
        assertThat(a.check(1001)).isEqualTo(5 * TWO_32 + 1001);
        assertThat(a.check(969)).isEqualTo(5 * TWO_32 + 969);
        assertThat(a.check(968)).as("below the window: taken as the next subspace").isEqualTo(6 * TWO_32 + 968);

        ReplayWindow b = new ReplayWindow(32, true, 5 * TWO_32 + 10);
        assertThat(b.check(11)).isEqualTo(5 * TWO_32 + 11);
        assertThat(b.check((int) 0xFFFFFFF0L)).as("late packet from the previous subspace").isEqualTo(4 * TWO_32 + 0xFFFFFFF0L);
        assertThat(b.check((int) 0xFFFFFFE0L)).as("too old even there: far future in this subspace")
                .isEqualTo(5 * TWO_32 + 0xFFFFFFE0L);

        ReplayWindow start = new ReplayWindow(32, true, 0);
        assertThat(start.check((int) 0xFFFFFFF0L)).as("no subspace below 0").isEqualTo(-1);
    }
}
