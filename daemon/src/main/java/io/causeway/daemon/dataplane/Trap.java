package io.causeway.daemon.dataplane;

import io.causeway.esp.policy.TrafficSelector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A trap policy (strongSwan's auto=route): outbound packets that match a connection's selectors
 * but find no SA start the connection. The first such packet fires {@code onFirstPacket} exactly
 * once; it and the next few are kept (at most {@link #QUEUE_LIMIT}) until the control side either
 * sends them through the new CHILD_SA or drops them because negotiation failed. Only the no-SA
 * miss path of the TUN workers touches a trap, so the lock costs the hit path nothing.
 */
public final class Trap {
    /**
     * Packets kept per connection while it is negotiated. Enough for the opening packets of a few
     * flows (a ping, a TCP SYN and its retry, a DNS query), small enough that a burst towards an
     * unreachable peer costs at most 8 × 64 KiB of memory.
     */
    public static final int QUEUE_LIMIT = 8;

    /** A kept packet: the inner packet sits at {@link PacketBuffers#HEADROOM}, with tailroom behind it for sealing. */
    record Held(byte[] buf, int len) {}

    private final String name;
    private final List<TrafficSelector> local;
    private final List<TrafficSelector> remote;
    private final Runnable onFirstPacket;
    private final ArrayDeque<Held> held = new ArrayDeque<>(QUEUE_LIMIT);
    private boolean armed = true;
    private long triggers;
    private long queueFull;
    private long negotiationFailed;
    private long noSa;

    Trap(String name, List<TrafficSelector> local, List<TrafficSelector> remote, Runnable onFirstPacket) {
        this.name = name;
        this.local = List.copyOf(local);
        this.remote = List.copyOf(remote);
        this.onFirstPacket = onFirstPacket;
    }

    public String name() {
        return name;
    }

    List<TrafficSelector> local() {
        return local;
    }

    List<TrafficSelector> remote() {
        return remote;
    }

    /**
     * A packet that matched this trap and no SA (any worker thread): kept if there is room, and the
     * trigger fires if the trap was armed. The trigger runs outside the lock and must only hand off.
     */
    void offer(byte[] pkt, int off, int len) {
        boolean fire;
        synchronized (this) {
            if (held.size() < QUEUE_LIMIT) {
                byte[] copy = new byte[PacketBuffers.HEADROOM + len + OutboundSealer.TAILROOM];
                System.arraycopy(pkt, off, copy, PacketBuffers.HEADROOM, len);
                held.add(new Held(copy, len));
            } else {
                queueFull++;
            }
            fire = armed;
            armed = false;
            if (fire) triggers++;
        }
        if (fire) onFirstPacket.run();
    }

    /** Takes the kept packets to send them through the new SA, and arms the trap again. */
    synchronized List<Held> release() {
        List<Held> out = new ArrayList<>(held);
        held.clear();
        armed = true;
        return out;
    }

    /**
     * Negotiation failed or the tunnel went down: the kept packets are dropped and counted. With
     * {@code rearm} the next packet triggers again; without, packets are kept (up to the limit) but
     * trigger nothing until {@link #rearm}.
     */
    public synchronized void dropHeld(boolean rearm) {
        negotiationFailed += held.size();
        held.clear();
        if (rearm) armed = true;
    }

    /**
     * Arms the trap again unless packets are already waiting: then it stays disarmed and the
     * caller gets true, to act on them as if the trigger had just fired (so it fires once, not twice).
     */
    public synchronized boolean rearm() {
        if (!held.isEmpty()) return true;
        armed = true;
        return false;
    }

    synchronized void countNoSa() {
        noSa++;
    }

    public synchronized boolean armed() {
        return armed;
    }

    public synchronized int held() {
        return held.size();
    }

    /** How many times the first packet started a negotiation. */
    public synchronized long triggers() {
        return triggers;
    }

    /** Packets dropped because {@link #QUEUE_LIMIT} packets were already waiting. */
    public synchronized long droppedQueueFull() {
        return queueFull;
    }

    /** Kept packets dropped because the negotiation failed or the tunnel went down first. */
    public synchronized long droppedNegotiationFailed() {
        return negotiationFailed;
    }

    /** Kept packets that the negotiated CHILD_SA's (narrower) selectors did not cover. */
    public synchronized long droppedNoSa() {
        return noSa;
    }
}
