package io.causeway.daemon.gateway;

import io.causeway.conf.connection.Connection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Peer host names (right=vpn.example.net) resolved off the control thread: a lookup blocks in the system resolver
 * for as long as a slow or dead DNS server makes it, and the control thread runs IKE for every tunnel. Lookups run
 * on {@value #THREADS} threads of their own (with at most {@value #QUEUE} waiting), one per name at a time; the
 * answer comes back to the control thread, or after {@link #timeout} a failure does while the lookup may go on and
 * still fill the cache. Like charon, which resolves the name on each initiation, every {@link #resolve} asks again
 * (the JDK keeps a positive answer {@code networkaddress.cache.ttl}, 30 s, the system resolver may cache too: the
 * record's own TTL is not visible through getaddrinfo); {@link #known} is the last answer, for what must not wait
 * (trap routes, the local address at start).
 */
final class PeerResolver implements AutoCloseable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the start waits for the first answers: a slow name must not hold up the other tunnels. */
    static final Duration START_WAIT = Duration.ofSeconds(2);
    private static final int THREADS = 2;
    private static final int QUEUE = 64;

    /** The system resolver, or a test's. */
    interface Lookup {
        InetAddress byName(String host) throws UnknownHostException;
    }

    /** An address, or why there is none. */
    record Answer(Optional<InetAddress> address, String error) {
        static Answer of(InetAddress a) {
            return new Answer(Optional.of(a), null);
        }

        static Answer failed(String why) {
            return new Answer(Optional.empty(), why);
        }
    }

    private final ControlLoop control;
    private final Lookup lookup;
    private final Duration timeout;
    private final ThreadPoolExecutor threads;
    /** The last answer per name; written by lookup threads, read anywhere. Keyed by configured names only. */
    private final Map<String, InetAddress> lastAnswers = new ConcurrentHashMap<>();
    /** Per name, who waits for its answer: one callback per connection. Control thread. */
    private final Map<String, Map<String, Consumer<Answer>>> waiting = new HashMap<>();
    /** Names with a lookup running or queued. Control thread. */
    private final Set<String> inFlight = new HashSet<>();

    PeerResolver(ControlLoop control, Lookup lookup, Duration timeout) {
        this.control = control;
        this.lookup = lookup;
        this.timeout = timeout;
        this.threads = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "resolver");
                    t.setDaemon(true);
                    return t;
                });
    }

    static PeerResolver system(ControlLoop control) {
        return new PeerResolver(control, InetAddress::getByName, DEFAULT_TIMEOUT);
    }

    /** The peer's address without waiting: an address literal, or the last answer for its name; empty for %any. */
    Optional<InetAddress> known(Connection c) {
        if (c.right().anyAddress()) return Optional.empty();
        if (c.right().address().isPresent()) return c.right().address();
        return c.right().hostname().map(lastAnswers::get);
    }

    /**
     * Finds the peer's address and hands it to {@code then} on the control thread: at once for an address literal
     * or %any, after a lookup for a name. Control thread. A second request of one connection while its name is
     * being looked up replaces the first's callback.
     */
    void resolve(Connection c, Consumer<Answer> then) {
        Optional<String> name = c.right().hostname();
        if (name.isEmpty()) {
            then.accept(known(c).map(Answer::of).orElseGet(() -> Answer.failed("right=" + c.right().host()
                    + " gives no peer address to send to")));
            return;
        }
        String host = name.get();
        Map<String, Consumer<Answer>> forHost = waiting.computeIfAbsent(host, h -> new LinkedHashMap<>());
        boolean firstOfConnection = forHost.put(c.name(), then) == null;
        if (firstOfConnection) {
            control.schedule(timeout, () -> timedOut(host, c.name()));
        }
        if (inFlight.add(host)) start(host);
    }

    /**
     * Looks every name up in parallel and waits at most {@code wait} for all of them, filling {@link #known}: for
     * the start, before the local addresses are chosen. Not on the control thread.
     */
    void prefetch(List<Connection> connections, Duration wait) {
        List<Future<?>> lookups = new ArrayList<>();
        for (Connection c : connections) {
            c.right().hostname().ifPresent(host -> {
                try {
                    lookups.add(threads.submit(() -> answer(host)));
                } catch (RejectedExecutionException full) {
                    // more names than the queue holds: the rest are looked up when they initiate
                }
            });
        }
        long deadline = System.nanoTime() + wait.toNanos();
        for (Future<?> f : lookups) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception slowOrFailed) {
                // not known at start; initiating asks again
            }
        }
    }

    private void start(String host) {
        try {
            threads.execute(() -> {
                Answer a = answer(host);
                control.execute(() -> finished(host, a));
            });
        } catch (RejectedExecutionException full) {
            finished(host, Answer.failed("cannot resolve " + host + ": too many names being looked up"));
        }
    }

    private Answer answer(String host) {
        try {
            InetAddress a = lookup.byName(host);
            lastAnswers.put(host, a);
            return Answer.of(a);
        } catch (UnknownHostException e) {
            return Answer.failed("cannot resolve " + host + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return Answer.failed("cannot resolve " + host + ": " + e);
        }
    }

    private void finished(String host, Answer a) {
        inFlight.remove(host);
        Map<String, Consumer<Answer>> forHost = waiting.remove(host);
        if (forHost != null) forHost.values().forEach(then -> then.accept(a));
    }

    private void timedOut(String host, String connection) {
        Map<String, Consumer<Answer>> forHost = waiting.get(host);
        if (forHost == null) return;
        Consumer<Answer> then = forHost.remove(connection);
        if (forHost.isEmpty()) waiting.remove(host);
        if (then != null) {
            then.accept(Answer.failed("cannot resolve " + host + ": no answer within " + timeout.toSeconds() + " s"));
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
