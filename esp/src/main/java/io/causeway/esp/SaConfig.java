package io.causeway.esp;

import io.causeway.esp.policy.TrafficSelector;
import io.causeway.esp.replay.ReplayWindow;
import java.util.List;
import java.util.Objects;

/**
 * Everything an SA needs, immutable. Built on the control thread with {@link #builder}. Selectors are from
 * this gateway's point of view for both directions: local = our side, remote = the peer's side. An empty
 * selector list matches everything.
 */
public final class SaConfig {
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final int spi;
    private final EspSuite suite;
    private final SaKeys keys;
    private final boolean esn;
    private final int replayWindow;
    private final EspMode mode;
    private final long softBytes;
    private final long hardBytes;
    private final long softPackets;
    private final long hardPackets;
    private final List<TrafficSelector> localSelectors;
    private final List<TrafficSelector> remoteSelectors;
    private final CryptoProvider provider;
    private final LimitListener limitListener;
    private final long initialSequence;

    private SaConfig(Builder b) {
        spi = b.spi;
        suite = Objects.requireNonNull(b.suite, "suite");
        keys = Objects.requireNonNull(b.keys, "keys");
        esn = b.esn;
        replayWindow = b.replayWindow;
        mode = b.mode;
        softBytes = b.softBytes;
        hardBytes = b.hardBytes;
        softPackets = b.softPackets;
        hardPackets = b.hardPackets;
        localSelectors = List.copyOf(b.localSelectors);
        remoteSelectors = List.copyOf(b.remoteSelectors);
        provider = b.provider != null ? b.provider : CryptoProvider.defaultFor(suite);
        limitListener = b.limitListener;
        initialSequence = b.initialSequence;
        if (replayWindow < 1 || replayWindow > ReplayWindow.MAX_SIZE) {
            throw new IllegalArgumentException("replay window must be 1.." + ReplayWindow.MAX_SIZE + ", not " + replayWindow);
        }
        if (softBytes <= 0 || hardBytes <= 0 || softPackets <= 0 || hardPackets <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (initialSequence < 0 || (!esn && initialSequence > 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("initial sequence out of range: " + initialSequence);
        }
    }

    public static Builder builder(int spi, EspSuite suite, SaKeys keys) {
        return new Builder(spi, suite, keys);
    }

    public int spi() {
        return spi;
    }

    public EspSuite suite() {
        return suite;
    }

    public SaKeys keys() {
        return keys;
    }

    public boolean esn() {
        return esn;
    }

    public int replayWindow() {
        return replayWindow;
    }

    public EspMode mode() {
        return mode;
    }

    public long softBytes() {
        return softBytes;
    }

    public long hardBytes() {
        return hardBytes;
    }

    public long softPackets() {
        return softPackets;
    }

    public long hardPackets() {
        return hardPackets;
    }

    public List<TrafficSelector> localSelectors() {
        return localSelectors;
    }

    public List<TrafficSelector> remoteSelectors() {
        return remoteSelectors;
    }

    public CryptoProvider provider() {
        return provider;
    }

    public LimitListener limitListener() {
        return limitListener;
    }

    /**
     * Outbound: the sequence number already used (the next packet gets one more). Inbound: the replay
     * window's starting top. 0 for a new SA; other values resume an SA or test sequence-space edges.
     */
    public long initialSequence() {
        return initialSequence;
    }

    @Override
    public String toString() {
        return "SaConfig[spi=" + Integer.toHexString(spi) + ", suite=" + suite.name() + ", keys=" + keys + ", esn=" + esn
                + ", replayWindow=" + replayWindow + ", mode=" + mode + ", provider=" + provider
                + ", local=" + localSelectors + ", remote=" + remoteSelectors + "]";
    }

    public static final class Builder {
        private final int spi;
        private final EspSuite suite;
        private final SaKeys keys;
        private boolean esn;
        private int replayWindow = ReplayWindow.DEFAULT_SIZE;
        private EspMode mode = EspMode.TUNNEL;
        private long softBytes = UNLIMITED;
        private long hardBytes = UNLIMITED;
        private long softPackets = UNLIMITED;
        private long hardPackets = UNLIMITED;
        private List<TrafficSelector> localSelectors = List.of();
        private List<TrafficSelector> remoteSelectors = List.of();
        private CryptoProvider provider;
        private LimitListener limitListener = LimitListener.NONE;
        private long initialSequence;

        private Builder(int spi, EspSuite suite, SaKeys keys) {
            this.spi = spi;
            this.suite = suite;
            this.keys = keys;
        }

        public Builder esn(boolean esn) {
            this.esn = esn;
            return this;
        }

        public Builder replayWindow(int packets) {
            this.replayWindow = packets;
            return this;
        }

        public Builder mode(EspMode mode) {
            this.mode = Objects.requireNonNull(mode);
            return this;
        }

        public Builder byteLimits(long soft, long hard) {
            this.softBytes = soft;
            this.hardBytes = hard;
            return this;
        }

        public Builder packetLimits(long soft, long hard) {
            this.softPackets = soft;
            this.hardPackets = hard;
            return this;
        }

        public Builder selectors(List<TrafficSelector> local, List<TrafficSelector> remote) {
            this.localSelectors = local;
            this.remoteSelectors = remote;
            return this;
        }

        /** Without this, {@link CryptoProvider#defaultFor} the suite. */
        public Builder provider(CryptoProvider provider) {
            this.provider = Objects.requireNonNull(provider);
            return this;
        }

        public Builder limitListener(LimitListener listener) {
            this.limitListener = Objects.requireNonNull(listener);
            return this;
        }

        public Builder initialSequence(long sequence) {
            this.initialSequence = sequence;
            return this;
        }

        public SaConfig build() {
            return new SaConfig(this);
        }
    }
}
