package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.packet.Bytes;
import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private final byte[] inner = Packets.udp("10.0.0.1", "10.0.0.2", 72); // 100 bytes

    @Test
    void packetLimitsFireOnceAndTheHardOneStopsSealing() {
        List<LimitKind> events = new ArrayList<>();
        OutboundSa out = Sas.out(Sas.config(EspSuite.parse("aes128gcm16"), CryptoProvider.JCE).packetLimits(3, 5)
                .limitListener((spi, inbound, kind) -> events.add(kind)));
        byte[] buf = new byte[out.headroom() + inner.length + out.maxTailroom()];
        List<Integer> results = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            results.add(out.seal(buf, 0, inner.length, 4));
        }
        assertThat(results.subList(0, 5)).allMatch(r -> r > 0);
        assertThat(results.subList(5, 7)).containsOnly(SealError.HARD_LIMIT);
        assertThat(events).containsExactly(LimitKind.SOFT_PACKETS, LimitKind.HARD_PACKETS);
        assertThat(out.counters().packetsOut()).isEqualTo(5);
    }

    @Test
    void byteLimitsFireOnceInbound() {
        List<String> events = new ArrayList<>();
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128-sha256"), CryptoProvider.BOUNCY_CASTLE).byteLimits(250, 400)
                .limitListener((spi, inbound, kind) -> events.add(inbound + " " + kind));
        OutboundSa out = Sas.out(Sas.config(EspSuite.parse("aes128-sha256"), CryptoProvider.BOUNCY_CASTLE));
        InboundSa in = Sas.in(cfg);
        Opened o = new Opened();
        List<DropReason> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] esp = Wire.seal(out, inner, 4);
            results.add(in.open(esp, 0, esp.length, o));
        }
        assertThat(results).containsExactly(DropReason.NONE, DropReason.NONE, DropReason.NONE, DropReason.NONE,
                DropReason.HARD_LIMIT, DropReason.HARD_LIMIT);
        assertThat(events).containsExactly("true SOFT_BYTES", "true HARD_BYTES");
        assertThat(in.counters().bytesIn()).isEqualTo(400);
    }

    /**
     * Workers sealing at once past every limit: each kind is heard exactly once, from whichever worker crossed it, and
     * the hard limit stops the SA. A packet that passed the stop check before the crossing still goes out, so at most
     * one per other worker follows the hard limit.
     */
    @Test
    void concurrentSealersHearEachLimitOnceAndTheHardOneStopsTheSa() throws Exception {
        List<LimitKind> events = Collections.synchronizedList(new ArrayList<>());
        Set<String> threads = Collections.synchronizedSet(new HashSet<>());
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128gcm16"), CryptoProvider.JCE)
                .packetLimits(1500, 3000).byteLimits(100 * 1000, 100 * 2500)
                .limitListener((spi, inbound, kind) -> {
                    events.add(kind);
                    threads.add(Thread.currentThread().getName());
                });
        OutboundSa out = Sas.out(cfg);
        int workers = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        int[] refused = new int[workers];
        for (int t = 0; t < workers; t++) {
            int me = t;
            Thread w = new Thread(() -> {
                byte[] buf = new byte[out.headroom() + inner.length + out.maxTailroom()];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 2000; i++) {
                    System.arraycopy(inner, 0, buf, out.headroom(), inner.length);
                    if (out.seal(buf, 0, inner.length, 4) == SealError.HARD_LIMIT) {
                        refused[me]++;
                    }
                }
            }, "sealer-" + t);
            w.start();
            running.add(w);
        }
        start.countDown();
        for (Thread w : running) {
            w.join();
        }
        assertThat(events).containsExactlyInAnyOrder(LimitKind.SOFT_BYTES, LimitKind.SOFT_PACKETS,
                LimitKind.HARD_BYTES);
        assertThat(threads).allMatch(name -> name.startsWith("sealer-"));
        assertThat(out.stopped()).isTrue();
        long sent = out.counters().packetsOut();
        assertThat(sent).isBetween(2500L, 2500L + workers - 1);
        assertThat(java.util.Arrays.stream(refused).sum()).isEqualTo(workers * 2000 - sent);
        byte[] buf = new byte[out.headroom() + inner.length + out.maxTailroom()];
        assertThat(out.seal(buf, 0, inner.length, 4)).isEqualTo(SealError.HARD_LIMIT);
    }

    /** Workers sealing at once: unique sequence numbers, exact counters, the soft limit reported exactly once. */
    @Test
    void concurrentSealersShareOneSequenceSpace() throws Exception {
        List<LimitKind> events = Collections.synchronizedList(new ArrayList<>());
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128-sha1"), CryptoProvider.JCE).packetLimits(2500, SaConfig.UNLIMITED)
                .replayWindow(4096).limitListener((spi, inbound, kind) -> events.add(kind));
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        int threads = 4;
        int perThread = 1000;
        List<byte[]> sealed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    sealed.add(Wire.seal(out, inner, 4));
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        Set<Integer> seqs = new HashSet<>();
        for (byte[] p : sealed) {
            seqs.add(Bytes.readInt(p, 4));
        }
        assertThat(seqs).hasSize(threads * perThread);
        assertThat(out.counters().packetsOut()).isEqualTo(threads * perThread);
        assertThat(events).containsExactly(LimitKind.SOFT_PACKETS);

        // and opened concurrently, each packet is delivered exactly once
        List<byte[]> copies = new ArrayList<>();
        for (byte[] p : sealed) {
            copies.add(p.clone());
            copies.add(p.clone());
        }
        List<Thread> openers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int first = t;
            Thread w = new Thread(() -> {
                Opened o = new Opened();
                for (int i = first; i < copies.size(); i += 2) {
                    byte[] p = copies.get(i);
                    in.open(p, 0, p.length, o);
                }
            });
            w.start();
            openers.add(w);
        }
        for (Thread w : openers) {
            w.join();
        }
        assertThat(in.counters().packetsIn()).isEqualTo(threads * perThread);
        assertThat(in.counters().drops(DropReason.REPLAY)).isEqualTo(threads * perThread);
    }
}
