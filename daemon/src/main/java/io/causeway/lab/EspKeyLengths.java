package io.causeway.lab;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key sizes, in bytes, that a strongSwan ESP proposal name needs for static keys. AEAD and CTR
 * keys include the 4-byte salt/nonce (RFC 4106, RFC 7634, RFC 3686).
 */
record EspKeyLengths(int encryption, int integrity) {
  private static final int SALT = 4;
  private static final Pattern AES_AEAD = Pattern.compile("aes(128|192|256)gcm(8|12|16)?");
  private static final Pattern AES_WITH_INTEG = Pattern.compile("aes(128|192|256)(ctr)?-(\\w+)");
  private static final Map<String, Integer> INTEG = Map.of(
      "sha1", 20, "sha256", 32, "sha384", 48, "sha512", 64, "md5", 16, "aesxcbc", 16);

  boolean aead() {
    return integrity == 0;
  }

  static EspKeyLengths of(String suite) {
    String name = suite.toLowerCase(java.util.Locale.ROOT);
    if (name.equals("chacha20poly1305")) {
      return new EspKeyLengths(32 + SALT, 0);
    }
    Matcher aead = AES_AEAD.matcher(name);
    if (aead.matches()) {
      return new EspKeyLengths(Integer.parseInt(aead.group(1)) / 8 + SALT, 0);
    }
    Matcher classic = AES_WITH_INTEG.matcher(name);
    if (classic.matches() && INTEG.containsKey(classic.group(3))) {
      int aes = Integer.parseInt(classic.group(1)) / 8 + (classic.group(2) != null ? SALT : 0);
      return new EspKeyLengths(aes, INTEG.get(classic.group(3)));
    }
    throw new IllegalArgumentException("no static-key sizes known for ESP suite " + suite);
  }
}
