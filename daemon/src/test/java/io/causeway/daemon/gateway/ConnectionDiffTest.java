package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.Config;
import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionDiffTest {
    private static final String SECRETS = "west.example east.example : PSK \"first secret of the test\"\n"
            + "west.example north.example : PSK \"second secret of the test\"\n";

    @TempDir
    Path dir;

    private static String conn(String name, String peerId, String remoteSubnet, String extra) {
        return "conn " + name + "\n"
                + "    authby=psk\n    left=192.0.2.1\n    leftid=west.example\n    leftsubnet=10.1.0.0/24\n"
                + "    right=192.0.2.2\n    rightid=" + peerId + "\n    rightsubnet=" + remoteSubnet + "\n"
                + "    auto=add\n" + extra;
    }

    private Config load(String name, String conf, String secrets) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        LoadResult r = ConfigLoader.load(Files.writeString(d.resolve("ipsec.conf"), conf),
                Files.writeString(d.resolve("ipsec.secrets"), secrets));
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    private ConnectionDiff diff(String before, String after, String secretsAfter) throws IOException {
        Config a = load("before", before, SECRETS);
        Config b = load("after", after, secretsAfter);
        return ConnectionDiff.between(a.activeConnections(), a.secrets(), b.activeConnections(), b.secrets());
    }

    @Test
    void namesAreSortedIntoAddedRemovedChangedAndUnchanged() throws IOException {
        String before = conn("keep", "east.example", "10.2.0.0/24", "")
                + conn("change", "north.example", "10.3.0.0/24", "")
                + conn("drop", "east.example", "10.4.0.0/24", "");
        String after = conn("keep", "east.example", "10.2.0.0/24", "")
                + conn("change", "north.example", "10.3.0.0/25", "")
                + conn("new", "east.example", "10.5.0.0/24", "");

        ConnectionDiff d = diff(before, after, SECRETS);

        assertThat(d.added()).containsExactly("new");
        assertThat(d.removed()).containsExactly("drop");
        assertThat(d.changed()).containsExactly("change");
        assertThat(d.unchanged()).containsExactly("keep");
    }

    @Test
    void movingAConnectionToOtherLinesOrSpellingADefaultOutChangesNothing() throws IOException {
        String before = conn("a", "east.example", "10.2.0.0/24", "") + conn("b", "north.example", "10.3.0.0/24", "");
        String after = "# a comment moves every line\n\n" + conn("b", "north.example", "10.3.0.0/24", "    ikelifetime=3h\n")
                + conn("a", "east.example", "10.2.0.0/24", "");

        ConnectionDiff d = diff(before, after, SECRETS);

        assertThat(d.unchanged()).containsExactlyInAnyOrder("a", "b");
        assertThat(d.changed()).isEmpty();
    }

    @Test
    void everySettingThatShapesTheSasCounts() throws IOException {
        String base = conn("a", "east.example", "10.2.0.0/24", "");
        for (String extra : new String[] {"    esp=aes256gcm16\n", "    ike=aes256-sha384-ecp384\n", "    lifetime=30m\n",
            "    dpdaction=restart\n", "    type=transport\n", "    leftupdown=/bin/true\n", "    mobike=no\n"}) {
            assertThat(diff(base, conn("a", "east.example", "10.2.0.0/24", extra), SECRETS).changed())
                    .as(extra.strip()).containsExactly("a");
        }
        assertThat(diff(base, base.replace("auto=add", "auto=start"), SECRETS).changed()).containsExactly("a");
        assertThat(diff(base, base.replace("right=192.0.2.2", "right=192.0.2.3"), SECRETS).changed()).containsExactly("a");
    }

    @Test
    void aNewPreSharedKeyChangesOnlyTheConnectionsOfItsIdPair() throws IOException {
        String conf = conn("east", "east.example", "10.2.0.0/24", "") + conn("north", "north.example", "10.3.0.0/24", "");
        String newSecrets = SECRETS.replace("first secret of the test", "a replaced secret");

        ConnectionDiff d = diff(conf, conf, newSecrets);

        assertThat(d.changed()).containsExactly("east");
        assertThat(d.unchanged()).containsExactly("north");
        assertThat(d.describe().toString()).doesNotContain("secret");
    }
}
