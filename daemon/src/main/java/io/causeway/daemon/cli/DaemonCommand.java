package io.causeway.daemon.cli;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.Diagnostic;
import io.causeway.conf.LoadResult;
import io.causeway.daemon.gateway.Gateway;
import io.causeway.daemon.logging.LogLevels;
import io.causeway.daemon.systemd.TunnelSummary;
import io.causeway.daemon.metrics.GatewayMetrics;
import io.causeway.daemon.metrics.MetricsAddress;
import io.causeway.daemon.metrics.MetricsEndpoint;
import io.causeway.daemon.metrics.StatusReadout;
import io.causeway.daemon.metrics.TunnelEvents;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.sa.IkeEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the gateway in the foreground until SIGTERM: IKEv1 and IKEv2 on UDP 500/4500, ESP over a TUN device. */
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        description = "Run the gateway in the foreground (IKEv1 and IKEv2 on UDP 500 and 4500, ESP over a TUN device).")
final class DaemonCommand implements Callable<Integer> {
    @Mixin
    ConfigFiles files;

    @Mixin
    SocketOption socket;

    @Option(names = "--tun", paramLabel = "NAME", defaultValue = "cw0",
            description = "TUN device to create (default: ${DEFAULT-VALUE})")
    String tun;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "serve Prometheus metrics on http://HOST:PORT/metrics, e.g. 127.0.0.1:9813"
                    + " (default: config setup metrics=, else off)")
    String metrics;

    // strongSwan's charon.retransmit_* settings; hidden: tests shorten them to find dead peers in seconds
    @Option(names = "--retransmit-timeout", hidden = true, paramLabel = "DURATION", defaultValue = "4s",
            converter = DurationConverter.class)
    Duration retransmitTimeout;

    @Option(names = "--retransmit-base", hidden = true, defaultValue = "1.8")
    double retransmitBase;

    @Option(names = "--retransmit-tries", hidden = true, defaultValue = "5")
    int retransmitTries;

    // strongSwan's charon.fragment_size and cookie_threshold; hidden: tests shrink them to see RFC 7383 and 2.6 at work
    @Option(names = "--ike-fragment-size", hidden = true, paramLabel = "BYTES",
            defaultValue = "" + IkeEngine.DEFAULT_FRAGMENT_SIZE)
    int ikeFragmentSize;

    @Option(names = "--cookie-threshold", hidden = true, paramLabel = "N",
            defaultValue = "" + IkeEngine.DEFAULT_COOKIE_THRESHOLD)
    int cookieThreshold;

    // strongSwan's charon.init_limit_half_open and block_threshold, and our per-source IKE_SA_INIT rate; 0: off
    @Option(names = "--init-limit-half-open", paramLabel = "N",
            defaultValue = "" + IkeEngine.DEFAULT_INIT_LIMIT_HALF_OPEN,
            description = "half-open IKE SAs from which on new IKE_SA_INIT requests are dropped (default:"
                    + " ${DEFAULT-VALUE}; 0: no limit)")
    int initLimitHalfOpen;

    @Option(names = "--block-threshold", paramLabel = "N", defaultValue = "" + IkeEngine.DEFAULT_BLOCK_THRESHOLD,
            description = "half-open IKE SAs one peer address may have (default: ${DEFAULT-VALUE}; 0: no limit)")
    int blockThreshold;

    @Option(names = "--init-rate-per-source", paramLabel = "N",
            defaultValue = "" + IkeEngine.DEFAULT_INIT_RATE_PER_SOURCE,
            description = "new IKE_SA_INIT requests per second one address may send, bursts of twice that (default:"
                    + " ${DEFAULT-VALUE}; 0: no limit)")
    int initRatePerSource;

    @Override
    public Integer call() throws Exception {
        if (ikeFragmentSize < IkeEngine.MIN_FRAGMENT_SIZE || ikeFragmentSize > 65535 || cookieThreshold < 0
                || initLimitHalfOpen < 0 || blockThreshold < 0 || initRatePerSource < 0) {
            System.err.println("error: --ike-fragment-size must be " + IkeEngine.MIN_FRAGMENT_SIZE
                    + "..65535; --cookie-threshold, --init-limit-half-open, --block-threshold and"
                    + " --init-rate-per-source at least 0 (0: off)");
            return ExitCodes.USAGE;
        }
        LoadResult loaded = ConfigLoader.load(files.config, files.secrets);
        for (Diagnostic w : loaded.warnings()) System.err.println("warning: " + w);
        if (!loaded.ok()) {
            for (Diagnostic e : loaded.errors()) System.err.println("error: " + e);
            return ExitCodes.USAGE;
        }
        // the option wins over the config file's key
        String metricsAt = metrics != null ? metrics : loaded.config().setup().metrics().orElse(null);
        MetricsAddress metricsAddress;
        try {
            metricsAddress = metricsAt == null ? null : MetricsAddress.parse(metricsAt);
        } catch (IllegalArgumentException e) {
            System.err.println("error: --metrics: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Gateway.Settings defaults = Gateway.Settings.defaults();
        PrometheusRegistry registry = new PrometheusRegistry();
        Gateway[] started = new Gateway[1];
        TunnelEvents events = metricsAddress == null ? TunnelEvents.NONE : new GatewayMetrics(registry,
                new StatusReadout(() -> started[0].status(null), () -> started[0].dataPathDrops()));
        Gateway gateway;
        MetricsEndpoint endpoint = null;
        try {
            RetransmitSchedule retransmit = new RetransmitSchedule(retransmitTimeout, retransmitBase, retransmitTries);
            gateway = Gateway.start(loaded.config(),
                    new Gateway.Settings(tun, defaults.workers(), defaults.ikePort(), defaults.natTraversalPort(),
                            retransmit, cookieThreshold, ikeFragmentSize,
                            new Gateway.FloodLimits(initLimitHalfOpen, blockThreshold, initRatePerSource)), events);
            started[0] = gateway;
        } catch (Exception e) {
            System.err.println("causeway: cannot start: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try {
            if (metricsAddress != null) endpoint = MetricsEndpoint.start(metricsAddress, registry);
        } catch (Exception e) {
            System.err.println("causeway: cannot serve metrics on " + metricsAddress + ": " + e.getMessage());
            gateway.close();
            return ExitCodes.FAILED;
        }
        MetricsEndpoint metricsEndpoint = endpoint;
        AutoCloseable service = () -> {
            if (metricsEndpoint != null) metricsEndpoint.close();
            gateway.close();
        };
        ReloadSignal.install(() -> gateway.reload(ConfigLoader.load(files.config, files.secrets)));
        return Foreground.run(socket.path, request -> answer(gateway, request), service, () -> statusLine(gateway));
    }

    /** systemd's status line for the service, e.g. "3 tunnels, 2 connected". */
    private static String statusLine(Gateway gateway) {
        try {
            return TunnelSummary.ofStatus(gateway.status(null));
        } catch (Exception e) {
            throw new IllegalStateException("status: " + e.getMessage(), e);
        }
    }

    /** Connection names the gateway knows; asked on its control thread. */
    private static Predicate<String> known(Gateway gateway) {
        return name -> {
            try {
                return gateway.hasConnection(name);
            } catch (Exception e) {
                throw new IllegalStateException("cannot look up connection " + name + ": " + e.getMessage(), e);
            }
        };
    }

    private Map<String, Object> answer(Gateway gateway, Map<String, Object> request) {
        Object cmd = request.get("cmd");
        Object name = request.get("name");
        if (name != null && !(name instanceof String)) return Map.of("ok", false, "error", "name must be a string");
        boolean named = name != null;
        try {
            return switch (String.valueOf(cmd)) {
                case "status" -> gateway.status((String) name);
                case "up" -> named ? gateway.up((String) name) : Map.of("ok", false, "error", "up needs a name");
                case "down" -> named ? gateway.down((String) name) : Map.of("ok", false, "error", "down needs a name");
                case "log-level" -> LogLevels.ofThisProcess().handle(request, known(gateway));
                case "reload" -> gateway.reload(ConfigLoader.load(files.config, files.secrets));
                default -> Map.of("ok", false, "error", "unknown command " + cmd);
            };
        } catch (Exception e) {
            return Map.of("ok", false, "error", cmd + " failed: " + e.getMessage());
        }
    }
}
