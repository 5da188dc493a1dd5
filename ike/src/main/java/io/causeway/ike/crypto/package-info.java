/**
 * IKE cryptography as sans-IO building blocks: PRF and prf+, IKE and CHILD_SA key derivation,
 * Diffie-Hellman groups, SK payload protection, PSK authentication, NAT detection hashes and
 * stateless cookies. Nothing here reads a clock, opens a socket or draws randomness on its own:
 * randomness comes from an injected {@link io.causeway.ike.crypto.RandomSource}.
 *
 * <p>Everything uses Bouncy Castle's lightweight API (no JCE provider lookups): IKE is control
 * plane, so portability and identical behaviour everywhere matter more than AES-NI speed.
 * Secrets live in records whose {@code toString} is redacted.
 */
package io.causeway.ike.crypto;
