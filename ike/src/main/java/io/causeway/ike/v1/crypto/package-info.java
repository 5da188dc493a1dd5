/**
 * IKEv1 (RFC 2409) cryptography at the byte-array level: the hash and prf attribute values, SKEYID and its
 * three derivatives with the Appendix B key expansion, HASH_I/HASH_R, the phase-1 and phase-2 IVs and CBC
 * message protection, the quick mode and informational HASHes, quick mode KEYMAT, and the NAT-D hash of
 * RFC 3947. Built on {@link io.causeway.ike.crypto} (HMAC, Diffie-Hellman groups) and on the
 * {@link io.causeway.conf.proposal.Algorithm} objects (IKEv2 numbers) the rest of Causeway uses, so proposal
 * selection and ESP suites are shared with IKEv2.
 *
 * <p>Nothing here logs, and nothing prints secrets: records holding keys print lengths only.
 */
package io.causeway.ike.v1.crypto;
