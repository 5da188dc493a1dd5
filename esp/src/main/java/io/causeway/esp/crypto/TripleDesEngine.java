package io.causeway.esp.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * 3DES as EDE with three keys (RFC 2451 2.1, NIST SP 800-67) over Bouncy Castle's single-DES engine.
 * Bouncy Castle's DESedeEngine allocates a temporary array for every 8-byte block; DESEngine does not.
 */
final class TripleDesEngine implements BlockCipher {
    private static final int BLOCK = 8;

    private final DESEngine first = new DESEngine();
    private final DESEngine second = new DESEngine();
    private final DESEngine third = new DESEngine();

    @Override
    public void init(boolean forEncryption, CipherParameters params) {
        byte[] key = ((KeyParameter) params).getKey();
        if (key.length != 3 * BLOCK) {
            throw new IllegalArgumentException("3DES needs a 24-byte key");
        }
        KeyParameter k1 = new KeyParameter(Arrays.copyOfRange(key, 0, 8));
        KeyParameter k2 = new KeyParameter(Arrays.copyOfRange(key, 8, 16));
        KeyParameter k3 = new KeyParameter(Arrays.copyOfRange(key, 16, 24));
        // Encrypt: E(k3, D(k2, E(k1, x))). Decrypt runs the inverse steps in reverse order.
        first.init(forEncryption, forEncryption ? k1 : k3);
        second.init(!forEncryption, k2);
        third.init(forEncryption, forEncryption ? k3 : k1);
    }

    @Override
    public String getAlgorithmName() {
        return "DESede";
    }

    @Override
    public int getBlockSize() {
        return BLOCK;
    }

    @Override
    public int processBlock(byte[] in, int inOff, byte[] out, int outOff) {
        first.processBlock(in, inOff, out, outOff);
        second.processBlock(out, outOff, out, outOff);
        third.processBlock(out, outOff, out, outOff);
        return BLOCK;
    }

    @Override
    public void reset() {
    }
}
