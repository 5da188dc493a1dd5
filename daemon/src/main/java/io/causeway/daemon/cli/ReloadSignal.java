package io.causeway.daemon.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** SIGHUP reloads the configuration, as `causeway reload` does; the outcome goes to the log. */
final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {}

    static void install(Callable<Map<String, Object>> reload) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                log.info("SIGHUP: reloading the configuration");
                try {
                    Map<String, Object> outcome = reload.call();
                    if (!Boolean.TRUE.equals(outcome.get("ok"))) {
                        log.error("reload: {}", outcome.get("error"));
                        for (Object e : (List<?>) outcome.getOrDefault("errors", List.of())) log.error("reload: {}", e);
                    }
                } catch (Exception e) {
                    log.error("reload failed: {}", e.toString());
                }
            });
        } catch (IllegalArgumentException e) {
            // the JVM was started with -Xrs or the signal is taken: `causeway reload` still works
            log.warn("SIGHUP cannot be handled here ({}); use causeway reload", e.getMessage());
        }
    }
}
