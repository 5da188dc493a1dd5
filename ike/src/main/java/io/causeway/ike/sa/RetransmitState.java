package io.causeway.ike.sa;

import io.causeway.ike.timing.RetransmitSchedule;
import java.util.List;

/**
 * The one outstanding request of an IKE SA and how often it was sent (RFC 7296 2.1): the same octets
 * go out again on each timer until the schedule is exhausted; a fragmented request is resent whole, all
 * of its fragments (RFC 7383 2.6.1).
 */
final class RetransmitState {
    private final RetransmitSchedule schedule;
    private List<IkeDatagram> outstanding;
    private long messageId = -1;
    private int sent;

    RetransmitState(RetransmitSchedule schedule) {
        this.schedule = schedule;
    }

    /** A new request went out for the first time; returns when to look again. */
    long firstSent(List<IkeDatagram> request, long messageId, long now) {
        this.outstanding = List.copyOf(request);
        this.messageId = messageId;
        this.sent = 0;
        return now + schedule.waitAfter(0).toMillis();
    }

    boolean pending() {
        return outstanding != null;
    }

    long messageId() {
        return messageId;
    }

    /** The answer arrived: nothing to resend any more. */
    void answered() {
        outstanding = null;
    }

    /** Whether the timer that just fired ends the exchange. */
    boolean exhausted() {
        return schedule.exhausted(sent);
    }

    /** Counts one more transmission of the outstanding request; returns when to look again. */
    long resent(long now) {
        sent++;
        return now + schedule.waitAfter(sent).toMillis();
    }

    List<IkeDatagram> outstanding() {
        return outstanding;
    }

    int retransmissions() {
        return sent;
    }
}
