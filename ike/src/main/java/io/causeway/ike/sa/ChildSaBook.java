package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.esp.LimitKind;
import io.causeway.ike.timing.RekeySchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;

/**
 * The CHILD_SAs of one IKE SA and where each one is in its life. Every SA it installs in the data plane it
 * removes at most once, so a rekey, a collision and a DELETE racing each other can neither leak an SA nor
 * remove one twice.
 *
 * <ul>
 *   <li>LIVE: carries traffic; the newest LIVE one is the connection's current CHILD_SA. Older LIVE ones (a
 *       CHILD_SA the peer created next to ours, RFC 7296 1.3.1) stay until deleted or expired.</li>
 *   <li>REPLACED: the peer rekeyed it, or it is the peer's redundant SA of a rekey collision we won; still
 *       installed until the peer's DELETE (1.4.1, 2.8) or its hard lifetime.</li>
 *   <li>DELETING: our DELETE of it is queued or outstanding; its inbound side may stay installed until the
 *       answer. An entry that was never installed (our redundant SA of a lost collision) or already removed
 *       (expired) is tracked here too, so a rekey request for it is answered TEMPORARY_FAILURE (2.25.1).</li>
 * </ul>
 *
 * <p>An SA installed for a peer's rekey receives at once but sends only once the SA it replaces is removed, whatever
 * removes it (the peer's DELETE, expiry, a close): only then is the peer sure to have it (2.8). The book tells the
 * data plane to switch before it removes the old SA.
 */
final class ChildSaBook {
    static final long NEVER = Long.MAX_VALUE;

    enum Stage { LIVE, REPLACED, DELETING }

    /** What a byte, packet or sequence number limit of a CHILD_SA calls for. */
    enum VolumeStep { NONE, REKEY, EXPIRE }

    static final class Entry {
        /** As installed: with the volume limits {@link #armLifetime} gave it. */
        ChildSaInstall sa;
        /** The connection this CHILD_SA serves (null for an SA we only track to delete). */
        final Connection connection;
        private Stage stage = Stage.LIVE;
        private boolean installed;
        private boolean deleteSent;
        /** The data plane sends on this SA's outbound SPI. */
        private boolean outboundActive;
        /** Installed receiving only: the SA whose removal makes this one send; null once sending or never to send. */
        private Entry sendsAfter;
        long rekeyAt = NEVER;
        long expireAt = NEVER;
        /** A byte, packet or sequence number limit already started a rekey of this SA. */
        boolean volumeRekeyStarted;

        private Entry(ChildSaInstall sa, Connection connection) {
            this.sa = sa;
            this.connection = connection;
        }

        Stage stage() {
            return stage;
        }

        boolean outboundActive() {
            return outboundActive;
        }

        boolean live() {
            return stage == Stage.LIVE;
        }

        /**
         * Schedules the rekey (rekey=yes) and expiry of a new SA as strongSwan does: time from lifetime and margintime,
         * volume from lifebytes/lifepackets and their margins, each soft limit lowered by up to rekeyfuzz% of its margin.
         * The volume limits go to the data plane with the SA, which reports their crossing. Nothing without c.
         */
        private void armLifetime(Connection c, long now, LongUnaryOperator random) {
            if (c == null) {
                return;
            }
            Duration lifetime = c.lifetime();
            if (lifetime != null && !lifetime.isZero() && !lifetime.isNegative()) {
                RekeySchedule schedule = RekeySchedule.of(lifetime, c.margin(), c.rekeyFuzzPercent(), random);
                expireAt = now + schedule.expireAfter().toMillis();
                rekeyAt = c.rekey() ? now + schedule.rekeyAfter().toMillis() : NEVER;
            }
            long softBytes = 0;
            long softPackets = 0;
            if (c.rekey()) {
                softBytes = RekeySchedule.softLimit(c.lifeBytes(), c.marginBytes(), c.rekeyFuzzPercent(), random);
                softPackets = RekeySchedule.softLimit(c.lifePackets(), c.marginPackets(), c.rekeyFuzzPercent(), random);
            }
            sa = sa.withLimits(new VolumeLimits(VolumeLimits.limit(softBytes), VolumeLimits.limit(c.lifeBytes()),
                    VolumeLimits.limit(softPackets), VolumeLimits.limit(c.lifePackets())));
        }

