package io.causeway.ike.sa;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.crypto.RandomSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Two engines joined by an in-memory network with a fake clock; datagrams can be dropped or rewritten (NAT). */
final class Lab {
    static final InetSocketAddress WEST = new InetSocketAddress(Net.ip("192.0.2.1"), 500);
    static final InetSocketAddress EAST = new InetSocketAddress(Net.ip("192.0.2.2"), 500);

    /** West's actions and engine; replaced by {@link #restartWest}. */
    Recorder westActions = new Recorder("west");
    final Recorder eastActions = new Recorder("east");
    IkeEngine west;
    final IkeEngine east;
    private final LoadResult westConfig;
    private int westRestarts;
    long now = 1_000_000;
    /** Return true to lose a datagram on its way (west to east or east to west). */
    Predicate<IkeDatagram> drop = d -> false;
    /** Rewrites a west-to-east datagram's source (the NAT in front of west); identity by default. */
    UnaryOperator<InetSocketAddress> westSourceNat = a -> a;
    /** Reverses westSourceNat for east-to-west datagrams. */
    UnaryOperator<InetSocketAddress> westDestinationNat = a -> a;
    final List<IkeDatagram> toEast = new ArrayList<>();
    final List<IkeDatagram> toWest = new ArrayList<>();
    /** Runs after every datagram delivered, e.g. to check an invariant at each step of an exchange. */
    Runnable afterEachDelivery = () -> { };

    Lab(Path dir, String westConf, String westSecrets, String eastConf, String eastSecrets) {
        this(dir, westConf, westSecrets, eastConf, eastSecrets, "west", "east");
    }

    /** The seeds make each side's random numbers (SPIs, nonces) differ from the default run, e.g. to vary who wins a collision. */
    Lab(Path dir, String westConf, String westSecrets, String eastConf, String eastSecrets, String westSeed, String eastSeed) {
        this(dir, westConf, westSecrets, eastConf, eastSecrets, new DeterministicRandomSource(westSeed),
                new DeterministicRandomSource(eastSeed));
    }

    /** With the random sources given, e.g. one that counts what east draws. */
    Lab(Path dir, String westConf, String westSecrets, String eastConf, String eastSecrets, RandomSource westRandom,
        RandomSource eastRandom) {
        westConfig = load(dir.resolve("west"), westConf, westSecrets);
        LoadResult eastConfig = load(dir.resolve("east"), eastConf, eastSecrets);
        west = new IkeEngine(westConfig.config().activeConnections(), westConfig.config().secrets(), westRandom,
                westActions);
        east = new IkeEngine(eastConfig.config().activeConnections(), eastConfig.config().secrets(), eastRandom,
                eastActions);
    }

