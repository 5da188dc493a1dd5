/**
 * IKEv2 (RFC 7296) as sans-IO building blocks: message codecs ({@code v2.message}), cryptography
 * ({@code crypto}), proposal selection ({@code proposal}) and timing rules ({@code timing}). The
 * session state machine that drives them is the IKEv2 issue's next step; IKEv1 (RFC 2409) will
 * reuse the crypto, proposal selection and SA installation.
 */
package io.causeway.ike;
