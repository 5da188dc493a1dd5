package io.causeway.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file full of mistakes: every one must be reported, with file, line, key and what is allowed. */
class BrokenConfigTest {
    private static final String SECRET = "Sup3r-s3cret-never-print";

    @TempDir
    Path dir;

    private static final String BROKEN = """
            stray=1
            config setup
                nosuchsetup=1
                uniqueids=maybe
            conn %default
                authby=psk
                keyingtries=3
            conn broken
                left=192.0.2.1
                right=224.0.0.1
                leftsubnet=10.0.0.0/16
                rightsubnet=10.0.1.0/24
                esp=aes129-sha1
                ike=aes128-sha1-modp1024
                lifetime=5m
                dpdaction=explode
                leftcert=me.pem
                frobnicate=yes
                keyexchange=ikev3
                auto=sometimes
                ah=sha1
                mobike=perhaps
                rightid=@peer.example
            conn second
                left=192.0.2.1
                right=127.0.0.1
                authby=rsasig
                leftsubnet=10.1.0.0/33
                dpddelay=30 seconds
            conn p1
                left=192.0.2.1
                right=198.51.100.7
                leftsubnet=10.5.0.0/16
                rightsubnet=10.6.0.0/24
                auto=add
            conn p2
                also=p1
                leftsubnet=10.5.1.0/24
                rightsubnet=10.6.0.0/16
            ca myca
                cacert=x.pem
            """;

    @Test
    void everyErrorIsReportedTogether() {
        Path conf = TestFiles.write(dir, "ipsec.conf", BROKEN);
        Path secrets = TestFiles.write(dir, "ipsec.secrets", "@x 198.51.100.7 : PSK \"" + SECRET + "\"\n");

        LoadResult r = ConfigLoader.load(conf, secrets);

        String f = conf.toString();
        assertThat(r.ok()).isFalse();
        assertThat(r.config().connections()).hasSize(4);
        List<String> errors = r.errors().stream().map(Diagnostic::toString).toList();
        assertThat(errors).containsExactlyInAnyOrder(
                f + ":1: stray: setting outside of any section; put it under 'config setup' or a 'conn NAME'",
                f + ":3: nosuchsetup: unknown key in config setup (allowed: cachecrls, charondebug, metrics, strictcrlpolicy, uniqueids)",
                f + ":4: uniqueids: unknown value 'maybe' (allowed: keep, never, no, replace, yes)",
                f + ":6: authby: no PSK in " + secrets + " matches leftid 192.0.2.1 and rightid peer.example"
                        + " (add a line: 192.0.2.1 peer.example : PSK \"...\")",
                f + ":10: right: remote gateway 224.0.0.1 is a multicast address (224.0.0.0/4)"
                        + " (allowed: a unicast address, a host name, %any)",
                f + ":12: rightsubnet: 10.0.1.0/24 overlaps leftsubnet 10.0.0.0/16 (local and remote subnets must not overlap)",
                errors.stream().filter(e -> e.startsWith(f + ":13: esp: unknown algorithm 'aes129' (allowed: des, 3des, aes128,"))
                        .findFirst().orElse("missing esp error"),
                f + ":15: lifetime: 5m must be longer than margintime 9m, or rekeying would start before the SA is up",
                f + ":16: dpdaction: unknown value 'explode' (allowed: none, clear, hold, restart)",
                f + ":17: leftcert: recognized strongSwan setting, but not implemented by Causeway; remove it",
                f + ":18: frobnicate: unknown key in conn broken",
                f + ":19: keyexchange: unknown value 'ikev3' (allowed: ike, ikev1, ikev2)",
                f + ":20: auto: unknown value 'sometimes' (allowed: ignore, add, route, start)",
                f + ":21: ah: recognized strongSwan setting, but not implemented by Causeway; remove it",
                f + ":22: mobike: 'perhaps' is not a boolean (allowed: yes, no)",
                f + ":26: right: remote gateway 127.0.0.1 is a loopback address (127.0.0.0/8)"
                        + " (allowed: a unicast address, a host name, %any)",
                f + ":27: authby: 'rsasig' is not implemented (allowed: psk, secret)",
                f + ":28: leftsubnet: bad CIDR '10.1.0.0/33': prefix length must be 0..32",
                f + ":29: dpddelay: '30 seconds' is not a time (allowed: a number of seconds, or with s, m, h or d, e.g. 30s, 10m, 3h, 1d)",
                f + ":39: rightsubnet: conn 'p2' (10.5.1.0/24 === 10.6.0.0/16) overlaps conn 'p1' (10.5.0.0/16 === 10.6.0.0/24, "
                        + f + ":30) to the same peer 198.51.100.7; traffic could match either (make the subnets disjoint)",
                f + ":40: 'ca myca': ca sections are not implemented (certificates are not supported)");
    }