    static LoadResult load(Path dir, String conf, String secrets) {
        try {
            Files.createDirectories(dir);
            LoadResult r = ConfigLoader.load(Files.writeString(dir.resolve("ipsec.conf"), conf),
                    Files.writeString(dir.resolve("ipsec.secrets"), secrets));
            if (!r.ok()) {
                throw new IllegalStateException("test config does not load: " + r.errors());
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** West crashes and comes back: a new engine with the same configuration, no state, nothing in flight. */
    void restartWest() {
        westRestarts++;
        westActions = new Recorder("west");
        west = new IkeEngine(westConfig.config().activeConnections(), westConfig.config().secrets(),
                new DeterministicRandomSource("west-restart-" + westRestarts), westActions);
    }

    IkeSession initiate() {
        IkeSession s = west.initiate("net", WEST, EAST, now);
        deliverAll();
        return s;
    }

    /** Delivers one datagram west sent, unless dropped. */
    void deliverToEast(IkeDatagram d) {
        if (!drop.test(d)) {
            IkeDatagram arriving = new IkeDatagram(d.bytes(), d.remote(), westSourceNat.apply(d.local()));
            toEast.add(arriving);
            east.receive(arriving, now);
            afterEachDelivery.run();
        }
    }

    /** Delivers one datagram east sent, unless dropped. */
    void deliverToWest(IkeDatagram d) {
        if (!drop.test(d)) {
            IkeDatagram arriving = new IkeDatagram(d.bytes(), westDestinationNat.apply(d.remote()), d.local());
            toWest.add(arriving);
            west.receive(arriving, now);
            afterEachDelivery.run();
        }
    }

    /**
     * Checks after every delivery from now on that ESP either side sends can be opened by the other: the SA each
     * data plane sends on has its outbound SPI installed inbound at the peer. For tests with one connection.
     */
    void checkEachSendsWhatThePeerReceives() {
        afterEachDelivery = () -> {
            assertPeerReceives(westActions, eastActions);
            assertPeerReceives(eastActions, westActions);
        };
    }

    private static void assertPeerReceives(Recorder sender, Recorder receiver) {
        ChildSaInstall sending = sender.sendingOn();
        if (sending != null && receiver.installed().stream().noneMatch(c -> c.inboundSpi() == sending.outboundSpi())) {
            throw new AssertionError(sender.name + " sends on " + String.format("%08x", sending.outboundSpi())
                    + ", which " + receiver.name + " has not installed: " + receiver.installed());
        }
    }

    /** Delivers datagrams until both sides are quiet. */
    void deliverAll() {
        for (int rounds = 0; rounds < 100; rounds++) {
            List<IkeDatagram> fromWest = westActions.takeSent();
            List<IkeDatagram> fromEast = eastActions.takeSent();
            if (fromWest.isEmpty() && fromEast.isEmpty()) {
                return;
            }
            fromWest.forEach(this::deliverToEast);
            fromEast.forEach(this::deliverToWest);
        }
        throw new IllegalStateException("the engines never went quiet");
    }

    /** Moves the clock forward, firing due timers in order and delivering what they send. */
    void advance(long millis) {
        long until = now + millis;
        while (true) {
            Map.Entry<TimerKey, Long> w = westActions.earliest();
            Map.Entry<TimerKey, Long> e = eastActions.earliest();
            boolean westFirst = w != null && (e == null || w.getValue() <= e.getValue());
            Map.Entry<TimerKey, Long> next = westFirst ? w : e;
            if (next == null || next.getValue() > until) {
                break;
            }
            now = next.getValue();
            if (westFirst) {
                westActions.cancelTimer(next.getKey());
                west.timerFired(next.getKey(), now);
            } else {
                eastActions.cancelTimer(next.getKey());
                east.timerFired(next.getKey(), now);
            }
            deliverAll();
        }
        now = until;
    }

    /** Records what an engine asked for. */
    static final class Recorder implements IkeActions {
        final String name;
        final Deque<IkeDatagram> outbox = new ArrayDeque<>();
        final List<IkeDatagram> sentLog = new ArrayList<>();
        /** For each datagram in sentLog: how many SAs had been installed when it was sent. */
        final List<Integer> installsAtSend = new ArrayList<>();
        /** Retransmission, DPD and keying retry timers. */
        final Map<TimerKey, Long> timers = new HashMap<>();
        /** Lifetime timers (rekey, expiry, the linger of a replaced IKE SA), kept apart so tests of the rest stay short. */
        final Map<TimerKey, Long> lifetimes = new HashMap<>();
        final List<ChildSaInstall> installs = new ArrayList<>();
        final List<ChildSaRemoval> removals = new ArrayList<>();
        /** Inbound SPIs of the SAs installed receiving only that started sending, in order. */
        final List<Integer> activations = new ArrayList<>();
        /** What the data plane was told, in order: "install IN", "install IN receiving", "send IN", "remove IN". */
        final List<String> dataPlane = new ArrayList<>();
        final List<String> states = new ArrayList<>();
        /** IKE SA rekeys reported (one per rekey, also when two collided). */
        int ikeRekeys;
        /** Why the last DOWN happened; null while not DOWN. */
        DownCause downCause;
        TunnelState state;
        String lastError;
        /** Why the last state reported failed; null unless it came with a FailureCause. */
        FailureCause failureCause;
        /** Every failure reported with its cause, as "connection:STATE:CAUSE". */
        final List<String> failures = new ArrayList<>();
        /** Completed exchanges as "EXCHANGE:initiator" (we initiated) or "EXCHANGE:responder". */
        final List<String> exchanges = new ArrayList<>();
        /** Handshake durations reported, as "connection:millis". */
        final List<String> handshakes = new ArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        /**
         * What the data plane holds now: every install not yet removed. Throws when a removal names an SA that was not
         * installed or was removed already, so a test using it also checks that no SA is removed twice.
         */
        List<ChildSaInstall> installed() {
            List<ChildSaInstall> held = new ArrayList<>(installs);
            for (ChildSaRemoval r : removals) {
                ChildSaInstall match = held.stream().filter(c -> c.inboundSpi() == r.inboundSpi()
                        && c.outboundSpi() == r.outboundSpi()).findFirst().orElse(null);
                if (match == null) {
                    throw new AssertionError(name + " removed an SA that was not installed (or twice): " + r);
                }
                held.remove(match);
            }
            return held;
        }

        /**
         * The SA the data plane seals outbound traffic with, as its SPD picks it when every SA has the same selectors:
         * the newest installed one that sends; null if none.
         */
        ChildSaInstall sendingOn() {
            List<ChildSaInstall> sending = installed().stream()
                    .filter(c -> c.outboundActive() || activations.contains(c.inboundSpi())).toList();
            return sending.isEmpty() ? null : sending.get(sending.size() - 1);
        }

        List<IkeDatagram> takeSent() {
            List<IkeDatagram> out = new ArrayList<>(outbox);
            outbox.clear();
            return out;
        }

        Map.Entry<TimerKey, Long> earliest() {
            return java.util.stream.Stream.concat(timers.entrySet().stream(), lifetimes.entrySet().stream())
                    .min(Map.Entry.comparingByValue()).orElse(null);
        }

        @Override
        public void send(IkeDatagram d) {
            outbox.add(d);
            sentLog.add(d);
            installsAtSend.add(installs.size());
        }

        @Override
        public void setTimer(TimerKey key, long atMillis) {
            (lifetime(key) ? lifetimes : timers).put(key, atMillis);
        }

        @Override
        public void cancelTimer(TimerKey key) {
            timers.remove(key);
            lifetimes.remove(key);
        }

        static boolean lifetime(TimerKey key) {
            return switch (key.kind()) {
                case CHILD_REKEY, CHILD_EXPIRE, IKE_REKEY, REKEYED_LINGER -> true;
                default -> false;
            };
        }

        @Override
        public void installChildSa(ChildSaInstall child) {
            installs.add(child);
            dataPlane.add("install " + spi(child.inboundSpi()) + (child.outboundActive() ? "" : " receiving"));
        }

        @Override
        public void removeChildSa(ChildSaRemoval child) {
            removals.add(child);
            dataPlane.add("remove " + spi(child.inboundSpi()));
        }

        /** Throws unless the SA is installed, receiving only and not told to send before. */
        @Override
        public void activateOutbound(String connection, int inboundSpi) {
            boolean receivingOnly = installed().stream().anyMatch(c -> c.connection().equals(connection)
                    && c.inboundSpi() == inboundSpi && !c.outboundActive());
            if (!receivingOnly || activations.contains(inboundSpi)) {
                throw new AssertionError(name + " activated " + spi(inboundSpi) + ", which is not an installed SA"
                        + " receiving only: " + installed() + ", activated before: " + activations);
            }
            activations.add(inboundSpi);
            dataPlane.add("send " + spi(inboundSpi));
        }

        static String spi(int spi) {
            return String.format("%08x", spi);
        }

        @Override
        public void stateChanged(String connection, TunnelState s, String error) {
            stateChanged(connection, s, error, DownCause.OTHER);
        }

        @Override
        public void ikeSaRekeyed(String connection) {
            ikeRekeys++;
        }

        @Override
        public void stateChanged(String connection, TunnelState s, String error, DownCause cause) {
            states.add(connection + ":" + s);
            state = s;
            lastError = error;
            downCause = s == TunnelState.DOWN ? cause : null;
            failureCause = null;
        }

        @Override
        public void stateChanged(String connection, TunnelState s, String error, FailureCause cause) {
            stateChanged(connection, s, error, DownCause.OTHER);
            failureCause = cause;
            failures.add(connection + ":" + s + ":" + cause);
        }

        @Override
        public void exchangeCompleted(String connection, int exchangeType, boolean weInitiated) {
            exchanges.add(io.causeway.ike.v2.message.ExchangeType.name(exchangeType) + ":"
                    + (weInitiated ? "initiator" : "responder"));
        }

        @Override
        public void handshakeCompleted(String connection, long durationMillis) {
            handshakes.add(connection + ":" + durationMillis);
        }
    }
}
