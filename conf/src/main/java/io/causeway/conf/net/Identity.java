package io.causeway.conf.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * An IKE identity as written in leftid/rightid or ipsec.secrets. Address identities keep the canonical
 * address text; FQDN and e-mail identities keep their spelling but compare case-insensitively.
 */
public record Identity(IdType type, String value) {
    public static final Identity ANY = new Identity(IdType.ANY, "%any");

    /**
     * strongSwan's rules: %any is the wildcard, an address literal is an address, {@code @#hex} a key id,
     * {@code @name} a FQDN taken literally, {@code user@host} an e-mail address, anything else a FQDN.
     */
    public static Identity parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty() || s.equals("%any") || s.equals("%any6") || s.equals("%any4")) {
            return ANY;
        }
        if (s.contains("=")) {
            throw new IllegalArgumentException("'" + s + "' looks like a distinguished name; those need certificates,"
                    + " which are not implemented (allowed: an IP address, a FQDN, @fqdn, user@fqdn, @#hex, %any)");
        }
        var address = IpLiteral.parse(s);
        if (address.isPresent()) {
            return of(address.get());
        }
        if (s.startsWith("@#")) {
            String hex = s.substring(2);
            if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9A-Fa-f]+")) {
                throw new IllegalArgumentException("'" + s + "': a key id needs an even number of hex digits after @#");
            }
            return new Identity(IdType.KEY_ID, hex.toLowerCase(Locale.ROOT));
        }
        if (s.startsWith("@")) {
            return fqdn(s, s.substring(1));
        }
        int at = s.indexOf('@');
        if (at > 0 && at < s.length() - 1) {
            if (s.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("'" + s + "': an e-mail identity cannot contain spaces");
            }
            return new Identity(IdType.RFC822_ADDR, s);
        }
        return fqdn(s, s);
    }

    private static Identity fqdn(String original, String name) {
        if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '@')) {
            throw new IllegalArgumentException("'" + original + "' is not a valid FQDN identity");
        }
        return new Identity(IdType.FQDN, name);
    }

    public static Identity of(InetAddress address) {
        return new Identity(address instanceof Inet4Address ? IdType.IPV4_ADDR : IdType.IPV6_ADDR, IpLiteral.format(address));
    }

    public boolean isAny() {
        return type == IdType.ANY;
    }

    /** Exact identity equality as IKE compares them (names case-insensitively). */
    public boolean sameAs(Identity other) {
        return type == other.type && value.equalsIgnoreCase(other.value);
    }

    /** The form to write back into ipsec.conf or ipsec.secrets. */
    @Override
    public String toString() {
        return switch (type) {
            case ANY -> "%any";
            case KEY_ID -> "@#" + value;
            case FQDN -> IpLiteral.looksLikeIpv4(value) || value.contains("@") ? "@" + value : value;
            default -> value;
        };
    }
}
