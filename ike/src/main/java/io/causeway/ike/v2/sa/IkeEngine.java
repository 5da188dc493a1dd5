package io.causeway.ike.v2.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.Endpoint;
import io.causeway.conf.secrets.Secrets;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All IKEv2 SAs of one gateway: owns sessions by our SPI, starts initiators, creates a responder for each
 * new IKE_SA_INIT request and routes datagrams and timers. Runs on the one control thread; never throws
 * for network input.
 */
public final class IkeEngine {
    private final List<Connection> connections;
    private final EngineContext ctx;
    private final Map<Long, IkeSession> sessions = new HashMap<>();
    /** Responders by peer address and initiator SPI, so a retransmitted IKE_SA_INIT finds its session (RFC 7296 2.1). */
    private final Map<String, IkeSession> halfOpen = new HashMap<>();

    public IkeEngine(List<Connection> connections, Secrets secrets, RandomSource random, IkeActions actions) {
        this(connections, secrets, random, actions, RetransmitSchedule.STRONGSWAN);
    }

    public IkeEngine(List<Connection> connections, Secrets secrets, RandomSource random, IkeActions actions,
                     RetransmitSchedule schedule) {
        this.connections = connections.stream().filter(c -> !c.ignored() && (c.ikeVersion() == 2 || c.acceptsAnyIkeVersion()))
                .toList();
        this.ctx = new EngineContext(secrets, random, actions, schedule, new EngineContext.DropCounter());
    }

    /** Starts IKE_SA_INIT for a connection between addresses the daemon resolved (port 500 on both sides). */
    public IkeSession initiate(String connectionName, InetSocketAddress local, InetSocketAddress remote, long now) {
        Connection c = connections.stream().filter(x -> x.name().equals(connectionName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no IKEv2 connection named " + connectionName));
        long spi;
        do {
            spi = ByteBuffer.wrap(ctx.random().nextBytes(8)).getLong();
        } while (spi == 0 || sessions.containsKey(spi));
        IkeSession session = IkeSession.initiator(ctx, c, spi, local, remote);
        sessions.put(spi, session);
        session.startInitiator(now);
        forgetClosed();
        return session;
    }

    /** One received IKE datagram (non-ESP marker already stripped). */
    public void receive(IkeDatagram d, long now) {
        IkeMessage m;
        try {
            m = IkeMessage.decode(d.bytes());
        } catch (InvalidMessageException | RuntimeException e) {
            ctx.drops().drop();
            return;
        }
        try {
            route(m, d, now);
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
        forgetClosed();
    }

    private void route(IkeMessage m, IkeDatagram d, long now) {
        var h = m.header();
        if (!h.initiator()) {
            // sent by the responder of an SA we initiated: our SPI is the initiator's
            IkeSession s = sessions.get(h.initiatorSpi());
            if (s == null || !s.isInitiator()) {
                ctx.drops().drop();
            } else {
                s.receive(m, d, now);
            }
            return;
        }
        if (h.responderSpi() != 0) {
            IkeSession s = sessions.get(h.responderSpi());
            if (s == null || s.isInitiator() || s.initiatorSpi() != h.initiatorSpi()) {
                ctx.drops().drop();
            } else {
                s.receive(m, d, now);
            }
            return;
        }
        if (h.exchangeType() != ExchangeType.IKE_SA_INIT || h.response() || h.messageId() != 0) {
            ctx.drops().drop();
            return;
        }
        String key = d.remote() + "/" + Long.toHexString(h.initiatorSpi());
        IkeSession known = halfOpen.get(key);
        if (known != null) {
            known.receive(m, d, now);
            return;
        }
        List<Connection> candidates = candidatesFor(d.local().getAddress(), d.remote().getAddress());
        if (candidates.isEmpty()) {
            ctx.drops().drop();
            return;
        }
        IkeSession s = IkeSession.responder(ctx, candidates, h.initiatorSpi(), d.local(), d.remote());
        s.receive(m, d, now);
        if (!s.closed() && s.responderSpi() != 0) {
            sessions.put(s.responderSpi(), s);
            halfOpen.put(key, s);
        }
    }

    /** Connections whose left matches our address and whose right matches the peer's, %any accepting any. */
    List<Connection> candidatesFor(InetAddress local, InetAddress remote) {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections) {
            if (matches(c.left(), local) && matches(c.right(), remote)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean matches(Endpoint e, InetAddress address) {
        return e.anyAddress() || e.defaultRoute() || e.hostname().isPresent()
                || e.address().map(address::equals).orElse(false);
    }

    public void timerFired(TimerKey key, long now) {
        IkeSession s = sessions.get(key.localSpi());
        if (s != null) {
            try {
                s.timerFired(key, now);
            } catch (RuntimeException e) {
                ctx.drops().drop();
            }
        }
        forgetClosed();
    }

    public Optional<IkeSession> session(long localSpi) {
        return Optional.ofNullable(sessions.get(localSpi));
    }

    public Collection<IkeSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Datagrams dropped: undecodable, for no known SA, unexpected, or failing the integrity check. */
    public long droppedMessages() {
        return ctx.drops().count();
    }

    private void forgetClosed() {
        sessions.values().removeIf(IkeSession::closed);
        halfOpen.values().removeIf(IkeSession::closed);
    }
}
