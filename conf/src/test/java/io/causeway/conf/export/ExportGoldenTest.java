package io.causeway.conf.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.Config;
import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exports of the seed configurations, byte for byte: seed 004 (SCloudStack's downloaded tunnel file, whose
 * own export must look like it) and seed 001 (VNG Cloud, FQDN ids, IPv6 next to IPv4, two IKE proposals). The
 * expected files are in src/test/resources/export; the path of our secrets file is written as SECRETS there.
 * "groups" holds seed 003's three SPD policies to one peer, which share one IKE SA, and a second peer between
 * them in the file: any of the three exports the same swanctl connection with three children, and --all writes
 * two connections (swanctl) or four conns (ipsec.conf).
 */
class ExportGoldenTest {
    @ParameterizedTest
    @CsvSource({
        "seed004, ipsvpn_tunnel-MQcK-cVMR, ipsec.conf, true,  seed004-with-secret.ipsec.conf",
        "seed004, ipsvpn_tunnel-MQcK-cVMR, swanctl,    true,  seed004-with-secret.swanctl.conf",
        "seed004, ipsvpn_tunnel-MQcK-cVMR, swanctl,    false, seed004.swanctl.conf",
        "seed001, hcm03,                   ipsec.conf, false, seed001.ipsec.conf",
        "seed001, hcm03,                   swanctl,    false, seed001.swanctl.conf",
        "groups,  spd1,                    swanctl,    false, groups-spd1.swanctl.conf",
        "groups,  spd2,                    swanctl,    false, groups-spd1.swanctl.conf",
        "groups,  spd3,                    swanctl,    false, groups-spd1.swanctl.conf",
        "groups,  spd2,                    ipsec.conf, false, groups-spd2.ipsec.conf",
    })
    void exportMatchesTheGoldenFile(String seed, String conn, String format, boolean withSecret, String golden)
            throws Exception {
        Path secrets = resource(seed + "/ipsec.secrets");
        LoadResult loaded = ConfigLoader.load(resource(seed + "/ipsec.conf"), secrets);
        assertThat(loaded.errors()).isEmpty();
        Config config = loaded.config();

        String exported = ConnectionExport.export(config, conn, ExportFormat.named(format).orElseThrow(), withSecret);

        String expected = Files.readString(resource("export/" + golden));
        assertThat(exported.replace(secrets.toString(), "SECRETS")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "groups, ipsec.conf, false, groups-all.ipsec.conf",
        "groups, ipsec.conf, true,  groups-all-with-secret.ipsec.conf",
        "groups, swanctl,    false, groups-all.swanctl.conf",
        "groups, swanctl,    true,  groups-all-with-secret.swanctl.conf",
    })
    void exportAllMatchesTheGoldenFile(String seed, String format, boolean withSecret, String golden) throws Exception {
        Path secrets = resource(seed + "/ipsec.secrets");
        LoadResult loaded = ConfigLoader.load(resource(seed + "/ipsec.conf"), secrets);
        assertThat(loaded.errors()).isEmpty();

        String exported = ConnectionExport.exportAll(loaded.config(), ExportFormat.named(format).orElseThrow(),
                withSecret);

        String expected = Files.readString(resource("export/" + golden));
        assertThat(exported.replace(secrets.toString(), "SECRETS")).isEqualTo(expected);
    }

    private static Path resource(String name) throws URISyntaxException, IOException {
        var url = ExportGoldenTest.class.getResource("/" + name);
        if (url == null) {
            throw new IOException("no test resource " + name);
        }
        return Path.of(url.toURI());
    }
}
