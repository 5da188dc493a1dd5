package io.causeway.conf.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.Diagnostic;
import io.causeway.conf.Diagnostics;
import io.causeway.conf.net.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    @TempDir
    Path dir;

    private final Diagnostics diagnostics = new Diagnostics();

    private Secrets parse(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("ipsec.secrets"), content);
        return SecretsParser.parse(file, diagnostics);
    }

    private static String text(Psk psk) {
        return new String(psk.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void exactPairBeatsOneSideBeatsWildcard() throws IOException {
        Secrets secrets = parse("""
                : PSK "wildcard"
                1.1.1.1 : PSK "local-only"
                1.1.1.1 2.2.2.2 : PSK "pair"
                %any 3.3.3.3 : PSK "any-to-three"
                """);
        Identity local = Identity.parse("1.1.1.1");
        assertThat(text(secrets.lookup(local, Identity.parse("2.2.2.2")).orElseThrow())).isEqualTo("pair");
        assertThat(text(secrets.lookup(local, Identity.parse("9.9.9.9")).orElseThrow())).isEqualTo("local-only");
        assertThat(text(secrets.lookup(Identity.parse("5.5.5.5"), Identity.parse("9.9.9.9")).orElseThrow())).isEqualTo("wildcard");
        assertThat(text(secrets.lookup(Identity.parse("5.5.5.5"), Identity.parse("3.3.3.3")).orElseThrow())).isEqualTo("any-to-three");
        assertThat(diagnostics.errors()).isEmpty();
    }

    @Test
    void noMatchWithoutWildcard() throws IOException {
        Secrets secrets = parse("1.1.1.1 2.2.2.2 : PSK \"pair\"\n");
        assertThat(secrets.lookup(Identity.parse("5.5.5.5"), Identity.parse("6.6.6.6"))).isEmpty();
    }

    @Test
    void secretEncodingsQuotingAndIncludes() throws IOException {
        Files.writeString(dir.resolve("peer-a.secrets"), "@a.example : PSK 0x414243\n");
        Files.writeString(dir.resolve("peer-b.secrets"), "@b.example : PSK 0sQUJD\n");
        Secrets secrets = parse("""
                # comment
                @c.example : PSK "with \\"escaped\\" quote"   # trailing comment
                @d.example @e.example
                    : PSK unquoted#hash
                @f.example : PSK 'single quoted'
                include peer-*.secrets
                """);
        assertThat(diagnostics.errors()).isEmpty();
        assertThat(text(secrets.lookup(Identity.parse("@a.example"), Identity.ANY).orElseThrow())).isEqualTo("ABC");
        assertThat(text(secrets.lookup(Identity.parse("@b.example"), Identity.ANY).orElseThrow())).isEqualTo("ABC");
        assertThat(text(secrets.lookup(Identity.parse("@c.example"), Identity.ANY).orElseThrow())).isEqualTo("with \"escaped\" quote");
        assertThat(text(secrets.lookup(Identity.parse("@e.example"), Identity.ANY).orElseThrow())).isEqualTo("unquoted#hash");
        assertThat(text(secrets.lookup(Identity.parse("@f.example"), Identity.ANY).orElseThrow())).isEqualTo("single quoted");
        assertThat(secrets.entries()).hasSize(5);
        assertThat(secrets.entries().get(1).line()).isEqualTo(3);
    }

    @Test
    void badEntriesAreErrorsThatNeverQuoteTheSecret() throws IOException {
        parse("""
                @a : PSK 0xZZtopsecret1
                @b : RSA key.pem
                @c : PSK "topsecret2
                @d PSK topsecret3
                @e : PSK topsecret4 extra
                """);
        assertThat(diagnostics.errors()).extracting(Diagnostic::toString).containsExactly(
                dir.resolve("ipsec.secrets") + ":1: PSK: secret starting with 0x is not valid hex (an even number of 0-9a-f digits)",
                dir.resolve("ipsec.secrets") + ":2: RSA: secret type not implemented (allowed: PSK)",
                dir.resolve("ipsec.secrets") + ":3: PSK: secret has an opening quote but no closing one",
                dir.resolve("ipsec.secrets") + ":4: expected 'ID ID : PSK \"secret\"' (no ':' separating identities from the secret)",
                dir.resolve("ipsec.secrets") + ":5: PSK: unexpected text after the secret; quote the secret if it contains spaces");
        assertThat(diagnostics.errors()).allSatisfy(d -> assertThat(d.toString()).doesNotContain("topsecret"));
    }

    @Test
    void cloudConsolePskRulesAreWarnings() throws IOException {
        parse("@a : PSK \"what? no\"\n@b : PSK \"" + "x".repeat(129) + "\"\n@c : PSK fine\n");
        assertThat(diagnostics.errors()).isEmpty();
        assertThat(diagnostics.warnings()).extracting(Diagnostic::line).containsExactly(1, 1, 2);
        assertThat(diagnostics.warnings().get(0).message()).startsWith("PSK contains '?'");
        assertThat(diagnostics.warnings().get(1).message()).startsWith("PSK contains spaces");
        assertThat(diagnostics.warnings().get(2).message()).startsWith("PSK is 129 characters long, more than 128");
        assertThat(diagnostics.warnings()).allSatisfy(d -> assertThat(d.toString()).doesNotContain("what?").doesNotContain("xxxx"));
    }

    @Test
    void pskTextFormsAreRedacted() throws IOException {
        Secrets secrets = parse("1.1.1.1 2.2.2.2 : PSK \"hunter2-secret\"\n");
        Psk psk = secrets.entries().get(0).psk();
        assertThat(psk.toString()).isEqualTo("Psk[redacted]");
        assertThat(secrets.entries().get(0).toString()).doesNotContain("hunter2");
        assertThat(secrets.toString()).doesNotContain("hunter2");
        assertThat(psk).isEqualTo(new Psk("hunter2-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(psk.hashCode()).isEqualTo(new Psk(new byte[] {1}).hashCode());
    }
}
