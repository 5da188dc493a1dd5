package io.causeway.esp.crypto;

/**
 * CBC encryption in place with an IV read from the buffer (RFC 3602 / RFC 2451). Implementations are set up
 * once per SA and thread; no per-packet key or IV object is created.
 */
interface CbcCipher {
    int blockBytes();

    void encrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff);

    void decrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff);
}
