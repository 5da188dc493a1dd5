/**
 * IKEv1 message codecs: ISAKMP (RFC 2408) with the IKE (RFC 2409) and IPsec DOI (RFC 2407) payload
 * contents, NAT-T (RFC 3947), DPD (RFC 3706), and the Cisco/strongSwan fragment payload. Sans-IO.
 *
 * <ul>
 * <li>{@link io.causeway.ike.v1.message.IsakmpHeader} and {@link io.causeway.ike.v1.message.V1PayloadChain}
 * decode untrusted datagrams; every decoder throws only {@link io.causeway.ike.v1.message.V1ParseException}
 * and bounds what it allocates by the input (at most 64 payloads, and 64 proposals, transforms or
 * attributes per level).</li>
 * <li>Decoded payloads keep their octets as received ({@link io.causeway.ike.v1.message.DecodedPayload1}):
 * IKEv1 hashes cover payload bodies (HASH_I: SAi_b, IDii_b) or whole payloads with generic headers
 * (quick mode and informational HASH(n)) exactly as they were on the wire.</li>
 * <li>{@link io.causeway.ike.v1.message.V1Encryption} does the CBC layer of RFC 2409 5.3 / Appendix B;
 * the IVs come from {@link io.causeway.ike.v1.message.IvChain}; keys and hashes from the IKEv1 crypto.</li>
 * <li>{@link io.causeway.ike.v1.message.V1Fragmenter} and
 * {@link io.causeway.ike.v1.message.V1FragmentReassembler} do strongSwan-compatible IKEv1 fragmentation.</li>
 * </ul>
 * Tests decode, re-encode and decrypt real strongSwan 5.9.8 captures (test resources v1/strongswan-5.9.8).
 */
package io.causeway.ike.v1.message;
