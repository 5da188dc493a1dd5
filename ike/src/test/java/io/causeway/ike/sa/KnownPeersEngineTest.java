package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine publishes its SAs to its KnownPeers as they come: a new request is a stranger's, its SA's next message known. */
class KnownPeersEngineTest {
    @TempDir
    Path dir;

    @Test
    void aNewRequestIsAStrangersAndTheNextMessageOfItsSaIsKnown() {
        Lab lab = new Lab(dir, IkeSessionTest.west(""), IkeSessionTest.SECRETS, IkeSessionTest.east(""),
                IkeSessionTest.SECRETS);
        KnownPeers known = lab.east.knownPeers();
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        IkeDatagram init = lab.westActions.takeSent().get(0);
        assertThat(known.known(init.bytes(), Lab.WEST.getAddress())).as("a new request").isFalse();

        lab.deliverToEast(init);
        lab.eastActions.takeSent().forEach(lab::deliverToWest);
        byte[] auth = lab.westActions.takeSent().get(0).bytes();
        assertThat(known.known(auth, Lab.WEST.getAddress())).as("IKE_AUTH of the half-open SA").isTrue();
    }
}
