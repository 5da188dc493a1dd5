/**
 * IKEv2 (RFC 7296) and IKEv1 (RFC 2409) as sans-IO engines. Filled by the IKEv2 issue; until then
 * the data plane runs with statically keyed SAs.
 */
package io.causeway.ike;
