package io.causeway.daemon.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.daemon.control.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The control socket's request line: it either parses to a JSON object that writes and parses back to the same
 * map, or is refused with IllegalArgumentException (the server answers that with an error response). Anything
 * else, a StackOverflowError above all, would escape the server's catch and end its thread.
 */
class ControlRequestFuzzTest {

    @FuzzTest
    void requestLine(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        Map<String, Object> request;
        try {
            request = Json.parseObject(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(Json.parseObject(Json.write(request))).isEqualTo(request);
    }
}
