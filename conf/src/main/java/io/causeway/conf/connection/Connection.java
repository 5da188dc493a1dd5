package io.causeway.conf.connection;

import io.causeway.conf.SourceLocation;
import io.causeway.conf.proposal.Proposal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A conn section with also= and %default resolved and strongSwan's defaults filled in. Left is the
 * local side; swapped() gives the view from the other gateway.
 */
public final class Connection {
    final String name;
    final SourceLocation location;
    final Map<String, SourceLocation> origins;
    final Endpoint left;
    final Endpoint right;
    final int ikeVersion;
    final boolean acceptsAnyIkeVersion;
    final boolean aggressive;
    final List<Proposal> ike;
    final List<Proposal> esp;
    final Duration ikeLifetime;
    final Duration lifetime;
    final Duration margin;
    final int rekeyFuzzPercent;
    final long lifeBytes;
    final long lifePackets;
    final long marginBytes;
    final long marginPackets;
    final boolean rekey;
    final boolean reauth;
    final int keyingTries;
    final DpdAction dpdAction;
    final Duration dpdDelay;
    final Duration dpdTimeout;
    final AutoAction auto;
    final ConnType type;
    final boolean forceEncaps;
    final Fragmentation fragmentation;
    final boolean mobike;
    final CloseAction closeAction;
    final int replayWindow;
    final boolean pskConfigured;

    Connection(ConnectionBuilder b, Endpoint left, Endpoint right) {
        this.name = b.name;
        this.location = b.location;
        this.origins = Map.copyOf(b.origins);
        this.left = left;
        this.right = right;
        this.ikeVersion = b.ikeVersion;
        this.acceptsAnyIkeVersion = b.acceptsAnyIkeVersion;
        this.aggressive = b.aggressive;
        this.ike = List.copyOf(b.ike);
        this.esp = List.copyOf(b.esp);
        this.ikeLifetime = b.ikeLifetime;
        this.lifetime = b.lifetime;
        this.margin = b.margin;
        this.rekeyFuzzPercent = b.rekeyFuzzPercent;
        this.lifeBytes = b.lifeBytes;
        this.lifePackets = b.lifePackets;
        this.marginBytes = b.marginBytes;
        this.marginPackets = b.marginPackets;
        this.rekey = b.rekey;
        this.reauth = b.reauth;
        this.keyingTries = b.keyingTries;
        this.dpdAction = b.dpdAction;
        this.dpdDelay = b.dpdDelay;
        this.dpdTimeout = b.dpdTimeout;
        this.auto = b.auto;
        this.type = b.type;
        this.forceEncaps = b.forceEncaps;
        this.fragmentation = b.fragmentation;
        this.mobike = b.mobike;
        this.closeAction = b.closeAction;
        this.replayWindow = b.replayWindow;
        this.pskConfigured = b.pskConfigured;
    }

    private Connection(Connection c, Endpoint left, Endpoint right) {
        this.name = c.name;
        this.location = c.location;
        this.origins = c.origins;
        this.left = left;
        this.right = right;
        this.ikeVersion = c.ikeVersion;
        this.acceptsAnyIkeVersion = c.acceptsAnyIkeVersion;
        this.aggressive = c.aggressive;
        this.ike = c.ike;
        this.esp = c.esp;
        this.ikeLifetime = c.ikeLifetime;
        this.lifetime = c.lifetime;
        this.margin = c.margin;
        this.rekeyFuzzPercent = c.rekeyFuzzPercent;
        this.lifeBytes = c.lifeBytes;
        this.lifePackets = c.lifePackets;
        this.marginBytes = c.marginBytes;
        this.marginPackets = c.marginPackets;
        this.rekey = c.rekey;
        this.reauth = c.reauth;
        this.keyingTries = c.keyingTries;
        this.dpdAction = c.dpdAction;
        this.dpdDelay = c.dpdDelay;
        this.dpdTimeout = c.dpdTimeout;
        this.auto = c.auto;
        this.type = c.type;
        this.forceEncaps = c.forceEncaps;
        this.fragmentation = c.fragmentation;
        this.mobike = c.mobike;
        this.closeAction = c.closeAction;
        this.replayWindow = c.replayWindow;
        this.pskConfigured = c.pskConfigured;
    }

    /** The same connection seen from the right-hand gateway (strongSwan picks the local side at run time). */
    public Connection swapped() {
        return new Connection(this, right, left);
    }

    public String name() { return name; }
    /** The conn header line. */
    public SourceLocation location() { return location; }
    /** Where a key of this connection was set (possibly in %default or an also= section); the conn header if not set. */
    public SourceLocation origin(String key) { return origins.getOrDefault(key, location); }
    /** Whether the key was set (not reset) anywhere this connection inherits from. */
    public boolean isSet(String key) { return origins.containsKey(key); }
    public Endpoint left() { return left; }
    public Endpoint right() { return right; }
    /** 1 or 2: the version used when initiating. */
    public int ikeVersion() { return ikeVersion; }
    /** keyexchange=ike: initiate with IKEv2 but accept IKEv1 too as responder. */
    public boolean acceptsAnyIkeVersion() { return acceptsAnyIkeVersion; }
    public boolean aggressive() { return aggressive; }
    public List<Proposal> ike() { return ike; }
    public List<Proposal> esp() { return esp; }
    public Duration ikeLifetime() { return ikeLifetime; }
    public Duration lifetime() { return lifetime; }
    /** margintime/rekeymargin: how long before expiry rekeying starts. */
    public Duration margin() { return margin; }
    public int rekeyFuzzPercent() { return rekeyFuzzPercent; }
    /** 0 = no byte limit. */
    public long lifeBytes() { return lifeBytes; }
    /** 0 = no packet limit. */
    public long lifePackets() { return lifePackets; }
    public long marginBytes() { return marginBytes; }
    public long marginPackets() { return marginPackets; }
    public boolean rekey() { return rekey; }
    public boolean reauth() { return reauth; }
    /** 0 = %forever. */
    public int keyingTries() { return keyingTries; }
    public DpdAction dpdAction() { return dpdAction; }
    public Duration dpdDelay() { return dpdDelay; }
    public Duration dpdTimeout() { return dpdTimeout; }
    public AutoAction auto() { return auto; }
    /** auto=ignore: parsed and validated, but not loaded. */
    public boolean ignored() { return auto == AutoAction.IGNORE; }
    public ConnType type() { return type; }
    public boolean forceEncaps() { return forceEncaps; }
    public Fragmentation fragmentation() { return fragmentation; }
    public boolean mobike() { return mobike; }
    public CloseAction closeAction() { return closeAction; }
    public int replayWindow() { return replayWindow; }
    /** authby/leftauth/rightauth asked for a pre-shared key (the only method implemented). */
    public boolean pskConfigured() { return pskConfigured; }

    /** One line for check-config; holds no secret. */
    public String summary() {
        return name + ": IKEv" + ikeVersion + (aggressive ? " aggressive" : "") + ", peer " + right.host()
                + ", " + left.subnetsText() + " === " + right.subnetsText()
                + ", ike=" + Proposal.format(ike) + ", esp=" + Proposal.format(esp)
                + ", auto=" + auto.keyword() + (ignored() ? " (ignored)" : "");
    }

    @Override
    public String toString() {
        return summary();
    }
}
