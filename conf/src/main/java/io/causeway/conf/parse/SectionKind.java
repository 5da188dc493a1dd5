package io.causeway.conf.parse;

/** The section types of ipsec.conf. */
public enum SectionKind {
    CONFIG, CONN, CA
}
