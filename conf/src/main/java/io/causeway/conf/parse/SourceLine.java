package io.causeway.conf.parse;

import io.causeway.conf.SourceLocation;

/** One physical line of ipsec.conf after include expansion, still knowing its own file and line. */
public record SourceLine(SourceLocation location, String text) {
}
