package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.TrafficSelector;
import io.causeway.lab.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decrypt workers' pipeline with an in-memory sink: packets come out in the order the reader committed them
 * whatever the workers' timing, a full ring stops the reader, close ends the workers after the last slot, and a
 * failure on one packet costs that packet only.
 */
class InboundPipelineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int SPI = 0x7001;
    private static final EspSuite SUITE = EspSuite.parse("aes128gcm16");
    private static final TrafficSelector WEST = TrafficSelector.parse("10.1.0.0/16");
    private static final TrafficSelector EAST = TrafficSelector.parse("10.2.0.0/16");

    private final DataPathCounters counters = new DataPathCounters();
    private final SaTable sas = new SaTable();
    private final OutboundSa west = new OutboundSa(config());
    private InboundPipeline pipeline;

    @AfterEach
    void close() {
        if (pipeline != null) pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void packetsLeaveInTheOrderTheReaderCommittedThem(int workers) {
        install();
        RecordingSink sink = new RecordingSink();
        pipeline = InboundPipeline.start(workers, sas, new TransportSas(), sink, counters, "test");
        int sent = 0;
        int batches = 0;
        for (int batch = 0; batch < 60; batch++) {
            int size = 1 + (batch * 37) % 64; // from one datagram to a full slot
            for (int i = 0; i < size; i++) commit(seal(sent++));
            pipeline.endBatch();
            batches++;
        }

        assertThat(drained()).isTrue();
        assertThat(sink.indexes()).hasSize(sent);
        for (int i = 0; i < sent; i++) assertThat(sink.indexes().get(i)).as("packet %d", i).isEqualTo(i);
        assertThat(sink.flushes).as("one flush per slot").isEqualTo(batches);
        assertThat(counters.snapshot().values()).allMatch(v -> (Long) v == 0L);
    }

    @Test
    void aFullRingMakesTheReaderWaitAndNothingGrows() throws Exception {
        install();
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink() {
            @Override
            public void deliver(byte[] buf, int off, int len) {
                awaitQuietly(release);
                super.deliver(buf, off, len);
            }
        };
        pipeline = InboundPipeline.start(2, sas, new TransportSas(), sink, counters, "test");
        int batches = InboundPipeline.SLOTS * 3;
        byte[][] sealed = new byte[batches][];
        for (int i = 0; i < batches; i++) sealed[i] = seal(i);
        Thread reader = new Thread(() -> {
            for (byte[] datagram : sealed) {
                commit(datagram);
                pipeline.endBatch();
            }
        });
        reader.start();

        assertThat(Poll.until(DEADLINE, () -> reader.getState() == Thread.State.WAITING)).isTrue();
        assertThat(pipeline.filledSlots()).as("the ring's slots, no more").isEqualTo(InboundPipeline.SLOTS);
        assertThat(pipeline.deliveredSlots()).isZero();
        release.countDown();
        reader.join(DEADLINE.toMillis());
        assertThat(reader.isAlive()).isFalse();
        assertThat(drained()).isTrue();
        assertThat(sink.indexes()).hasSize(batches);
        for (int i = 0; i < batches; i++) assertThat(sink.indexes().get(i)).isEqualTo(i);
    }

    @Test
    void closeDeliversWhatWasCommittedAndEndsTheWorkers() {
        install();
        RecordingSink sink = new RecordingSink();
        pipeline = InboundPipeline.start(3, sas, new TransportSas(), sink, counters, "test");
        for (int i = 0; i < 10; i++) commit(seal(i)); // no endBatch: close publishes the last slot

        pipeline.close();

        assertThat(sink.indexes()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertThat(t.getName()).as("a worker left running").doesNotStartWith("test-open-");
        }
    }

    @Test
    void aFailureOnOnePacketCostsThatPacketOnly() {
        install();
        RecordingSink sink = new RecordingSink() {
            @Override
            public void deliver(byte[] buf, int off, int len) {
                if (index(buf, off) == 5) throw new IllegalStateException("a bug for one packet");
                super.deliver(buf, off, len);
            }
        };
        pipeline = InboundPipeline.start(2, sas, new TransportSas(), sink, counters, "test");
        for (int i = 0; i < 10; i++) commit(seal(i));
        pipeline.endBatch();

        assertThat(drained()).isTrue();
        assertThat(sink.indexes()).containsExactly(0, 1, 2, 3, 4, 6, 7, 8, 9);
        assertThat(counters.internalError.sum()).isEqualTo(1);
    }

    @Test
    void aDuplicateInTheNextSlotIsDroppedOnceAsReplay() {
        install();
        RecordingSink sink = new RecordingSink();
        pipeline = InboundPipeline.start(2, sas, new TransportSas(), sink, counters, "test");
        byte[] first = seal(0);
        commit(first);
        commit(seal(1));
        pipeline.endBatch();
        commit(first);
        pipeline.endBatch();

        assertThat(drained()).isTrue();
        assertThat(sink.indexes()).containsExactly(0, 1);
        assertThat(counters.replay.sum()).isEqualTo(1);
    }

    private void install() {
        sas.install(new OutboundPath(new OutboundSa(config()), new UdpEgress(new MemoryEncapSocket(false),
                new java.net.InetSocketAddress("192.0.2.1", 4500)), 1400), new InboundSa(config()), true);
    }

    private boolean drained() {
        BooleanSupplier done = () -> pipeline.deliveredSlots() == pipeline.filledSlots();
        return Poll.until(DEADLINE, done);
    }

    private void commit(byte[] datagram) {
        byte[] buf = pipeline.room(datagram.length);
        System.arraycopy(datagram, 0, buf, pipeline.at(), datagram.length);
        pipeline.commit(datagram.length);
    }

    /** West's ESP carrying an IPv4 UDP packet from 10.1.0.1 to 10.2.0.1 whose payload is {@code index}. */
    private byte[] seal(int index) {
        byte[] inner = new byte[32];
        inner[0] = 0x45;
        inner[3] = (byte) inner.length;
        inner[8] = 64;
        inner[9] = 17;
        inner[12] = 10;
        inner[13] = 1;
        inner[15] = 1;
        inner[16] = 10;
        inner[17] = 2;
        inner[19] = 1;
        inner[25] = 12; // UDP length
        putInt(inner, 28, index);
        byte[] buf = new byte[west.headroom() + inner.length + west.maxTailroom()];
        System.arraycopy(inner, 0, buf, west.headroom(), inner.length);
        int len = west.seal(buf, 0, inner.length, 4);
        assertThat(len).isPositive();
        return java.util.Arrays.copyOf(buf, len);
    }

    private static int index(byte[] b, int off) {
        int at = off + 28;
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SaConfig config() {
        byte[] enc = new byte[SUITE.encKeyBytes()];
        byte[] integ = new byte[SUITE.integKeyBytes()];
        for (int i = 0; i < enc.length; i++) enc[i] = (byte) (i + 3);
        return SaConfig.builder(SPI, SUITE, new SaKeys(enc, integ)).provider(CryptoProvider.JCE)
                .selectors(List.of(EAST), List.of(WEST)).build();
    }

    /** Records the payload index of every delivered packet; the pipeline calls it from one worker at a time. */
    private static class RecordingSink implements InnerPacketSink {
        private final List<Integer> indexes = new ArrayList<>();
        volatile int flushes;

        @Override
        public void deliver(byte[] buf, int off, int len) {
            indexes.add(index(buf, off));
        }

        @Override
        public void flush() {
            flushes++;
        }

        synchronized List<Integer> indexes() {
            return List.copyOf(indexes);
        }
    }
}
