package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmHeapTest {
    // Captured on the lab machine (OpenJDK 17.0.15): `jcmd PID GC.heap_info` after `jcmd PID GC.run` of a small
    // program holding 6.4 MB, run with -XX:+UseG1GC, -XX:+UseSerialGC and -XX:+UseParallelGC.
    private static final String G1 = """
        27995:
         garbage-first heap   total 57344K, used 10460K [0x0000000687400000, 0x0000000800000000)
          region size 4096K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 74K, committed 320K, reserved 1114112K
          class space    used 3K, committed 128K, reserved 1048576K
        """;
    private static final String SERIAL = """
        28055:
         def new generation   total 116224K, used 0K [0x0000000687400000, 0x000000068f210000, 0x0000000704d50000)
          eden space 103360K,   0% used [0x0000000687400000, 0x0000000687400000, 0x000000068d8f0000)
          from space 12864K,   0% used [0x000000068d8f0000, 0x000000068d8f0000, 0x000000068e580000)
          to   space 12864K,   0% used [0x000000068e580000, 0x000000068e580000, 0x000000068f210000)
         tenured generation   total 258048K, used 6700K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
           the space 258048K,   2% used [0x0000000704d50000, 0x00000007053db270, 0x00000007053db400, 0x0000000714950000)
         Metaspace       used 128K, committed 320K, reserved 1114112K
          class space    used 4K, committed 128K, reserved 1048576K
        """;
    private static final String PARALLEL = """
        28148:
         PSYoungGen      total 113152K, used 0K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
          eden space 97280K, 0% used [0x0000000782700000,0x0000000782700000,0x0000000788600000)
          from space 15872K, 0% used [0x0000000788600000,0x0000000788600000,0x0000000789580000)
          to   space 15872K, 0% used [0x0000000789580000,0x0000000789580000,0x000000078a500000)
         ParOldGen       total 258048K, used 6700K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
          object space 258048K, 2% used [0x0000000687400000,0x0000000687a8b270,0x0000000697000000)
         Metaspace       used 129K, committed 320K, reserved 1114112K
          class space    used 4K, committed 128K, reserved 1048576K
        """;

    @Test
    void g1HasOneHeapLine() {
        assertThat(JvmHeap.parse(G1)).isEqualTo(new JvmHeap(10460, 57344, 74, 320));
    }

    @Test
    void serialAndParallelGenerationsAreSummedAndTheirSpacesNotCountedTwice() {
        assertThat(JvmHeap.parse(SERIAL)).isEqualTo(new JvmHeap(6700, 116224 + 258048, 128, 320));
        assertThat(JvmHeap.parse(PARALLEL)).isEqualTo(new JvmHeap(6700, 113152 + 258048, 129, 320));
    }

    @Test
    void jcmdsErrorIsNoHeap() {
        assertThatThrownBy(() -> JvmHeap.parse("12345:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to"
                + " open socket file\n")).isInstanceOf(LabException.class).hasMessageContaining("AttachNotSupported");
    }
}