        /**
         * What the data plane's report of {@code kind} on one of this SA's two SAs asks for: a rekey (a soft limit with
         * rekey=yes; used-up sequence numbers too, as strongSwan rekeys before they wrap), expiry (a hard limit, or
         * used-up sequence numbers without rekey), or nothing (a rekey already under way, or not LIVE: a replaced SA
         * waits for the peer's DELETE or its time lifetime).
         */
        VolumeStep volumeStep(LimitKind kind, boolean rekey) {
            if (!live()) {
                return VolumeStep.NONE;
            }
            boolean rekeys = !kind.hard() || kind == LimitKind.SEQUENCE_EXHAUSTED;
            if (rekey && rekeys) {
                if (volumeRekeyStarted) {
                    return VolumeStep.NONE;
                }
                volumeRekeyStarted = true;
                return VolumeStep.REKEY;
            }
            return kind.hard() ? VolumeStep.EXPIRE : VolumeStep.NONE;
        }

        @Override
        public String toString() {
            return stage + (installed ? "" : " (not installed)") + (sendsAfter != null ? " (receiving only)" : "")
                    + " " + sa;
        }
    }

    private final IkeActions actions;
    /** In the order they were created: the last LIVE one is the current CHILD_SA. */
    private final List<Entry> entries = new ArrayList<>();

    ChildSaBook(IkeActions actions) {
        this.actions = actions;
    }

    /** Installs a new CHILD_SA without lifetimes in the data plane; it becomes the current one. */
    Entry install(ChildSaInstall sa) {
        return install(sa, null, 0, bound -> 0);
    }

    /**
     * Installs a new CHILD_SA of that connection in the data plane with its lifetimes, sending at once; it becomes
     * the current one. random: rekeyfuzz's random value in [0, bound].
     */
    Entry install(ChildSaInstall sa, Connection connection, long now, LongUnaryOperator random) {
        Entry e = new Entry(sa, connection);
        e.armLifetime(connection, now, random);
        e.installed = true;
        e.outboundActive = true;
        entries.add(e);
        actions.installChildSa(e.sa);
        return e;
    }

    /**
     * Installs the CHILD_SA a peer's rekey of {@code replaced} created; it becomes the current one but receives only.
     * The peer installs it when our answer arrives, so it sends once the SA sending now goes: {@code replaced}, or
     * when that one waits itself (the peer rekeyed it again before deleting the first), the SA it waits for.
     */
    Entry installReceivingFirst(ChildSaInstall sa, Connection connection, Entry replaced, long now,
                                LongUnaryOperator random) {
        Entry sending = replaced.outboundActive ? replaced : replaced.sendsAfter;
        if (sending == null || !sending.installed) {
            // nothing sends for these selectors: waiting would only lose packets
            return install(sa, connection, now, random);
        }
        Entry e = new Entry(sa.receivingFirst(), connection);
        e.armLifetime(connection, now, random);
        e.installed = true;
        e.sendsAfter = sending;
        entries.add(e);
        actions.installChildSa(e.sa);
        return e;
    }

    /** Tracks an SA the peer has but we never install (our redundant SA of a lost collision), to delete it. */
    Entry trackForDelete(ChildSaInstall sa) {
        Entry e = new Entry(sa, null);
        e.stage = Stage.DELETING;
        entries.add(e);
        return e;
    }

