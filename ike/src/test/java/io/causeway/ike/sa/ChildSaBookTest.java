package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Subnet;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CHILD_SA book installs each SA once and removes it at most once, whatever the order of events. */
class ChildSaBookTest {
    private final Lab.Recorder actions = new Lab.Recorder("test");
    private final ChildSaBook book = new ChildSaBook(actions);

    private static ChildSaInstall sa(int in, int out) {
        SaKeys keys = new SaKeys(new byte[20], new byte[0]);
        return new ChildSaInstall("net", in, out, EspSuite.aesGcm(128, 16), keys, keys, false,
                List.of(Subnet.parse("10.1.0.0/24")), List.of(Subnet.parse("10.2.0.0/24")), EspMode.TUNNEL, false,
                Lab.WEST, Lab.EAST, null);
    }

    @Test
    void theNewestLiveSaIsCurrent() {
        ChildSaBook.Entry a = book.install(sa(1, 101));
        ChildSaBook.Entry b = book.install(sa(2, 102));
        assertThat(book.current()).contains(b);
        book.replaced(b);
        assertThat(book.current()).contains(a);
        assertThat(book.live()).containsExactly(a);
        assertThat(book.byOutboundSpi(102)).isSameAs(b);
        assertThat(book.byEitherSpi(2)).isSameAs(b);
    }

    @Test
    void anSaIsRemovedFromTheDataPlaneOnlyOnce() {
        ChildSaBook.Entry a = book.install(sa(1, 101));
        book.deleting(a, false);
        assertThat(actions.removals).hasSize(1);
        assertThat(book.takeQueuedDeletes()).containsExactly(1);
        assertThat(book.hasQueuedDeletes()).isFalse();
        book.forget(a); // the peer's DELETE crossed ours
        book.deletesAnswered();
        book.forgetAll();
        assertThat(actions.removals).hasSize(1);
        assertThat(actions.installed()).isEmpty();
    }

    @Test
    void aReplacedSaKeepsReceivingUntilItsDeleteIsAnswered() {
        ChildSaBook.Entry a = book.install(sa(1, 101));
        book.install(sa(2, 102));
        book.deleting(a, true);
        assertThat(actions.removals).isEmpty();
        assertThat(book.takeQueuedDeletes()).containsExactly(1);
        book.deletesAnswered();
        assertThat(actions.removals).containsExactly(new ChildSaRemoval("net", 1, 101));
        assertThat(book.all()).hasSize(1);
    }

    @Test
    void anSaNeverInstalledIsDeletedWithoutTouchingTheDataPlane() {
        book.trackForDelete(sa(3, 103));
        assertThat(actions.installs).isEmpty();
        assertThat(book.hasLive()).isFalse();
        assertThat(book.takeQueuedDeletes()).containsExactly(3);
        book.deletesAnswered();
        assertThat(actions.removals).isEmpty();
        assertThat(book.all()).isEmpty();
    }

    @Test
    void theSaOfAPeersRekeyReceivesFirstAndSendsOnceTheOldOneGoesJustBeforeItsRemoval() {
        ChildSaBook.Entry old = book.install(sa(1, 101));
        ChildSaBook.Entry fresh = book.installReceivingFirst(sa(2, 102), null, old, 0, bound -> 0);
        book.replaced(old);
        assertThat(actions.installs.get(1).outboundActive()).isFalse();
        assertThat(fresh.outboundActive()).isFalse();
        assertThat(book.current()).contains(fresh);
        assertThat(actions.sendingOn().inboundSpi()).isEqualTo(1);

        book.forget(old); // the peer's DELETE
        assertThat(actions.dataPlane).containsExactly("install 00000001", "install 00000002 receiving",
                "send 00000002", "remove 00000001");
        assertThat(fresh.outboundActive()).isTrue();
        assertThat(actions.sendingOn().inboundSpi()).isEqualTo(2);
    }

    @Test
    void whenThePeerRekeysAgainBeforeDeletingTheFirstOldSaTheNewestSendsOnceThatOneGoes() {
        ChildSaBook.Entry first = book.install(sa(1, 101));
        ChildSaBook.Entry second = book.installReceivingFirst(sa(2, 102), null, first, 0, bound -> 0);
        book.replaced(first);
        ChildSaBook.Entry third = book.installReceivingFirst(sa(3, 103), null, second, 0, bound -> 0);
        book.replaced(second);

        book.forget(second); // never sent: nothing changes for sending
        assertThat(actions.activations).isEmpty();
        assertThat(actions.sendingOn().inboundSpi()).isEqualTo(1);
        book.forget(first);
        assertThat(actions.activations).containsExactly(3);
        assertThat(third.outboundActive()).isTrue();
    }

    @Test
    void aReceivingOnlySaThatIsReplacedOrDeletedNeverSends() {
        ChildSaBook.Entry old = book.install(sa(1, 101));
        ChildSaBook.Entry peers = book.installReceivingFirst(sa(2, 102), null, old, 0, bound -> 0);
        book.replaced(old);
        book.install(sa(3, 103)); // our rekey won the collision: ours sends at once
        book.replaced(peers);
        ChildSaBook.Entry another = book.installReceivingFirst(sa(4, 104), null, old, 0, bound -> 0);
        book.deleting(another, false);

        book.forget(old);
        assertThat(actions.activations).isEmpty();
        assertThat(actions.sendingOn().inboundSpi()).isEqualTo(3);
    }

    @Test
    void forgettingEverySaStartsNoneSending() {
        ChildSaBook.Entry old = book.install(sa(1, 101));
        book.installReceivingFirst(sa(2, 102), null, old, 0, bound -> 0);
        book.replaced(old);
        book.forgetAll();
        assertThat(actions.activations).isEmpty();
        assertThat(actions.installed()).isEmpty();
    }

    @Test
    void anIkeSaRekeyMovesAllButTheDeletesAlreadySent() {
        ChildSaBook.Entry sent = book.install(sa(1, 101));
        book.deleting(sent, true);
        book.takeQueuedDeletes();
        ChildSaBook.Entry queued = book.install(sa(2, 102));
        book.deleting(queued, false);
        ChildSaBook.Entry replaced = book.install(sa(3, 103));
        book.replaced(replaced);
        ChildSaBook.Entry live = book.install(sa(4, 104));
        ChildSaBook successor = new ChildSaBook(actions);
        book.moveTo(successor);
        assertThat(book.all()).containsExactly(sent);
        assertThat(successor.all()).containsExactly(queued, replaced, live);
        assertThat(successor.takeQueuedDeletes()).containsExactly(2);
    }
}
