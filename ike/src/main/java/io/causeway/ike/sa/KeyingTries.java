package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's initiated attempts and what follows when one ends (strongSwan's keyingtries). An attempt that fails
 * (no answer, an error notify, a failed CHILD_SA) is retried at once with a fresh SPI until {@code keyingTries()}
 * attempts failed; then the connection reports PHASE1_FAILED or PHASE2_FAILED with the last error and a new round
 * starts after the keying retry interval (12 s by default). With keyingtries=%forever (0) every failed attempt is
 * reported and the next one waits for the retry interval, so a peer that refuses at once is not hammered. An SA
 * that ends wanting a restart (dpdaction or closeaction=restart) starts a new round at once.
 */
final class KeyingTries {
    private final EngineContext ctx;
    /** The engine's sessions by our SPI: new attempts are registered here under a fresh SPI. */
    private final Map<Long, IkeSession> sessions;
    /** The round of keying tries each initiated session belongs to. */
    private final Map<IkeSession, Keying> attempts = new IdentityHashMap<>();
    /** Rounds waiting for the retry interval, by their KEYING_RETRY timer. */
    private final Map<TimerKey, Keying> retries = new LinkedHashMap<>();
    private Duration retryInterval = IkeEngine.DEFAULT_KEYING_RETRY_INTERVAL;

    /** One round of keying tries of a connection between the addresses the daemon resolved. */
    private static final class Keying {
        final Connection connection;
        final InetSocketAddress local;
        final InetSocketAddress remote;
        /** Connections of the same IKE group that each attempt carries as further CHILD_SAs (1.3.1). */
        List<Connection> riders = List.of();
        int attempt = 1;

        Keying(Connection connection, InetSocketAddress local, InetSocketAddress remote) {
            this.connection = connection;
            this.local = local;
            this.remote = remote;
        }

        Keying(Connection connection, InetSocketAddress local, InetSocketAddress remote, List<Connection> riders) {
            this(connection, local, remote);
            this.riders = List.copyOf(riders);
        }

        /** Whether a failure of the current attempt ends the round (keyingtries=%forever: every attempt does). */
        boolean lastAttempt() {
            return connection.keyingTries() <= 0 || attempt >= connection.keyingTries();
        }
    }

    KeyingTries(EngineContext ctx, Map<Long, IkeSession> sessions) {
        this.ctx = ctx;
        this.sessions = sessions;
    }

    void retryInterval(Duration interval) {
        this.retryInterval = interval;
    }

    /** The first attempt of a new round. */
    IkeSession start(Connection c, InetSocketAddress local, InetSocketAddress remote, long now) {
        return startAttempt(new Keying(c, local, remote), now);
    }

    private IkeSession startAttempt(Keying k, long now) {
        long spi;
        do {
            spi = ByteBuffer.wrap(ctx.random().nextBytes(8)).getLong();
        } while (spi == 0 || sessions.containsKey(spi));
        IkeSession session = IkeSession.initiator(ctx, k.connection, spi, k.local, k.remote);
        session.reportFailure(k.lastAttempt());
        sessions.put(spi, session);
        attempts.put(session, k);
        session.startInitiator(now);
        for (Connection rider : k.riders) {
            session.sharing.want(rider, now);
        }
        return session;
    }

    /** A KEYING_RETRY timer: the round waiting for it starts again; false if none waited for this timer. */
    boolean retryFired(TimerKey key, long now) {
        Keying k = retries.remove(key);
        if (k == null) {
            return false;
        }
        try {
            startAttempt(new Keying(k.connection, k.local, k.remote, k.riders), now);
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
        return true;
    }

    /** The connections with a round waiting for its retry interval. */
    List<String> waiting() {
        return retries.values().stream().map(k -> k.connection.name()).distinct().toList();
    }

    /** Cancels the pending keying retry round of a connection; true if there was one. */
    boolean cancel(String connectionName) {
        boolean any = false;
        var it = retries.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().connection.name().equals(connectionName)) {
                ctx.actions().cancelTimer(e.getKey());
                it.remove();
                any = true;
            }
        }
        return any;
    }

    /**
     * A session the engine forgets: dpdaction/closeaction=restart initiates again, a failed initiated attempt is
     * retried or, at the end of its round, a new round is scheduled.
     */
    void ended(IkeSession s, long now) {
        Keying k = attempts.remove(s);
        List<Connection> riders = s.sharing.takeRiders();
        InetSocketAddress local = new InetSocketAddress(s.localAddress().getAddress(), 500);
        InetSocketAddress remote = new InetSocketAddress(s.remoteAddress().getAddress(), 500);
        try {
            if (s.restartWanted()) {
                Keying restart = new Keying(s.connection(), local, remote, riders);
                cancel(s.connection().name());
                startAttempt(restart, now);
            } else if (k != null && s.attemptFailed()) {
                k.riders = riders;
                if (!k.lastAttempt()) {
                    k.attempt++;
                    startAttempt(k, now);
                } else {
                    TimerKey key = new TimerKey(s.localSpi(), TimerKey.Kind.KEYING_RETRY);
                    cancel(k.connection.name());
                    retries.put(key, k);
                    ctx.actions().setTimer(key, now + retryInterval.toMillis());
                }
            } else if (!riders.isEmpty() && !s.closedLocally) {
                // only connections that shared the IKE SA want it back: the first negotiates, the rest ride along
                cancel(riders.get(0).name());
                startAttempt(new Keying(riders.get(0), local, remote, riders.subList(1, riders.size())), now);
            }
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
    }
}
