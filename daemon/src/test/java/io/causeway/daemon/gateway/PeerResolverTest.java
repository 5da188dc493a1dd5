package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.conf.connection.Connection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peer names are looked up off the control thread, once per name at a time, with a timeout. */
class PeerResolverTest {
    @TempDir
    Path dir;

    private final ControlLoop control = new ControlLoop();
    /** Held until the test lets the lookup answer, as a slow DNS server would. */
    private final CountDownLatch dnsAnswers = new CountDownLatch(1);
    private final AtomicInteger lookups = new AtomicInteger();
    private final PeerResolver.Lookup slowDns = host -> {
        lookups.incrementAndGet();
        try {
            dnsAnswers.await();
        } catch (InterruptedException e) {
            throw new UnknownHostException(host + ": interrupted");
        }
        if (host.startsWith("missing")) throw new UnknownHostException(host);
        return InetAddress.getByAddress(host, new byte[] {(byte) 192, 0, 2, 77});
    };
    private final LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        dnsAnswers.countDown();
        control.close();
    }

    private List<Connection> load(String... rights) throws Exception {
        StringBuilder conf = new StringBuilder();
        StringBuilder secrets = new StringBuilder();
        int i = 0;
        for (String right : rights) {
            String name = "c" + i++;
            conf.append("conn ").append(name).append("\n    keyexchange=ikev2\n    authby=psk\n    left=192.0.2.1")
                    .append("\n    leftid=").append(name).append(".local\n    right=").append(right)
                    .append("\n    rightid=").append(name).append(".remote\n    auto=add\n");
            secrets.append(name).append(".local ").append(name).append(".remote : PSK \"not-a-real-key-").append(name)
                    .append("\"\n");
        }
        LoadResult loaded = ConfigLoader.load(Files.writeString(dir.resolve("ipsec.conf"), conf),
                Files.writeString(dir.resolve("ipsec.secrets"), secrets));
        assertThat(loaded.ok()).as("%s", loaded.errors()).isTrue();
        return loaded.config().connections();
    }

    private void resolveOnControl(PeerResolver resolver, Connection c) throws Exception {
        control.call(() -> {
            resolver.resolve(c, answer -> answers.add(Thread.currentThread().getName() + " " + answer));
            return null;
        });
    }

    @Test
    void aSlowNameLeavesTheControlThreadFreeAndAnswersOnIt() throws Exception {
        Connection c = load("vpn.example.net").get(0);
        PeerResolver resolver = new PeerResolver(control, slowDns, Duration.ofSeconds(30));
        resolveOnControl(resolver, c);
        // the lookup is stuck in "DNS", yet the control thread runs other work at once
        assertThat(control.call(() -> "free")).isEqualTo("free");
        assertThat(answers).isEmpty();
        assertThat(resolver.known(c)).isEmpty();

        dnsAnswers.countDown();
        Object answer = answers.poll(10, TimeUnit.SECONDS);
        assertThat(answer).asString().startsWith("control ").contains("192.0.2.77");
        assertThat(resolver.known(c)).map(InetAddress::getHostAddress).hasValue("192.0.2.77");
        resolver.close();
    }

    @Test
    void noAnswerWithinTheTimeoutFailsTheWaiterAndALateAnswerStillFillsTheCache() throws Exception {
        Connection c = load("slow.example.net").get(0);
        PeerResolver resolver = new PeerResolver(control, slowDns, Duration.ofMillis(200));
        resolveOnControl(resolver, c);
        Object answer = answers.poll(10, TimeUnit.SECONDS);
        assertThat(answer).asString().contains("no answer within");

        dnsAnswers.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (resolver.known(c).isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(resolver.known(c)).isPresent();
        assertThat(answers).as("the late answer is not delivered a second time").isEmpty();
        resolver.close();
    }

    @Test
    void connectionsOfOneNameShareOneLookup() throws Exception {
        List<Connection> conns = load("shared.example.net", "shared.example.net");
        PeerResolver resolver = new PeerResolver(control, slowDns, Duration.ofSeconds(30));
        resolveOnControl(resolver, conns.get(0));
        resolveOnControl(resolver, conns.get(1));
        resolveOnControl(resolver, conns.get(0)); // asked again while waiting: replaces its callback
        dnsAnswers.countDown();
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(answers.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(lookups).hasValue(1);
        resolver.close();
    }

    @Test
    void anUnknownNameFailsWithItsReason() throws Exception {
        Connection c = load("missing.example.net").get(0);
        PeerResolver resolver = new PeerResolver(control, slowDns, Duration.ofSeconds(30));
        dnsAnswers.countDown();
        resolveOnControl(resolver, c);
        assertThat(answers.poll(10, TimeUnit.SECONDS)).asString().contains("cannot resolve missing.example.net");
        resolver.close();
    }

    @Test
    void anAddressNeedsNoLookup() throws Exception {
        Connection c = load("192.0.2.9").get(0);
        PeerResolver resolver = new PeerResolver(control, slowDns, Duration.ofSeconds(30));
        resolveOnControl(resolver, c);
        assertThat(answers.poll(1, TimeUnit.SECONDS)).asString().contains("192.0.2.9");
        assertThat(lookups).hasValue(0);
        resolver.close();
    }

    @Test
    void prefetchWaitsNoLongerThanItIsTold() throws Exception {
        List<Connection> conns = load("a.example.net", "b.example.net");
        PeerResolver resolver = new PeerResolver(control, slowDns, Duration.ofSeconds(30));
        long start = System.nanoTime();
        resolver.prefetch(conns, Duration.ofMillis(300));
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        assertThat(resolver.known(conns.get(0))).isEmpty();
        resolver.close();
    }
}