    @Test
    void secretNeverAppearsInAnyDiagnosticOrSummary() {
        Path conf = TestFiles.write(dir, "ipsec.conf", BROKEN);
        Path secrets = TestFiles.write(dir, "ipsec.secrets", "@x 198.51.100.7 : PSK \"" + SECRET + "\"\n"
                + "@y : PSK \"" + SECRET + "?\"\n@z : PSK 0xZZ" + SECRET + "\n");

        LoadResult r = ConfigLoader.load(conf, secrets);

        assertThat(r.warnings()).anyMatch(d -> d.message().startsWith("PSK contains '?'"));
        assertThat(r.errors()).anyMatch(d -> d.message().contains("not valid hex"));
        StringBuilder everything = new StringBuilder();
        r.errors().forEach(d -> everything.append(d).append('\n'));
        r.warnings().forEach(d -> everything.append(d).append('\n'));
        r.config().connections().forEach(c -> everything.append(c.summary()).append(c).append(c.left()).append(c.right()));
        everything.append(r.config()).append(r.config().secrets()).append(r).append(r.config().secrets().entries());
        assertThat(everything.toString()).doesNotContain(SECRET).doesNotContain("s3cret");
    }

    @Test
    void pskConnectionWithoutSecretsFile() {
        Path conf = TestFiles.write(dir, "ipsec.conf", "conn a\n    authby=psk\n    right=198.51.100.1\n");

        LoadResult r = ConfigLoader.load(conf, dir.resolve("ipsec.secrets"));

        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(conf + ":2: authby: PSK authentication needs a"
                + " secret, but there is no secrets file at " + dir.resolve("ipsec.secrets")
                + " (add a line: %any 198.51.100.1 : PSK \"...\")");
    }

    @Test
    void connWithoutAuthenticationSaysStrongSwanDefaultIsNotImplemented() {
        Path conf = TestFiles.write(dir, "ipsec.conf", "conn a\n    right=198.51.100.1\n");

        LoadResult r = ConfigLoader.load(conf, null);

        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(conf + ":1: authby: conn 'a' sets no"
                + " authentication; strongSwan's default (pubkey) is not implemented (allowed: authby=psk, authby=secret)");
    }

    @Test
    void ikeLifetimeAndAutoStartChecks() {
        Path conf = TestFiles.write(dir, "ipsec.conf", """
                conn a
                    authby=psk
                    ikelifetime=10m
                    margintime=10m
                    lifetime=1h
                    auto=start
                """);
        TestFiles.write(dir, "ipsec.secrets", ": PSK k\n");

        LoadResult r = ConfigLoader.load(conf, dir.resolve("ipsec.secrets"));

        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactlyInAnyOrder(
                conf + ":3: ikelifetime: 10m must be longer than margintime 10m, or rekeying would start before the SA is up",
                conf + ":6: auto: auto=start must initiate, but right=%any gives no peer address"
                        + " (set right, or use auto=add to only respond)");
    }

    @Test
    void zeroAddressAndBroadcastPeersAreRejectedButAnyIsFine() {
        Path conf = TestFiles.write(dir, "ipsec.conf", """
                conn zero
                    authby=psk
                    right=0.0.0.0
                conn bcast
                    authby=psk
                    right=255.255.255.255
                conn any
                    authby=psk
                    right=%any
                conn v6
                    authby=psk
                    right=fe80::1
                """);
        TestFiles.write(dir, "ipsec.secrets", ": PSK k\n");

        LoadResult r = ConfigLoader.load(conf, dir.resolve("ipsec.secrets"));

        assertThat(r.errors()).extracting(Diagnostic::line).containsExactly(3, 6, 12);
        assertThat(r.errors().get(0).message()).contains("write %any to accept any peer");
    }
}
