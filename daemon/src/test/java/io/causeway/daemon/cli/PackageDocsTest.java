package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the package installs from the command model: bash completion and causeway(8). */
class PackageDocsTest {
    private static final List<String> VISIBLE = List.of("daemon", "check-config", "status", "up", "down", "demo");
    private static final Set<String> MACROS = Set.of(".TH", ".SH", ".SS", ".nf", ".fi", ".TP", ".B", ".I", ".RI", ".br", ".PP");

    @Test
    void completionKnowsEveryCommandAndItsOptions() {
        String bash = PackageDocs.completion();
        assertThat(bash).contains("complete -F _complete_causeway");
        for (String command : VISIBLE) assertThat(bash).contains(command);
        assertThat(bash).contains("--config", "--secrets", "--socket", "--json");
    }

    @Test
    void manPageHasASectionPerVisibleCommandWithItsHelp() {
        String roff = PackageDocs.manPage();
        assertThat(roff).startsWith(".TH CAUSEWAY 8 ");
        for (String command : VISIBLE) assertThat(roff).contains("\n.SS " + ManPage.escape(command) + "\n");
        assertThat(roff).doesNotContain("static\\-tunnel");
        assertThat(roff).contains("Usage: causeway daemon", "\\-\\-config=FILE", "/etc/causeway/ipsec.secrets",
                ".SH EXIT STATUS", ".SH ENVIRONMENT");
    }

    @Test
    void manPageRequestsAreOnlyTheMacrosItMeans() {
        for (String line : PackageDocs.manPage().lines().toList()) {
            if (line.startsWith(".") || line.startsWith("'")) {
                assertThat(MACROS).as(line).contains(line.split(" ", 2)[0]);
            }
            assertThat(line).as("unescaped hyphen").doesNotContainPattern("(?<!\\\\)-");
        }
    }

    @Test
    void escapingKeepsTextLiteral() {
        assertThat(ManPage.escapeLines(".start\n'quote\na\\b-c\n")).isEqualTo("\\&.start\n\\&'quote\na\\eb\\-c\n");
    }
}
