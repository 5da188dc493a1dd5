package io.causeway.daemon;

import static io.causeway.daemon.CharonLog.CHILD_REKEY;
import static io.causeway.daemon.CharonLog.IKE_REKEY;
import static io.causeway.daemon.CharonLog.count;
import static io.causeway.daemon.LabGateway.children;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.BackgroundPing;
import io.causeway.lab.JvmHeap;
import io.causeway.lab.Ping;
import io.causeway.lab.PingTimes;
import io.causeway.lab.Poll;
import io.causeway.lab.ProcessVitals;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A compressed soak against strongSwan 5.9.8: lifetimes of seconds instead of hours, so that a 10-minute run holds
 * what months would, about 60 CHILD_SA rekeys (every 10 s) and 10 IKE SA rekeys (every 60 s), all under ping every
 * 200 ms. Not one ping may be lost across the make-before-break rekeys, and what a leak would grow stays flat from
 * the start to the end: the SAs on both sides, the live heap after a full collection, threads, file descriptors.
 * The length is {@code -Dcauseway.soakSeconds} (600 unless set; a shorter run checks the test itself).
 */
class SoakIT extends StrongSwanTestBase {
    private static final Duration SOAK = Duration.ofSeconds(Integer.getInteger("causeway.soakSeconds", 600));
    private static final Duration PING_INTERVAL = Duration.ofMillis(200);
    private static final Duration CHILD_REKEY_EVERY = Duration.ofSeconds(10);
    private static final Duration IKE_REKEY_EVERY = Duration.ofSeconds(60);
    /** JIT compiler threads come and go with the load (UseDynamicNumberOfCompilerThreads). */
    private static final int THREAD_SLACK = 3;
    private static final int FD_SLACK = 2;
    /** A leak of a few bytes per packet or per rekey over 3,000 pings and 70 rekeys would pass this; a leak of SAs,
     *  keys or buffers per rekey (kilobytes each) would not. */
    private static final long HEAP_SLACK_KIB = 4 * 1024;

    @Test
    void rekeysForTenMinutesLoseNoPingAndGrowNothing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build());
                // rekeyfuzz=0%: margintime serves both, so CHILD_SAs rekey at 20 - 10 s, the IKE SA at 70 - 10 s
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                        .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!")
                        .set("lifetime", "20s").set("ikelifetime", "70s").set("margintime", "10s")
                        .set("rekeyfuzz", "0%").set("reauth", "no"))) {
            west.awaitState("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), LabGateway.DEADLINE)).isTrue();

            int count = (int) (SOAK.toMillis() / PING_INTERVAL.toMillis());
            try (BackgroundPing ping = BackgroundPing.start(t.west(), t.westHostV4(), t.eastHostV4(), count,
                    PING_INTERVAL, west.workDir().resolve("soak-ping.log"))) {
                // the start is taken once the first rekey is behind: what it creates lazily is then counted in
                assertThat(Poll.until(CHILD_REKEY_EVERY.multipliedBy(3), () -> count(CHILD_REKEY, east.log()) >= 1))
                        .as("a first CHILD_SA rekey%n%s", east.log()).isTrue();
                Vitals start = Vitals.settled(west, east);
                PingTimes replies = ping.await(1);
                Vitals end = Vitals.settled(west, east);

                String swanLog = east.log();
                int childRekeys = count(CHILD_REKEY, swanLog);
                int ikeRekeys = count(IKE_REKEY, swanLog);
                System.out.printf(Locale.ROOT, "SoakIT: %d s, %d CHILD_SA and %d IKE SA rekeys, pings %d/%d%n"
                        + "  start: %s%n  end:   %s%n", SOAK.toSeconds(), childRekeys, ikeRekeys, replies.millis().size(),
                        replies.transmitted(), start, end);
                assertThat(replies.millis()).as("replies to %d pings across the rekeys%n--- causeway ---%n%s",
                        replies.transmitted(), west.log()).hasSize(replies.transmitted());
                // a rekey is due every interval; the first and the last may fall outside the soak
                assertThat(childRekeys).as("CHILD_SA rekeys").isGreaterThanOrEqualTo(
                        (int) (SOAK.toSeconds() / CHILD_REKEY_EVERY.toSeconds()) - 2);
                assertThat(ikeRekeys).as("IKE SA rekeys").isGreaterThanOrEqualTo(
                        (int) (SOAK.toSeconds() / IKE_REKEY_EVERY.toSeconds()) - 1);
                assertThat(end.ours()).as("our CHILD_SAs").isEqualTo(start.ours()).isEqualTo(1);
                assertThat(end.theirs()).as("strongSwan's IKE SAs and CHILD_SAs").isEqualTo(start.theirs());
                assertThat(end.process().threads()).as("threads").isLessThanOrEqualTo(start.process().threads()
                        + THREAD_SLACK);
                assertThat(end.process().fds()).as("file descriptors").isLessThanOrEqualTo(start.process().fds()
                        + FD_SLACK);
                assertThat(end.heap().usedKib()).as("live heap after a full GC, KiB")
                        .isLessThanOrEqualTo(start.heap().usedKib() + HEAP_SLACK_KIB);
            }
        }
    }

    /** One moment of the soak, taken when no rekey is half done: one CHILD_SA on both sides, one IKE SA. */
    private record Vitals(int ours, String theirs, JvmHeap heap, ProcessVitals process) {
        static Vitals settled(LabGateway west, StrongSwan east) {
            Poll.until(CHILD_REKEY_EVERY, () -> ours(west) == 1 && theirs(east).equals("1 IKE SA, 1 CHILD_SA"));
            return new Vitals(ours(west), theirs(east), JvmHeap.afterFullGc(west.pid()), ProcessVitals.of(west.pid()));
        }

        private static int ours(LabGateway west) {
            try {
                return children(west.tunnel()).size();
            } catch (Exception e) {
                return -1;
            }
        }

        private static String theirs(StrongSwan east) {
            List<SwanSas.IkeSa> ikeSas = east.sas().ikeSas();
            long installed = ikeSas.stream().flatMap(i -> i.children().stream()).filter(SwanSas.ChildSa::installed)
                    .count();
            return ikeSas.size() + " IKE SA, " + installed + " CHILD_SA";
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "ours %d CHILD_SA; strongSwan %s; heap after GC %d KiB; %s", ours,
                    theirs, heap.usedKib(), process);
        }
    }

}
