package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.sa.ReaderTriage.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket readers' lane for east's datagrams: a known peer's (an SA of ours) or a stranger's. */
class ReaderTriageTest {
    @TempDir
    Path dir;

    @Test
    void aNewRequestIsAStrangersAndTheNextMessageOfItsSaIsKnown() {
        Lab lab = new Lab(dir, IkeSessionTest.west(""), IkeSessionTest.SECRETS, IkeSessionTest.east(""),
                IkeSessionTest.SECRETS);
        ReaderTriage triage = lab.east.readerTriage();
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        IkeDatagram init = lab.westActions.takeSent().get(0);
        assertThat(triage.triage(init.bytes(), Lab.WEST.getAddress())).isEqualTo(Verdict.STRANGER);

        lab.deliverToEast(init);
        lab.eastActions.takeSent().forEach(lab::deliverToWest);
        byte[] auth = lab.westActions.takeSent().get(0).bytes();
        assertThat(triage.triage(auth, Lab.WEST.getAddress())).isEqualTo(Verdict.KNOWN);
    }
}
