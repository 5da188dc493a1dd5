package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.SecureRandomSource;
import io.causeway.ike.sa.ChildSaInstall;
import io.causeway.ike.sa.ChildSaRemoval;
import io.causeway.ike.sa.IkeActions;
import io.causeway.ike.sa.IkeDatagram;
import io.causeway.ike.sa.IkeEngine;
import io.causeway.ike.sa.IkeIntakeScreen;
import io.causeway.ike.sa.TimerKey;
import io.causeway.lab.Poll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers' hand-off to the control thread, overfilled while the control thread is held up. */
class IkeInboxTest {
    /** The readers' screen; these tests hand datagrams to the inbox directly, past it. */
    private static final IkeIntakeScreen SCREEN = new IkeIntakeScreen(1, 20);
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 500);
    private static final InetSocketAddress US = new InetSocketAddress("192.0.2.2", 500);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Octet 0 of a datagram the tests' {@link IkeInbox.Triage} takes for a known peer's. */
    private static final byte KNOWN = 1;

    @TempDir
    Path dir;

    @Test
    void aControlThreadFarBehindGetsAtMostTheLimitAndTheRestIsCountedAsQueueFull() throws Exception {
        try (ControlLoop control = new ControlLoop()) {
            AtomicInteger received = new AtomicInteger();
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> received.incrementAndGet(), SCREEN);
            CountDownLatch release = hold(control);

            for (int i = 0; i < 3 * IkeInbox.MAX_DATAGRAMS; i++) {
                inbox.receive(new byte[100], PEER, US);
            }
            assertThat(inbox.waiting()).isEqualTo(IkeInbox.MAX_DATAGRAMS);
            assertThat(inbox.queueFull()).isEqualTo(2L * IkeInbox.MAX_DATAGRAMS);

            release.countDown();
            Poll.require(DEADLINE, "the inbox drained", () -> inbox.waiting() == 0);
            assertThat(received.get()).isEqualTo(IkeInbox.MAX_DATAGRAMS);
            inbox.receive(new byte[100], PEER, US);
            Poll.require(DEADLINE, "one more taken", () -> received.get() == IkeInbox.MAX_DATAGRAMS + 1);
        }
    }

    @Test
    void largeDatagramsAreBoundedByBytesAsWell() throws Exception {
        try (ControlLoop control = new ControlLoop()) {
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> { }, SCREEN);
            CountDownLatch release = hold(control);
            for (int i = 0; i < 10; i++) {
                inbox.receive(new byte[1 << 20], PEER, US);
            }
            assertThat(inbox.waiting()).isEqualTo((int) (IkeInbox.MAX_BYTES >> 20));
            assertThat(inbox.queueFull()).isEqualTo(10 - (IkeInbox.MAX_BYTES >> 20));
            release.countDown();
        }
    }

    @Test
    void knownPeersDatagramsGetPastStrangersWhoFilledTheirLaneAndAreTakenFirst() throws Exception {
        try (ControlLoop control = new ControlLoop()) {
            List<Byte> order = Collections.synchronizedList(new ArrayList<>());
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> order.add(bytes[0]), SCREEN);
            inbox.triageWith(IkeInboxTest::byFirstOctet);
            CountDownLatch release = hold(control);

            for (int i = 0; i < 3 * IkeInbox.MAX_DATAGRAMS; i++) {
                inbox.receive(new byte[100], PEER, US);
            }
            for (int i = 0; i < 5; i++) {
                inbox.receive(known(100), PEER, US);
            }
            assertThat(inbox.queueFull()).isEqualTo(2L * IkeInbox.MAX_DATAGRAMS);
            assertThat(inbox.knownQueueFull()).isZero();
            assertThat(inbox.waiting()).isEqualTo(IkeInbox.MAX_DATAGRAMS + 5);

            release.countDown();
            Poll.require(DEADLINE, "the inbox drained", () -> inbox.waiting() == 0);
            assertThat(order).hasSize(IkeInbox.MAX_DATAGRAMS + 5);
            assertThat(order.subList(0, 5)).as("the known lane first").containsOnly(KNOWN);
            assertThat(order.subList(5, order.size())).doesNotContain(KNOWN);
        }
    }

    @Test
    void theKnownLaneIsBoundedOnItsOwnAndLeavesStrangersTheirs() throws Exception {
        try (ControlLoop control = new ControlLoop()) {
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> { }, SCREEN);
            inbox.triageWith(IkeInboxTest::byFirstOctet);
            CountDownLatch release = hold(control);
            for (int i = 0; i < 2 * IkeInbox.MAX_DATAGRAMS; i++) {
                inbox.receive(known(100), PEER, US);
            }
            inbox.receive(new byte[100], PEER, US);
            assertThat(inbox.knownQueueFull()).isEqualTo(IkeInbox.MAX_DATAGRAMS);
            assertThat(inbox.queueFull()).isEqualTo(IkeInbox.MAX_DATAGRAMS);
            assertThat(inbox.waiting()).isEqualTo(IkeInbox.MAX_DATAGRAMS + 1);
            release.countDown();
        }
    }

    @Test
    void aTriageThatThrowsCountsAsAStranger() throws Exception {
        try (ControlLoop control = new ControlLoop()) {
            AtomicInteger received = new AtomicInteger();
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> received.incrementAndGet(), SCREEN);
            inbox.triageWith((bytes, from) -> {
                throw new IllegalStateException("a bug in the triage");
            });
            inbox.receive(new byte[100], PEER, US);
            Poll.require(DEADLINE, "taken", () -> received.get() == 1);
            assertThat(inbox.queueFull()).isZero();
        }
    }

    /**
     * A real responder engine behind the inbox, triaged by its own {@link IkeEngine#knownPeers}: while the control
     * thread is held, strangers' new IKE_SA_INITs (framed as IKE, each source within its rate) fill their lane, and
     * the IKE_AUTH of an initiator east answered just before still gets in and is the first datagram east handles,
     * so the tunnel comes up. In one lane it would have been dropped behind the flood.
     */
    @Test
    void anIkeAuthForAHalfOpenSaIsHandledFirstAfterAFloodOfNewRequestsFilledTheInbox() throws Exception {
        Side westSide = new Side();
        Side eastSide = new Side();
        IkeEngine west = engine("west", WEST_CONF, westSide);
        try (ControlLoop control = new ControlLoop()) {
            IkeEngine east = control.call(() -> engine("east", EAST_CONF, eastSide));
            AtomicInteger handled = new AtomicInteger();
            eastSide.handled = handled;
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> {
                handled.incrementAndGet();
                east.receive(new IkeDatagram(bytes, to, from), System.currentTimeMillis());
            }, SCREEN);
            inbox.triageWith(east.knownPeers()::known);

            west.initiate("net", PEER, US, System.currentTimeMillis());
            westSide.outbox.forEach(d -> inbox.receive(d.bytes(), PEER, US));
            westSide.outbox.clear();
            Poll.require(DEADLINE, "east answered IKE_SA_INIT", () -> !eastSide.outboxCopy().isEmpty());
            for (IkeDatagram d : eastSide.takeSent()) {
                west.receive(new IkeDatagram(d.bytes(), PEER, US), System.currentTimeMillis());
            }
            List<IkeDatagram> auth = List.copyOf(westSide.outbox);
            assertThat(auth).isNotEmpty();

            CountDownLatch release = hold(control);
            int before = handled.get();
            byte[] request = new byte[300];
            request[17] = 0x20;
            request[18] = 34; // IKE_SA_INIT
            request[19] = 0x08;
            request[26] = (byte) (request.length >>> 8); // framed as IKE: the length field is the datagram's
            request[27] = (byte) request.length;
            for (int i = 0; i < 3 * IkeInbox.MAX_DATAGRAMS; i++) {
                request[7] = (byte) i;
                request[6] = (byte) (i >>> 8);
                InetSocketAddress stranger = new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (i >>> 8), (byte) i}), 500);
                inbox.receive(request.clone(), stranger, US);
            }
            auth.forEach(d -> inbox.receive(d.bytes(), PEER, US));
            assertThat(inbox.queueFull()).isEqualTo(2L * IkeInbox.MAX_DATAGRAMS);
            assertThat(inbox.knownQueueFull()).isZero();

            release.countDown();
            Poll.require(DEADLINE, "east CONNECTED", () -> eastSide.state == TunnelState.CONNECTED);
            assertThat(eastSide.handledWhenConnected - before).as("datagrams east handled up to CONNECTED")
                    .isEqualTo(auth.size());
            Poll.require(DEADLINE, "the inbox drained", () -> inbox.waiting() == 0);
        }
    }

    private static boolean byFirstOctet(byte[] datagram, InetAddress from) {
        return datagram[0] == KNOWN;
    }

    private static byte[] known(int length) {
        byte[] b = new byte[length];
        b[0] = KNOWN;
        return b;
    }

    /** Holds the control thread until the returned latch is counted down. */
    private static CountDownLatch hold(ControlLoop control) {
        CountDownLatch release = new CountDownLatch(1);
        control.execute(() -> await(release));
        return release;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String SECRETS = "west.example east.example : PSK \"correct horse battery staple\"\n";
    private static final String WEST_CONF = """
            conn net
                authby=psk
                left=192.0.2.1
                leftid=west.example
                leftsubnet=10.1.0.0/24
                right=192.0.2.2
                rightid=east.example
                rightsubnet=10.2.0.0/24
                ike=aes128-sha256-modp2048
                esp=aes128gcm16
                auto=add
            """;
    private static final String EAST_CONF = """
            conn net
                authby=psk
                left=192.0.2.2
                leftid=east.example
                leftsubnet=10.2.0.0/24
                right=%any
                rightid=west.example
                rightsubnet=10.1.0.0/24
                ike=aes128-sha256-modp2048
                esp=aes128gcm16
                auto=add
            """;

    private IkeEngine engine(String name, String conf, Side side) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        LoadResult r = ConfigLoader.load(Files.writeString(d.resolve("ipsec.conf"), conf),
                Files.writeString(d.resolve("ipsec.secrets"), SECRETS));
        assertThat(r.ok()).as("%s", r.errors()).isTrue();
        IkeEngine engine = new IkeEngine(r.config().activeConnections(), r.config().secrets(), new SecureRandomSource(),
                side);
        engine.setCookieThreshold(0); // the flood's requests are junk anyway: no cookie round for west either
        return engine;
    }

    /** An engine's outside world: what it sent and its last state; the handled count when it reported CONNECTED. */
    private static final class Side implements IkeActions {
        final List<IkeDatagram> outbox = Collections.synchronizedList(new ArrayList<>());
        volatile TunnelState state;
        volatile int handledWhenConnected = -1;
        /** Datagrams handed to the engine so far, the one being handled included. */
        AtomicInteger handled;

        List<IkeDatagram> outboxCopy() {
            synchronized (outbox) {
                return List.copyOf(outbox);
            }
        }

        List<IkeDatagram> takeSent() {
            synchronized (outbox) {
                List<IkeDatagram> sent = List.copyOf(outbox);
                outbox.clear();
                return sent;
            }
        }

        @Override
        public void send(IkeDatagram d) {
            outbox.add(d);
        }

        @Override
        public void setTimer(TimerKey key, long atMillis) {
        }

        @Override
        public void cancelTimer(TimerKey key) {
        }

        @Override
        public void installChildSa(ChildSaInstall child) {
        }

        @Override
        public void removeChildSa(ChildSaRemoval child) {
        }

        @Override
        public void activateOutbound(String connection, int inboundSpi) {
        }

        @Override
        public void stateChanged(String connection, TunnelState newState, String lastError) {
            if (newState == TunnelState.CONNECTED && handled != null) {
                handledWhenConnected = handled.get();
            }
            state = newState;
        }
    }
}
