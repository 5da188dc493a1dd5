package io.causeway.ike.sa;

/**
 * What the engine did against floods, for status and metrics: half-open responder SAs now (IKEv2 and IKEv1),
 * COOKIE answers sent, new IKE_SA_INIT requests refused by the per-source rate limit, by init_limit_half_open and by
 * block_threshold, integrity checks run on received SK/SKF payloads (one per message or fragment: a flood of IKE_AUTH
 * with a valid SPI and a wrong key costs one decrypt each, which this lets a test count) and those that failed.
 */
public record IkeFloodCounters(int halfOpen, long cookiesSent, long rateLimited, long halfOpenLimit, long blocked,
                               long decryptAttempts, long integrityFailures) {
}