    Optional<Entry> current() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).live()) {
                return Optional.of(entries.get(i));
            }
        }
        return Optional.empty();
    }

    List<Entry> live() {
        return entries.stream().filter(Entry::live).toList();
    }

    boolean hasLive() {
        return entries.stream().anyMatch(Entry::live);
    }

    /** Whether connection (by name) has a LIVE CHILD_SA here. */
    boolean hasLive(String connection) {
        return entries.stream().anyMatch(e -> e.live() && e.sa.connection().equals(connection));
    }

    List<Entry> all() {
        return List.copyOf(entries);
    }

    /** The SA whose outbound SPI is this one: the SPI the peer receives on and names in its DELETE (1.4.1). */
    Entry byOutboundSpi(int spi) {
        return entries.stream().filter(e -> e.sa.outboundSpi() == spi).findFirst().orElse(null);
    }

    /** The SA whose inbound SPI is this one: ours, unique among all CHILD_SAs of the engine. */
    Entry byInboundSpi(int spi) {
        return entries.stream().filter(e -> e.sa.inboundSpi() == spi).findFirst().orElse(null);
    }

    /** The SA named by a REKEY_SA notify: its SPI should be our outbound one (1.3.3); our inbound one is accepted too. */
    Entry byEitherSpi(int spi) {
        Entry e = byOutboundSpi(spi);
        return e != null ? e : entries.stream().filter(x -> x.sa.inboundSpi() == spi).findFirst().orElse(null);
    }

    /** The rekey and expiry times of the SA with that inbound SPI, or empty when this book has none such. */
    Optional<ChildSaTimes> times(int inboundSpi) {
        for (Entry e : entries) {
            if (e.sa.inboundSpi() == inboundSpi) {
                return Optional.of(new ChildSaTimes(at(e.rekeyAt), at(e.expireAt)));
            }
        }
        return Optional.empty();
    }

    private static OptionalLong at(long millis) {
        return millis == NEVER ? OptionalLong.empty() : OptionalLong.of(millis);
    }

    boolean contains(Entry e) {
        return entries.contains(e);
    }

    /** Replaced by a rekey the peer carried out (or the peer's redundant SA): kept until the peer deletes it. */
    void replaced(Entry e) {
        e.stage = Stage.REPLACED;
        e.rekeyAt = NEVER;
    }

    /**
     * Queues our DELETE of the SA. keepInbound: a replaced SA keeps receiving packets in flight until the DELETE
     * is answered (make before break); an expired or abandoned one goes from the data plane at once.
     */
    void deleting(Entry e, boolean keepInbound) {
        e.stage = Stage.DELETING;
        e.deleteSent = false;
        e.rekeyAt = NEVER;
        e.expireAt = NEVER;
        if (!keepInbound) {
            uninstall(e);
        }
    }

    /** Our inbound SPIs of the SAs whose DELETE is queued, now marked as sent. */
    int[] takeQueuedDeletes() {
        List<Entry> queued = entries.stream().filter(e -> e.stage == Stage.DELETING && !e.deleteSent).toList();
        queued.forEach(e -> e.deleteSent = true);
        return queued.stream().mapToInt(e -> e.sa.inboundSpi()).toArray();
    }

    boolean hasQueuedDeletes() {
        return entries.stream().anyMatch(e -> e.stage == Stage.DELETING && !e.deleteSent);
    }

    /** The INFORMATIONAL that carried our DELETEs was answered: those SAs are gone on both sides (1.4.1). */
    void deletesAnswered() {
        for (Entry e : List.copyOf(entries)) {
            if (e.stage == Stage.DELETING && e.deleteSent) {
                forget(e);
            }
        }
    }

    /**
     * Removes the SA from the data plane if it is still there; the entry stays tracked. The SAs that waited for it to
     * go start sending first, so their traffic never finds no SA in between.
     */
    void uninstall(Entry e) {
        if (e.installed) {
            handSendingOn(e);
            e.installed = false;
            actions.removeChildSa(new ChildSaRemoval(e.sa.connection(), e.sa.inboundSpi(), e.sa.outboundSpi()));
        }
    }

    /**
     * Only a LIVE SA starts sending: one replaced meanwhile (rekeyed again by the peer, or the peer's SA of a collision
     * we won) leaves that to its successor, and one being deleted is on its way out.
     */
    private void handSendingOn(Entry gone) {
        for (Entry e : entries) {
            if (e.sendsAfter == gone) {
                e.sendsAfter = null;
                if (e.installed && e.live()) {
                    e.outboundActive = true;
                    actions.activateOutbound(e.sa.connection(), e.sa.inboundSpi());
                }
            }
        }
    }

    /** Removes the SA from the data plane (if installed) and forgets it. */
    void forget(Entry e) {
        uninstall(e);
        entries.remove(e);
    }

    void forgetAll() {
        entries.forEach(e -> e.sendsAfter = null); // all of them go: none is to start sending on the way
        for (Entry e : List.copyOf(entries)) {
            forget(e);
        }
    }

    /**
     * Hands the SAs to the IKE SA that replaced this one (2.18), DELETEs not yet sent included; SAs whose DELETE is
     * outstanding here stay until it is answered.
     */
    void moveTo(ChildSaBook successor) {
        for (Entry e : List.copyOf(entries)) {
            if (e.stage != Stage.DELETING || !e.deleteSent) {
                entries.remove(e);
                successor.entries.add(e);
            }
        }
    }

    long nextExpireAt() {
        return entries.stream().filter(e -> e.stage != Stage.DELETING).mapToLong(e -> e.expireAt).min().orElse(NEVER);
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
