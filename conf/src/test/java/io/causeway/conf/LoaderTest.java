package io.causeway.conf;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.CloseAction;
import io.causeway.conf.connection.ConnType;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.DpdAction;
import io.causeway.conf.connection.Fragmentation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
    @TempDir
    Path dir;

    private LoadResult load(String conf, String secrets) {
        Path confFile = TestFiles.write(dir, "ipsec.conf", conf);
        Path secretsFile = secrets == null ? dir.resolve("absent.secrets") : TestFiles.write(dir, "ipsec.secrets", secrets);
        return ConfigLoader.load(confFile, secretsFile);
    }

    @Test
    void strongSwanDefaults() {
        LoadResult r = load("conn a\n    authby=psk\n    right=198.51.100.1\n", ": PSK \"k\"\n");
        assertThat(r.errors()).isEmpty();
        Connection c = r.config().connection("a").orElseThrow();
        assertThat(c.ikeVersion()).isEqualTo(2);
        assertThat(c.acceptsAnyIkeVersion()).isTrue();
        assertThat(c.aggressive()).isFalse();
        assertThat(c.ike()).extracting(Object::toString).containsExactly("aes128-sha256-modp3072");
        assertThat(c.esp()).extracting(Object::toString).containsExactly("aes128-sha256");
        assertThat(c.ikeLifetime()).isEqualTo(Duration.ofHours(3));
        assertThat(c.lifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.margin()).isEqualTo(Duration.ofMinutes(9));
        assertThat(c.rekeyFuzzPercent()).isEqualTo(100);
        assertThat(c.lifeBytes()).isZero();
        assertThat(c.lifePackets()).isZero();
        assertThat(c.keyingTries()).isEqualTo(3);
        assertThat(c.dpdAction()).isEqualTo(DpdAction.NONE);
        assertThat(c.dpdDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.dpdTimeout()).isEqualTo(Duration.ofSeconds(150));
        assertThat(c.auto()).isEqualTo(AutoAction.IGNORE);
        assertThat(c.ignored()).isTrue();
        assertThat(c.type()).isEqualTo(ConnType.TUNNEL);
        assertThat(c.replayWindow()).isEqualTo(32);
        assertThat(c.fragmentation()).isEqualTo(Fragmentation.YES);
        assertThat(c.mobike()).isTrue();
        assertThat(c.rekey()).isTrue();
        assertThat(c.reauth()).isTrue();
        assertThat(c.forceEncaps()).isFalse();
        assertThat(c.closeAction()).isEqualTo(CloseAction.NONE);
        assertThat(c.left().anyAddress()).isTrue();
        assertThat(c.left().id().isAny()).isTrue();
        assertThat(c.right().id()).hasToString("198.51.100.1");
        assertThat(c.right().subnets()).extracting(Object::toString).containsExactly("198.51.100.1/32");
    }

    @Test
    void valuesSyntaxes() {
        LoadResult r = load("""
                conn a
                    authby=secret
                    left=192.0.2.1
                    right=198.51.100.1
                    ikelifetime=1d
                    keylife=30m
                    rekeymargin=120
                    rekeyfuzz=50%
                    keyingtries=%forever
                    lifebytes=1000000
                    replay_window=64
                    fragmentation=force
                    closeaction=restart
                    leftupdown="/usr/lib/updown --flag"
                    mobike=no
                """, ": PSK k\n");
        assertThat(r.errors()).isEmpty();
        Connection c = r.config().connection("a").orElseThrow();
        assertThat(c.ikeLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(c.lifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.margin()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.rekeyFuzzPercent()).isEqualTo(50);
        assertThat(c.keyingTries()).isZero();
        assertThat(c.lifeBytes()).isEqualTo(1_000_000);
        assertThat(c.replayWindow()).isEqualTo(64);
        assertThat(c.fragmentation()).isEqualTo(Fragmentation.FORCE);
        assertThat(c.closeAction()).isEqualTo(CloseAction.RESTART);
        assertThat(c.left().updown()).contains("/usr/lib/updown --flag");
        assertThat(c.mobike()).isFalse();
    }

    @Test
    void alsoInheritanceDefaultAndReset() {
        LoadResult r = load("""
                conn %default
                    authby=psk
                    ikelifetime=8h
                    dpdaction=restart

                conn base
                    left=192.0.2.1
                    esp=aes256-sha256
                    auto=ignore

                conn middle
                    also=base
                    right=198.51.100.1
                    rightsubnet=10.9.0.0/16
                    auto=ignore

                conn leaf
                    also=middle
                    esp=aes128gcm16
                    dpdaction=
                    auto=add
                """, ": PSK k\n");
        assertThat(r.errors()).isEmpty();
        Connection leaf = r.config().connection("leaf").orElseThrow();
        assertThat(leaf.left().host()).isEqualTo("192.0.2.1");
        assertThat(leaf.right().subnets()).extracting(Object::toString).containsExactly("10.9.0.0/16");
        assertThat(leaf.esp()).extracting(Object::toString).containsExactly("aes128gcm16");
        assertThat(leaf.ikeLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(leaf.dpdAction()).isEqualTo(DpdAction.NONE);
        assertThat(leaf.origin("right").line()).isEqualTo(13);
        assertThat(r.config().connection("middle").orElseThrow().dpdAction()).isEqualTo(DpdAction.RESTART);
        assertThat(r.config().activeConnections()).extracting(Connection::name).containsExactly("leaf");
    }

    @Test
    void alsoCycleAndMissingTarget() {
        LoadResult r = load("""
                conn a
                    also=b
                    authby=psk
                conn b
                    also=a
                    authby=psk
                conn c
                    also=nowhere
                    authby=psk
                """, ": PSK k\n");
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactlyInAnyOrder(
                dir.resolve("ipsec.conf") + ":5: also: inheritance cycle: a -> b -> a",
                dir.resolve("ipsec.conf") + ":2: also: inheritance cycle: b -> a -> b",
                dir.resolve("ipsec.conf") + ":8: also: no conn named 'nowhere' to inherit from");
    }

    @Test
    void includesWithGlobsRelativeToTheIncludingFile() {
        TestFiles.write(dir, "conf.d/20-b.conf", "conn b\n    also=shared\n    right=198.51.100.2\n");
        TestFiles.write(dir, "conf.d/10-a.conf", "conn a\n    also=shared\n    right=198.51.100.1\n    bogus=1\n");
        TestFiles.write(dir, "conf.d/shared.inc", "conn shared\n    authby=psk\n    auto=ignore\n");
        TestFiles.write(dir, "conf.d/nested.conf", "include shared.inc\n");
        LoadResult r = load("""
                config setup
                    uniqueids=no
                include conf.d/*.conf
                include nothing-matches-*.conf
                """, ": PSK k\n");
        assertThat(r.config().connections()).extracting(Connection::name).containsExactly("a", "b", "shared");
        assertThat(r.config().setup().uniqueIds()).isEqualTo("no");
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                dir.resolve("conf.d/10-a.conf") + ":4: bogus: unknown key in conn a");
    }

    @Test
    void missingLiteralIncludeAndCycleAreErrors() {
        TestFiles.write(dir, "loop.conf", "include loop.conf\n");
        LoadResult r = load("include missing.conf\ninclude loop.conf\n", null);
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(
                dir.resolve("ipsec.conf") + ":1: include: cannot read " + dir.resolve("missing.conf") + " (NoSuchFileException)",
                dir.resolve("loop.conf") + ":1: include: include cycle: " + dir.resolve("loop.conf") + " includes itself");
    }

    @Test
    void quotedValuesAndComments() {
        LoadResult r = load("""
                # comment
                config setup
                    charondebug="ike 2,   knl 1"   # spaces kept inside quotes
                conn a # trailing comment
                    authby=psk
                    right=198.51.100.1
                    rightid=@#0a1b2c
                """, "%any @#0a1b2c : PSK k\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().setup().charonDebug()).contains("ike 2,   knl 1");
        assertThat(r.config().connection("a").orElseThrow().right().id()).hasToString("@#0a1b2c");
    }

    @Test
    void metricsAddressInConfigSetup() {
        String conn = "conn a\n    authby=psk\n    right=198.51.100.1\n";
        LoadResult ok = load("config setup\n    metrics=127.0.0.1:9813\n" + conn, "%any : PSK k\n");
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.config().setup().metrics()).contains("127.0.0.1:9813");
        assertThat(load("config setup\n    metrics=[::1]:9813\n" + conn, "%any : PSK k\n").errors()).isEmpty();
        assertThat(load(conn, "%any : PSK k\n").config().setup().metrics()).isEmpty();

        LoadResult bad = load("config setup\n    metrics=localhost:99999\n" + conn, "%any : PSK k\n");
        assertThat(bad.errors()).singleElement().asString().endsWith(":2: metrics: 'localhost:99999' is not HOST:PORT"
                + " (e.g. 127.0.0.1:9813, [::1]:9813)");
        assertThat(load("config setup\n    metrics=::1:9813\n" + conn, "%any : PSK k\n").errors()).hasSize(1);
    }

    @Test
    void swappedExchangesSides() {
        LoadResult r = TestFiles.loadSeed("seed004");
        Connection c = r.config().connections().get(0).swapped();
        assertThat(c.left().host()).isEqualTo("106.75.234.78");
        assertThat(c.right().subnets()).extracting(Object::toString).containsExactly("172.16.1.0/24");
        assertThat(c.name()).isEqualTo("ipsvpn_tunnel-MQcK-cVMR");
    }

    @Test
    void missingConfigFileIsOneError() {
        LoadResult r = ConfigLoader.load(dir.resolve("none.conf"), null);
        assertThat(r.ok()).isFalse();
        assertThat(r.config()).isNotNull();
        assertThat(r.errors()).extracting(Diagnostic::toString)
                .containsExactly(dir.resolve("none.conf") + ":0: cannot read file (NoSuchFileException)");
    }
}
